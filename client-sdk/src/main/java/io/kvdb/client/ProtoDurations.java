package io.kvdb.client;

/** java.time to protobuf durations. */
final class ProtoDurations {
  private ProtoDurations() {}

  static com.google.protobuf.Duration of(java.time.Duration duration) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(duration.getSeconds())
        .setNanos(duration.getNano())
        .build();
  }
}
