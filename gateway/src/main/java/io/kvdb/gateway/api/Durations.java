package io.kvdb.gateway.api;

import com.google.protobuf.Duration;

/** Validates {@code google.protobuf.Duration} fields against bounds, naming the field. */
public final class Durations {
  private Durations() {}

  /** A duration within {@code [min, max]}; an unset field is refused when {@code min} is above 0. */
  public static java.time.Duration within(String field, boolean isSet, Duration value,
      java.time.Duration min, java.time.Duration max) {
    if (!isSet && !min.isZero()) {
      throw new InvalidArgumentException(field, "is required (" + describe(min) + " to " + describe(max) + ")");
    }
    java.time.Duration duration = java.time.Duration.ofSeconds(value.getSeconds(), value.getNanos());
    if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
      throw new InvalidArgumentException(field,
          "must be from " + describe(min) + " to " + describe(max) + ", got " + describe(duration));
    }
    return duration;
  }

  private static String describe(java.time.Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
  }
}
