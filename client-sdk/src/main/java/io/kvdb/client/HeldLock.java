package io.kvdb.client;

import io.grpc.Status;
import io.kvdb.proto.v1.ErrorReason;
import io.kvdb.proto.v1.LockHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A lock this client holds, from {@link LockClient#acquire}. Closing it releases it, so a
 * try-with-resources block holds it for exactly the block. Pass {@link #fence()} to whatever the
 * lock protects, so that a holder that paused past its lease cannot overwrite the next one's work.
 *
 * <pre>{@code
 * try (HeldLock lock = kvdb.locks().acquire("deploy", Duration.ofSeconds(30))) {
 *   deploy(lock.fence());
 * }
 * }</pre>
 *
 * <p>{@link #isValid()} turns false once the lease may have run out: after a failed watchdog
 * renewal, or when the lease's end (as measured from this process) has passed. Closing a lock whose
 * lease already ran out is quiet: there is nothing left to release.
 */
public final class HeldLock implements AutoCloseable {
  private final LockClient locks;
  private final String name;
  private final String token;
  private final long fence;
  private final Duration ttl;
  private volatile Instant expiresAt;
  private volatile long leaseEndsNanos;
  private volatile boolean valid = true;
  private ScheduledFuture<?> watchdog;
  private final AtomicBoolean renewing = new AtomicBoolean();

  HeldLock(LockClient locks, String name, Duration ttl, LockHandle handle, long acquiredNanos) {
    this.locks = locks;
    this.name = name;
    this.token = handle.getToken();
    this.fence = handle.getFence();
    this.ttl = ttl;
    this.expiresAt =
        Instant.ofEpochSecond(handle.getExpiresAt().getSeconds(), handle.getExpiresAt().getNanos());
    this.leaseEndsNanos = acquiredNanos + ttl.toNanos();
  }

  public String name() {
    return name;
  }

  /** Strictly larger than the fence of every earlier holder of this name. */
  public long fence() {
    return fence;
  }

  /** The opaque proof of ownership. */
  public String token() {
    return token;
  }

  /** When the lease runs out unless renewed, by the Redis clock. */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** False once the lease may have run out or a renewal failed. */
  public boolean isValid() {
    return valid && System.nanoTime() < leaseEndsNanos;
  }

  /** Extends the lease to {@code newTtl} from now; {@code NOT_OWNER} if it was lost. */
  public void renew(Duration newTtl) {
    Calls.await(renewAsync(newTtl));
  }

  public CompletableFuture<Void> renewAsync(Duration newTtl) {
    long sent = System.nanoTime();
    return locks
        .renewAsync(name, token, newTtl)
        .handle(
            (handle, failure) -> {
              if (failure != null) {
                KvdbException error = KvdbException.from(failure);
                refused(error);
                throw error;
              }
              renewed(handle, sent, newTtl);
              return null;
            });
  }

  private void renewed(LockHandle handle, long sentNanos, Duration newTtl) {
    expiresAt =
        Instant.ofEpochSecond(handle.getExpiresAt().getSeconds(), handle.getExpiresAt().getNanos());
    leaseEndsNanos = sentNanos + newTtl.toNanos();
  }

  private void refused(KvdbException error) {
    if (error.reason() == ErrorReason.NOT_OWNER) {
      valid = false;
    }
  }

  /** Stops the watchdog and releases the lock if this token still holds it. */
  @Override
  public void close() {
    Calls.await(closeAsync());
  }

  /** The async form of {@link #close()}. */
  public CompletableFuture<Void> closeAsync() {
    synchronized (this) {
      if (watchdog != null) {
        watchdog.cancel(false);
      }
    }
    if (!valid) {
      return CompletableFuture.completedFuture(null);
    }
    valid = false;
    return locks
        .releaseAsync(name, token)
        .exceptionally(
            failure -> {
              KvdbException error = KvdbException.from(failure);
              if (error.reason() != ErrorReason.NOT_OWNER) {
                throw error;
              }
              return null;
            });
  }

  /**
   * Renews at a third of the TTL until closed or until a renewal fails for good. The timer only
   * sends renewals (one in flight per lock; a tick that finds one still on its way skips), so the
   * one timer thread of a client serves all its locks and a slow reply delays no other lock.
   */
  synchronized void startWatchdog(
      ScheduledExecutorService timer, LockOptions.LockLostListener onLost) {
    long period = Math.max(1, ttl.toMillis() / 3);
    watchdog =
        timer.scheduleAtFixedRate(
            () -> renewOrGiveUp(onLost), period, period, TimeUnit.MILLISECONDS);
  }

  private void renewOrGiveUp(LockOptions.LockLostListener onLost) {
    if (!valid || !renewing.compareAndSet(false, true)) {
      return;
    }
    long sent = System.nanoTime();
    locks
        .renewAsync(name, token, ttl)
        .whenComplete(
            (handle, failure) -> {
              renewing.set(false);
              if (failure == null) {
                renewed(handle, sent, ttl);
              } else {
                KvdbException error = KvdbException.from(failure);
                refused(error);
                giveUpIfLost(error, onLost);
              }
            });
  }

  private void giveUpIfLost(KvdbException error, LockOptions.LockLostListener onLost) {
    boolean lost = error.code() != Status.Code.UNAVAILABLE || System.nanoTime() >= leaseEndsNanos;
    if (!lost) {
      return;
    }
    synchronized (this) {
      if (watchdog.isCancelled()) {
        return;
      }
      watchdog.cancel(false);
    }
    valid = false;
    // Off the transport thread that read the refusal: the listener may block.
    CompletableFuture.runAsync(() -> onLost.lost(this, error));
  }

  @Override
  public String toString() {
    return "HeldLock[" + name + ", fence " + fence + (isValid() ? ", held" : ", lost") + "]";
  }
}
