package io.kvdb.client;

import java.time.Duration;
import java.util.Optional;

/**
 * How to acquire a lock: how long to wait for it, the label others see as its holder, and an
 * optional watchdog that renews the lease at a third of its TTL until the lock is closed.
 *
 * <pre>{@code
 * LockOptions options = LockOptions.newBuilder()
 *     .setMaxWait(Duration.ofMinutes(1))
 *     .setWatchdog((lock, cause) -> abortDeployment())
 *     .build();
 * try (HeldLock lock = kvdb.locks().acquire("deploy", Duration.ofSeconds(30), options)) { ... }
 * }</pre>
 */
public final class LockOptions {
  /** Wait up to 30 s, label from the client id, no watchdog. */
  public static final LockOptions DEFAULTS = newBuilder().build();

  private static final Duration MAX_WAIT = Duration.ofMinutes(5);

  private final Duration maxWait;
  private final String ownerLabel;
  private final LockLostListener watchdog;

  private LockOptions(Builder builder) {
    this.maxWait = builder.maxWait;
    this.ownerLabel = builder.ownerLabel;
    this.watchdog = builder.watchdog;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.maxWait = maxWait;
    builder.ownerLabel = ownerLabel;
    builder.watchdog = watchdog;
    return builder;
  }

  public Duration maxWait() {
    return maxWait;
  }

  /** Empty for the client id. */
  public String ownerLabel() {
    return ownerLabel;
  }

  /** The listener of the watchdog, when the lease is to be renewed while the lock is open. */
  public Optional<LockLostListener> watchdog() {
    return Optional.ofNullable(watchdog);
  }

  /** Told once when a watched lock's lease could not be renewed and may be held by another. */
  @FunctionalInterface
  public interface LockLostListener {
    void lost(HeldLock lock, Throwable cause);
  }

  /** Builds {@link LockOptions}. */
  public static final class Builder {
    private Duration maxWait = Duration.ofSeconds(30);
    private String ownerLabel = "";
    private LockLostListener watchdog;

    private Builder() {}

    /** How long to wait for a held lock, 0 (one attempt) to 5 minutes; default 30 s. */
    public Builder setMaxWait(Duration maxWait) {
      this.maxWait = Check.between("maxWait", maxWait, Duration.ZERO, MAX_WAIT);
      return this;
    }

    /** Shown to others as the holder, at most 256 characters; default the client id. */
    public Builder setOwnerLabel(String ownerLabel) {
      this.ownerLabel = Check.atMost("ownerLabel", ownerLabel, 256);
      return this;
    }

    /** Renew the lease while the lock is open; {@code onLost} hears if a renewal fails. */
    public Builder setWatchdog(LockLostListener onLost) {
      this.watchdog = Check.notNull("watchdog", onLost);
      return this;
    }

    public LockOptions build() {
      return new LockOptions(this);
    }
  }
}
