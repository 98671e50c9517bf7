package io.kvdb.client;

import io.kvdb.proto.v1.Resolution;
import java.time.Instant;
import java.util.Optional;

/**
 * Which series {@link StatsClient#get} reads: the range (start and end are required, end after
 * start, checked by the gateway against its clock) and the resolution.
 *
 * <pre>{@code
 * ServiceStatsOptions lastDay = ServiceStatsOptions.newBuilder()
 *     .setStart(Instant.now().minus(Duration.ofDays(1))).setEnd(Instant.now()).setResolution(Resolution.HOUR).build();
 * ServiceStats stats = kvdb.stats().get("billing.create-invoice", lastDay);
 * }</pre>
 */
public final class ServiceStatsOptions {
  private final Instant start;
  private final Instant end;
  private final Resolution resolution;

  private ServiceStatsOptions(Builder builder) {
    this.start = builder.start;
    this.end = builder.end;
    this.resolution = builder.resolution;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.start = start;
    builder.end = end;
    builder.resolution = resolution;
    return builder;
  }

  public Optional<Instant> start() {
    return Optional.ofNullable(start);
  }

  public Optional<Instant> end() {
    return Optional.ofNullable(end);
  }

  public Resolution resolution() {
    return resolution;
  }

  /** Builds {@link ServiceStatsOptions}. */
  public static final class Builder {
    private Instant start;
    private Instant end;
    private Resolution resolution = Resolution.RESOLUTION_AUTO;

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

    /** Minute, hour, day or month; default the coarsest that gives 12 points (at most 1500). */
    public Builder setResolution(Resolution resolution) {
      if (Check.notNull("resolution", resolution) == Resolution.UNRECOGNIZED) {
        throw new IllegalArgumentException(
            "resolution must be a known Resolution, was UNRECOGNIZED");
      }
      this.resolution = resolution;
      return this;
    }

    public ServiceStatsOptions build() {
      return new ServiceStatsOptions(this);
    }
  }
}
