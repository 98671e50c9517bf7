package io.kvdb.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How to acquire a lock: how long to wait for it, the label others see as its holder, and an
 * optional watchdog that renews the lease at a third of its TTL until the lock is closed.
 */
public record LockOptions(Duration maxWait, String ownerLabel, LockLostListener watchdog) {
  /** Wait up to 30 s, label from the client id, no watchdog. */
  public static final LockOptions DEFAULTS = new LockOptions(Duration.ofSeconds(30), "", null);

  public LockOptions {
    Objects.requireNonNull(maxWait, "maxWait");
    Objects.requireNonNull(ownerLabel, "ownerLabel");
  }

  public LockOptions withWait(Duration newWait) {
    return new LockOptions(newWait, ownerLabel, watchdog);
  }

  public LockOptions withOwnerLabel(String newLabel) {
    return new LockOptions(maxWait, newLabel, watchdog);
  }

  /** Renew the lease while the lock is open; {@code onLost} hears if a renewal fails. */
  public LockOptions withWatchdog(LockLostListener onLost) {
    return new LockOptions(maxWait, ownerLabel, Objects.requireNonNull(onLost, "onLost"));
  }

  /** Told once when a watched lock's lease could not be renewed and may be held by another. */
  @FunctionalInterface
  public interface LockLostListener {
    void lost(HeldLock lock, Throwable cause);
  }
}
