package io.kvdb.gateway.claims;

import io.kvdb.gateway.api.Durations;
import io.kvdb.gateway.messages.MessageLimits;
import java.time.Duration;

/**
 * Validates claim TTLs and graces against the gateway's limits; 60 s (or the minimum) by default.
 */
record ClaimBounds(MessageLimits limits) {
  private static final Duration DEFAULT = Duration.ofSeconds(60);

  Duration ttl(String field, boolean isSet, com.google.protobuf.Duration value) {
    if (!isSet) {
      return max(DEFAULT, limits.minClaimTtl());
    }
    return Durations.within(field, true, value, limits.minClaimTtl(), limits.maxClaimTtl());
  }

  Duration grace(String field, boolean isSet, com.google.protobuf.Duration value) {
    if (!isSet) {
      return max(DEFAULT, limits.minGrace());
    }
    return Durations.within(field, true, value, limits.minGrace(), limits.maxGrace());
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
