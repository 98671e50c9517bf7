package io.kvdb.gateway.api;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import java.time.Instant;

/** Between java.time and protobuf's well-known time types. */
public final class ProtoTime {
  /** The well-known type's range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z. */
  private static final long MIN_SECONDS = -62_135_596_800L;

  private static final long MAX_SECONDS = 253_402_300_799L;

  private ProtoTime() {}

  public static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  public static Duration duration(java.time.Duration duration) {
    return Duration.newBuilder()
        .setSeconds(duration.getSeconds())
        .setNanos(duration.getNano())
        .build();
  }

  /**
   * The instant a request's timestamp {@code field} stands for; refuses one out of its type's
   * range.
   */
  public static Instant instant(String field, Timestamp value) {
    if (value.getSeconds() < MIN_SECONDS || value.getSeconds() > MAX_SECONDS) {
      throw new InvalidArgumentException(
          field,
          "must be from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, got "
              + value.getSeconds()
              + " s since the epoch");
    }
    if (value.getNanos() < 0 || value.getNanos() > 999_999_999) {
      throw new InvalidArgumentException(
          field, "nanos must be from 0 to 999999999, got " + value.getNanos());
    }
    return Instant.ofEpochSecond(value.getSeconds(), value.getNanos());
  }
}
