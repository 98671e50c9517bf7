package io.kvdb.gateway.lock;

import io.grpc.stub.ServerCallStreamObserver;
import io.kvdb.gateway.api.ErrorMapper;
import io.kvdb.lua.lock.Acquisition;
import io.kvdb.lua.lock.LockRef;
import io.kvdb.lua.lock.Locks;
import io.kvdb.proto.v1.AcquireLockResponse;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Acquire call: tries at once and, while it may wait, tries again whenever the lock is
 * released or the holder's lease runs out, until it gets the lock, its wait ends, or the caller
 * goes away. No thread and no Redis connection is held between attempts.
 */
final class AcquireAttempts {
  private static final Logger log = LoggerFactory.getLogger(AcquireAttempts.class);
  /** Slack past a holder's expiry before trying again, so the key is surely gone. */
  private static final long EXPIRY_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private final LockService.Runtime runtime;
  private final Locks locks;
  private final LockRef lock;
  private final String token;
  private final Duration ttl;
  private final String label;
  private final long giveUpAt;
  private final boolean waits;
  private final ServerCallStreamObserver<AcquireLockResponse> observer;
  private final BiFunction<Acquisition, String, AcquireLockResponse> toResponse;

  private final Object guard = new Object();
  private boolean finished;
  private Runnable unpark = () -> { };
  private ScheduledFuture<?> retryTimer;

  AcquireAttempts(LockService.Runtime runtime, Locks locks, LockRef lock, String token, Duration ttl, String label,
      long waitNanos, ServerCallStreamObserver<AcquireLockResponse> observer,
      BiFunction<Acquisition, String, AcquireLockResponse> toResponse) {
    this.runtime = runtime;
    this.locks = locks;
    this.lock = lock;
    this.token = token;
    this.ttl = ttl;
    this.label = label;
    this.waits = waitNanos > 0;
    this.giveUpAt = System.nanoTime() + waitNanos;
    this.observer = observer;
    this.toResponse = toResponse;
  }

  /** Runs on the gRPC handler thread: registers for cancellation and makes the first attempt. */
  void start() {
    if (waits) {
      runtime.waiters().watch(lock);
      observer.setOnCancelHandler(this::cancelled);
    }
    attempt();
  }

  private void attempt() {
    try {
      long seen = waits ? runtime.waiters().releasesSeen(lock) : 0;
      Acquisition attempt = locks.acquire(lock, token, ttl, label);
      long left = giveUpAt - System.nanoTime();
      if (attempt.acquired() || !waits || left <= 0) {
        finish(attempt);
        return;
      }
      parkUntilRelease(seen, Math.min(left, attempt.leaseLeft().toNanos() + EXPIRY_SLACK_NANOS));
    } catch (RuntimeException error) {
      fail(error);
    }
  }

  /** Waits for a release announcement, or for the retry timer (lease end or wait end). */
  private void parkUntilRelease(long seen, long retryInNanos) {
    AtomicBoolean woken = new AtomicBoolean();
    BooleanSupplier wake = () -> {
      if (!woken.compareAndSet(false, true)) {
        return false;
      }
      runtime.executor().execute(this::wakeUp);
      return true;
    };
    synchronized (guard) {
      if (finished) {
        return;
      }
      retryTimer = runtime.timer().schedule(wake::getAsBoolean, retryInNanos, TimeUnit.NANOSECONDS);
      unpark = runtime.waiters().park(lock, seen, wake);
    }
  }

  private void wakeUp() {
    synchronized (guard) {
      if (finished) {
        return;
      }
      unpark.run();
      retryTimer.cancel(false);
    }
    attempt();
  }

  private void finish(Acquisition attempt) {
    if (!markFinished()) {
      if (attempt.acquired()) {
        releaseUnwanted();
      }
      return;
    }
    observer.onNext(toResponse.apply(attempt, token));
    observer.onCompleted();
  }

  private void fail(RuntimeException error) {
    if (markFinished()) {
      observer.onError(ErrorMapper.toStatus(error));
    }
  }

  private void cancelled() {
    markFinished();
  }

  /** True for the first of finish, failure and cancellation; stops waiting either way. */
  private boolean markFinished() {
    synchronized (guard) {
      if (finished) {
        return false;
      }
      finished = true;
      unpark.run();
      if (retryTimer != null) {
        retryTimer.cancel(false);
      }
    }
    if (waits) {
      runtime.waiters().unwatch(lock);
    }
    return !observer.isCancelled();
  }

  /** The caller left while the lock was being taken for it: give it back at once. */
  private void releaseUnwanted() {
    try {
      locks.release(lock, token, runtime.waiters().announcement(lock));
      runtime.waiters().released(lock.id());
    } catch (RuntimeException error) {
      log.warn("could not release {} taken for a caller that left; it expires with its lease", lock.id(), error);
    }
  }
}
