package io.kvdb.client;

import java.time.Duration;
import java.util.Optional;

/**
 * How {@link ClaimClient#create(String, ClaimOptions)} claims: how many messages, for how long, and
 * how long to wait for some to arrive. Unset values take the gateway's defaults (10 messages, 60 s
 * or its minimum, no wait).
 *
 * <pre>{@code
 * ClaimOptions options = ClaimOptions.newBuilder()
 *     .setLimit(5).setTtl(Duration.ofSeconds(30)).setMaxWait(Duration.ofSeconds(20)).build();
 * Claim claim = kvdb.claims().create("invoices", options);
 * }</pre>
 */
public final class ClaimOptions {
  /** The gateway's defaults: 10 messages, its default ttl and grace, no wait. */
  public static final ClaimOptions DEFAULTS = newBuilder().build();

  private static final Duration MAX_WAIT = Duration.ofSeconds(20);

  private final int limit;
  private final Duration ttl;
  private final Duration grace;
  private final Duration maxWait;

  private ClaimOptions(Builder builder) {
    this.limit = builder.limit;
    this.ttl = builder.ttl;
    this.grace = builder.grace;
    this.maxWait = builder.maxWait;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.limit = limit;
    builder.ttl = ttl;
    builder.grace = grace;
    builder.maxWait = maxWait;
    return builder;
  }

  /** 0 for the gateway's default (10). */
  public int limit() {
    return limit;
  }

  /** Empty for the gateway's default. */
  public Optional<Duration> ttl() {
    return Optional.ofNullable(ttl);
  }

  /** The grace set, or else the ttl; empty for the gateway's default. */
  public Optional<Duration> grace() {
    return Optional.ofNullable(grace != null ? grace : ttl);
  }

  public Duration maxWait() {
    return maxWait;
  }

  /** Builds {@link ClaimOptions}. */
  public static final class Builder {
    private int limit;
    private Duration ttl;
    private Duration grace;
    private Duration maxWait = Duration.ZERO;

    private Builder() {}

    /** Messages claimed at most, 1 to 1000; default 10. */
    public Builder setLimit(int limit) {
      this.limit = Check.between("limit", limit, 1, 1000);
      return this;
    }

    /**
     * How long the claim holds its messages, within the gateway's bounds (by default 60 s to 12 h).
     */
    public Builder setTtl(Duration ttl) {
      this.ttl = Check.positive("ttl", ttl);
      return this;
    }

    /** How long past the claim a claimed message lives at least (same bounds); default the ttl. */
    public Builder setGrace(Duration grace) {
      this.grace = Check.notNegative("grace", grace);
      return this;
    }

    /** How long to wait for messages when none is free, 0 to 20 s; default 0 (no wait). */
    public Builder setMaxWait(Duration maxWait) {
      this.maxWait = Check.between("maxWait", maxWait, Duration.ZERO, MAX_WAIT);
      return this;
    }

    public ClaimOptions build() {
      return new ClaimOptions(this);
    }
  }
}
