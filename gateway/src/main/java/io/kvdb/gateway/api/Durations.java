package io.kvdb.gateway.api;

import com.google.protobuf.Duration;

/** Validates {@code google.protobuf.Duration} fields against bounds, naming the field. */
public final class Durations {
  /** The well-known type's own range: about 10,000 years either way. */
  private static final long MAX_SECONDS = 315_576_000_000L;

  private static final int MAX_NANOS = 999_999_999;

  private Durations() {}

  /**
   * A duration within {@code [min, max]}; an unset field is refused when {@code min} is above 0.
   */
  public static java.time.Duration within(
      String field, boolean isSet, Duration value, java.time.Duration min, java.time.Duration max) {
    if (!isSet && !min.isZero()) {
      throw new InvalidArgumentException(
          field, "is required (" + describe(min) + " to " + describe(max) + ")");
    }
    java.time.Duration duration = of(field, value);
    if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
      throw new InvalidArgumentException(
          field,
          "must be from " + describe(min) + " to " + describe(max) + ", got " + describe(duration));
    }
    return duration;
  }

  /**
   * The duration a valid {@code google.protobuf.Duration} stands for; refuses one out of its type's
   * range.
   */
  private static java.time.Duration of(String field, Duration value) {
    long seconds = value.getSeconds();
    int nanos = value.getNanos();
    if (seconds < -MAX_SECONDS || seconds > MAX_SECONDS) {
      throw new InvalidArgumentException(
          field,
          "seconds must be from " + -MAX_SECONDS + " to " + MAX_SECONDS + ", got " + seconds);
    }
    if (nanos < -MAX_NANOS || nanos > MAX_NANOS) {
      throw new InvalidArgumentException(
          field, "nanos must be from " + -MAX_NANOS + " to " + MAX_NANOS + ", got " + nanos);
    }
    if ((seconds < 0 && nanos > 0) || (seconds > 0 && nanos < 0)) {
      throw new InvalidArgumentException(
          field,
          "seconds and nanos must have the same sign, got " + seconds + " s and " + nanos + " ns");
    }
    return java.time.Duration.ofSeconds(seconds, nanos);
  }

  private static String describe(java.time.Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " s"
        : duration.toMillis() + " ms";
  }
}
