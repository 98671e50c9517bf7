package io.kvdb.client;

import io.kvdb.proto.v1.QuotaUsage;
import java.time.Instant;
import java.util.Optional;

/**
 * What a project uses of its quota: queues and channels exactly when read, messages and bytes as
 * the gateways' collector last measured them.
 *
 * @param measuredAt when messages and bytes were measured; empty when never
 */
public record ProjectUsage(
    long queues, long channels, long messages, long bytes, Optional<Instant> measuredAt) {
  public ProjectUsage {
    Check.notNull("measuredAt", measuredAt);
  }

  static ProjectUsage of(QuotaUsage usage) {
    return new ProjectUsage(
        usage.getQueues(),
        usage.getChannels(),
        usage.getMessages(),
        usage.getBytes(),
        usage.hasMeasuredAt()
            ? Optional.of(ProtoTimes.instant(usage.getMeasuredAt()))
            : Optional.empty());
  }
}
