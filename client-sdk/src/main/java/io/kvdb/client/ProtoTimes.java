package io.kvdb.client;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** java.time instants to protobuf timestamps and back. */
final class ProtoTimes {
  private ProtoTimes() {}

  static Timestamp of(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
