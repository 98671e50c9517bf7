package io.kvdb.client;

import io.kvdb.proto.v1.TopOrder;
import java.time.Instant;
import java.util.Optional;

/**
 * Which ranking {@link StatsClient#top} reads: the range (start and end are required), the order
 * and how many services.
 *
 * <pre>{@code
 * TopServicesOptions slowest = TopServicesOptions.newBuilder()
 *     .setStart(yesterday).setEnd(today).setOrderBy(TopOrder.P99).setLimit(5).build();
 * List<ServiceTotal> ranked = kvdb.stats().top(slowest).getServicesList();
 * }</pre>
 */
public final class TopServicesOptions {
  private final Instant start;
  private final Instant end;
  private final TopOrder orderBy;
  private final int limit;

  private TopServicesOptions(Builder builder) {
    this.start = builder.start;
    this.end = builder.end;
    this.orderBy = builder.orderBy;
    this.limit = builder.limit;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.start = start;
    builder.end = end;
    builder.orderBy = orderBy;
    builder.limit = limit;
    return builder;
  }

  public Optional<Instant> start() {
    return Optional.ofNullable(start);
  }

  public Optional<Instant> end() {
    return Optional.ofNullable(end);
  }

  public TopOrder orderBy() {
    return orderBy;
  }

  /** 0 for the gateway's default (10). */
  public int limit() {
    return limit;
  }

  /** Builds {@link TopServicesOptions}. */
  public static final class Builder {
    private Instant start;
    private Instant end;
    private TopOrder orderBy = TopOrder.USAGE;
    private int limit;

    private Builder() {}

    /** Where the range starts (inclusive). */
    public Builder setStart(Instant start) {
      this.start = Check.notNull("start", start);
      return this;
    }

    /** Where the range ends (exclusive). */
    public Builder setEnd(Instant end) {
      this.end = Check.notNull("end", end);
      return this;
    }

    /** By usage, mean, p99, max, errors or total time; default usage. */
    public Builder setOrderBy(TopOrder orderBy) {
      if (Check.notNull("orderBy", orderBy) == TopOrder.UNRECOGNIZED) {
        throw new IllegalArgumentException("orderBy must be a known TopOrder, was UNRECOGNIZED");
      }
      this.orderBy = orderBy;
      return this;
    }

    /** Services ranked at most, 1 to 1000; default 10. */
    public Builder setLimit(int limit) {
      this.limit = Check.between("limit", limit, 1, 1000);
      return this;
    }

    public TopServicesOptions build() {
      return new TopServicesOptions(this);
    }
  }
}
