package io.kvdb.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The grants of tokens verified lately, by the SHA-256 of the token (never the token itself), each
 * until its token expires or {@code ttl} passes, whichever is first: a client reusing its token
 * pays a hash per call, not a signature check. At most {@code capacity} entries; when full, expired
 * ones are dropped, and if that frees nothing, all are: each full scan then pays for {@code
 * capacity} cheap calls, where keeping a full cache would scan it on every new token.
 */
final class VerifiedTokens {
  private record Entry(Grant grant, Instant until) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration ttl;
  private final int capacity;

  VerifiedTokens(Clock clock, Duration ttl, int capacity) {
    this.clock = clock;
    this.ttl = ttl;
    this.capacity = capacity;
  }

  Optional<Grant> get(String token) {
    String key = hash(token);
    Entry entry = entries.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(entry.until())) {
      entries.remove(key, entry);
      return Optional.empty();
    }
    return Optional.of(entry.grant());
  }

  void put(String token, Grant grant, Instant expiry) {
    Instant now = clock.instant();
    Instant until = expiry.isBefore(now.plus(ttl)) ? expiry : now.plus(ttl);
    if (entries.size() >= capacity) {
      entries.values().removeIf(entry -> !now.isBefore(entry.until()));
      if (entries.size() >= capacity) {
        entries.clear();
      }
    }
    entries.put(hash(token), new Entry(grant, until));
  }

  private static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException missing) {
      throw new IllegalStateException("the JDK has no SHA-256", missing);
    }
  }
}
