package io.kvdb.gateway.messages;

import java.time.Duration;

/**
 * The bounds messages and claims must respect, configurable per gateway. The defaults are Zaqar's:
 * message TTL 60 s to 14 days (3600 s when neither message nor queue says), delay up to 15 min,
 * claim TTL and grace 60 s to 12 h; a post carries at most 256 KiB unless the queue says otherwise;
 * a claim waits at most 20 s for messages; a post's idempotency key is remembered for 5 min.
 */
public record MessageLimits(
    Duration minTtl,
    Duration maxTtl,
    Duration defaultTtl,
    Duration maxDelay,
    Duration minClaimTtl,
    Duration maxClaimTtl,
    Duration minGrace,
    Duration maxGrace,
    Duration maxClaimWait,
    int defaultMaxPostBytes,
    Duration idempotencyWindow) {

  public static final MessageLimits DEFAULTS =
      new MessageLimits(
          Duration.ofSeconds(60),
          Duration.ofDays(14),
          Duration.ofHours(1),
          Duration.ofMinutes(15),
          Duration.ofSeconds(60),
          Duration.ofHours(12),
          Duration.ofSeconds(60),
          Duration.ofHours(12),
          Duration.ofSeconds(20),
          256 * 1024,
          Duration.ofMinutes(5));

  public MessageLimits {
    requireOrdered("message TTL", minTtl, maxTtl);
    requireOrdered("claim TTL", minClaimTtl, maxClaimTtl);
    requireOrdered("claim grace", minGrace, maxGrace);
    if (defaultTtl.compareTo(minTtl) < 0 || defaultTtl.compareTo(maxTtl) > 0) {
      throw new IllegalArgumentException(
          "default message TTL " + defaultTtl + " is outside its bounds");
    }
    if (maxDelay.isNegative() || maxClaimWait.isNegative()) {
      throw new IllegalArgumentException("maximum delay and claim wait must not be negative");
    }
    if (idempotencyWindow.isNegative() || idempotencyWindow.isZero()) {
      throw new IllegalArgumentException("the idempotency window must be positive");
    }
  }

  /**
   * The same limits with other lower bounds, e.g. short ones for tests that watch things expire.
   */
  public MessageLimits withMinimums(Duration ttl, Duration claimTtl, Duration grace) {
    return new MessageLimits(
        ttl,
        maxTtl,
        defaultTtl,
        maxDelay,
        claimTtl,
        maxClaimTtl,
        grace,
        maxGrace,
        maxClaimWait,
        defaultMaxPostBytes,
        idempotencyWindow);
  }

  /** The same limits with another window in which a post's idempotency key is remembered. */
  public MessageLimits withIdempotencyWindow(Duration window) {
    return new MessageLimits(
        minTtl,
        maxTtl,
        defaultTtl,
        maxDelay,
        minClaimTtl,
        maxClaimTtl,
        minGrace,
        maxGrace,
        maxClaimWait,
        defaultMaxPostBytes,
        window);
  }

  private static void requireOrdered(String what, Duration min, Duration max) {
    if (min.isNegative() || min.compareTo(max) > 0) {
      throw new IllegalArgumentException(what + " bounds are inverted: " + min + " > " + max);
    }
  }
}
