package io.kvdb.client;

import io.kvdb.proto.v1.Quota;

/**
 * A project's quota, as {@link QuotaClient} sets and reads it; 0 is no limit, so {@link #NONE}
 * removes a quota. The gateway checks the ranges (see {@code kvdb.v1.Quota}).
 *
 * <pre>{@code
 * kvdb.admin().quotas().set("billing", QuotaLimits.newBuilder().setMaxQueues(100).setRequestsPerSecond(500).build());
 * }</pre>
 *
 * @param burst calls allowed at once above the rate; 0 with a rate is one second's worth
 */
public record QuotaLimits(
    long maxQueues,
    long maxMessages,
    long maxBytes,
    long maxChannels,
    long requestsPerSecond,
    long burst) {
  /** Limits are never negative; the gateway refuses one out of its range, naming the field. */
  public QuotaLimits {
    Check.notNegative("maxQueues", maxQueues);
    Check.notNegative("maxMessages", maxMessages);
    Check.notNegative("maxBytes", maxBytes);
    Check.notNegative("maxChannels", maxChannels);
    Check.notNegative("requestsPerSecond", requestsPerSecond);
    Check.notNegative("burst", burst);
  }

  /** No limit at all. */
  public static final QuotaLimits NONE = newBuilder().build();

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .setMaxQueues(maxQueues)
        .setMaxMessages(maxMessages)
        .setMaxBytes(maxBytes)
        .setMaxChannels(maxChannels)
        .setRequestsPerSecond(requestsPerSecond)
        .setBurst(burst);
  }

  static QuotaLimits of(Quota quota) {
    return new QuotaLimits(
        quota.getMaxQueues(),
        quota.getMaxMessages(),
        quota.getMaxBytes(),
        quota.getMaxChannels(),
        quota.getRequestsPerSecond(),
        quota.getBurst());
  }

  Quota toProto() {
    return Quota.newBuilder()
        .setMaxQueues(maxQueues)
        .setMaxMessages(maxMessages)
        .setMaxBytes(maxBytes)
        .setMaxChannels(maxChannels)
        .setRequestsPerSecond(requestsPerSecond)
        .setBurst(burst)
        .build();
  }

  /** Builds {@link QuotaLimits}; every limit defaults to 0, no limit. */
  public static final class Builder {
    private long maxQueues;
    private long maxMessages;
    private long maxBytes;
    private long maxChannels;
    private long requestsPerSecond;
    private long burst;

    private Builder() {}

    /** Queues the project may hold. */
    public Builder setMaxQueues(long maxQueues) {
      this.maxQueues = Check.notNegative("maxQueues", maxQueues);
      return this;
    }

    /** Messages stored over all its queues. */
    public Builder setMaxMessages(long maxMessages) {
      this.maxMessages = Check.notNegative("maxMessages", maxMessages);
      return this;
    }

    /** Bytes stored over all its queues, bodies plus encoded attributes. */
    public Builder setMaxBytes(long maxBytes) {
      this.maxBytes = Check.notNegative("maxBytes", maxBytes);
      return this;
    }

    /** Broker channels it may publish to. */
    public Builder setMaxChannels(long maxChannels) {
      this.maxChannels = Check.notNegative("maxChannels", maxChannels);
      return this;
    }

    /** Calls per second over all gateways. */
    public Builder setRequestsPerSecond(long requestsPerSecond) {
      this.requestsPerSecond = Check.notNegative("requestsPerSecond", requestsPerSecond);
      return this;
    }

    /** Calls allowed at once above the rate; only with a rate. */
    public Builder setBurst(long burst) {
      this.burst = Check.notNegative("burst", burst);
      return this;
    }

    public QuotaLimits build() {
      return new QuotaLimits(
          maxQueues, maxMessages, maxBytes, maxChannels, requestsPerSecond, burst);
    }
  }
}
