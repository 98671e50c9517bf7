package io.kvdb.gateway.keys;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.grpc.Metadata;
import io.kvdb.gateway.api.ClientCertificate;
import io.kvdb.gateway.auth.AuthenticationException;
import io.kvdb.gateway.auth.Authenticator;
import io.kvdb.gateway.auth.Grant;
import io.kvdb.gateway.auth.Role;
import io.kvdb.lua.keys.ApiKeys;
import io.kvdb.lua.keys.KeyGrant;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --auth keys}: the grant of the key in {@code authorization: Bearer <key>}, of the
 * bootstrap administrator key (compared in constant time, in memory only), or, without that header,
 * of the key a verified client certificate's subject or one of its alternative names is bound to.
 * Lookups, found or not, are cached for {@code --auth-cache-ms}: a key revoked or rotated through
 * another gateway works here for that long at most; through this one, at once.
 */
public final class KeyAuthenticator implements Authenticator {
  private static final Logger log = LoggerFactory.getLogger(KeyAuthenticator.class);
  private static final String BEARER = "bearer ";
  private static final Grant BOOTSTRAP =
      new Grant("bootstrap-admin", true, Set.of(), Set.of(Role.ADMIN));

  /** Enough for every live key of a large deployment; beyond it the least used are dropped. */
  private static final int CACHE_ENTRIES = 10_000;

  private final ApiKeys keys;
  private final Duration cacheTtl;
  private final Optional<byte[]> bootstrapDigest;
  private final Cache<String, Lookup> cache;

  /** A lookup's grant (empty for none) and how long it may be kept. */
  private record Lookup(Optional<Grant> grant, Duration keep) {}

  public KeyAuthenticator(ApiKeys keys, Optional<String> bootstrapKey, Duration cacheTtl) {
    this.keys = keys;
    this.bootstrapDigest = bootstrapKey.map(KeySecrets::digest);
    this.cache =
        cacheTtl.isZero()
            ? null
            : Caffeine.newBuilder()
                .maximumSize(CACHE_ENTRIES)
                .expireAfter(Expiry.<String, Lookup>creating((lookup, found) -> found.keep()))
                .build();
    this.cacheTtl = cacheTtl;
  }

  /** Says at start how to get in when nobody could: no key exists and no bootstrap key is given. */
  public void warnIfLockedOut() {
    if (bootstrapDigest.isEmpty() && !keys.any()) {
      log.warn(
          "--auth keys, but no API key exists and no bootstrap key is given: nobody can call"
              + " this gateway. Restart it with KVDB_BOOTSTRAP_ADMIN_KEY=<a random secret of 32"
              + " characters or more> (or --bootstrap-admin-key-file PATH) and create keys with"
              + " kvdb.v1.KeyService/CreateKey");
    }
  }

  /** Forgets every cached lookup, after a key changed through this gateway. */
  public void invalidate() {
    if (cache != null) {
      cache.invalidateAll();
    }
  }

  @Override
  public Grant authenticate(Metadata headers, Optional<ClientCertificate> certificate)
      throws AuthenticationException {
    String header = headers.get(AUTHORIZATION);
    if (header == null) {
      return byCertificate(
          certificate.orElseThrow(
              () -> new AuthenticationException("no authorization header and no certificate")));
    }
    if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new AuthenticationException("the authorization header is not a Bearer credential");
    }
    String secret = header.substring(BEARER.length()).strip();
    if (bootstrapDigest.isPresent()
        && MessageDigest.isEqual(bootstrapDigest.get(), KeySecrets.digest(secret))) {
      return BOOTSTRAP;
    }
    if (!KeySecrets.looksLikeSecret(secret)) {
      throw new AuthenticationException("the bearer credential is not a KVDB key");
    }
    String hash = KeySecrets.hash(secret);
    return cached("secret:" + hash, () -> keys.bySecret(hash))
        .orElseThrow(
            () -> new AuthenticationException("the key is unknown, revoked, expired or rotated"));
  }

  private Grant byCertificate(ClientCertificate certificate) throws AuthenticationException {
    List<String> identities = new ArrayList<>();
    identities.add(certificate.subject());
    identities.addAll(certificate.subjectAlternativeNames());
    return cached("identity:" + String.join("\n", identities), () -> keys.byIdentity(identities))
        .orElseThrow(
            () ->
                new AuthenticationException(
                    "no authorization header, and the client certificate is bound to no working"
                        + " key"));
  }

  /**
   * The grant {@code find} gives, cached for {@code --auth-cache-ms} but never past the moment the
   * key or its previous secret stops working.
   */
  private Optional<Grant> cached(String lookup, Supplier<Optional<KeyGrant>> find) {
    if (cache == null) {
      return find.get().map(KeyAuthenticator::grant);
    }
    return cache.get(lookup, absent -> lookup(find.get())).grant();
  }

  private Lookup lookup(Optional<KeyGrant> found) {
    Duration keep =
        found
            .flatMap(KeyGrant::worksFor)
            .filter(worksFor -> worksFor.compareTo(cacheTtl) < 0)
            .orElse(cacheTtl);
    return new Lookup(found.map(KeyAuthenticator::grant), keep);
  }

  private static Grant grant(KeyGrant key) {
    Set<Role> roles =
        key.roles().stream()
            .map(label -> Role.ofLabel(label.toLowerCase(Locale.ROOT)))
            .flatMap(Optional::stream)
            .collect(Collectors.toSet());
    return new Grant("key:" + key.id(), key.allProjects(), Set.copyOf(key.projects()), roles);
  }
}
