package io.kvdb.gateway.queue;

import java.time.Duration;

/**
 * The bounds a message's TTL and delay must respect, configurable per gateway. The defaults are
 * Zaqar's: TTL 60 s to 14 days (3600 s when neither message nor queue says), delay up to 15 min.
 */
public record MessageLimits(Duration minTtl, Duration maxTtl, Duration defaultTtl, Duration maxDelay) {
  public static final MessageLimits DEFAULTS = new MessageLimits(
      Duration.ofSeconds(60), Duration.ofDays(14), Duration.ofHours(1), Duration.ofMinutes(15));

  public MessageLimits {
    if (minTtl.isNegative() || minTtl.compareTo(maxTtl) > 0) {
      throw new IllegalArgumentException("message TTL bounds are inverted: " + minTtl + " > " + maxTtl);
    }
    if (defaultTtl.compareTo(minTtl) < 0 || defaultTtl.compareTo(maxTtl) > 0) {
      throw new IllegalArgumentException("default message TTL " + defaultTtl + " is outside its bounds");
    }
    if (maxDelay.isNegative()) {
      throw new IllegalArgumentException("maximum delay is negative: " + maxDelay);
    }
  }
}
