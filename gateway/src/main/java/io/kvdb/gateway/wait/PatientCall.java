package io.kvdb.gateway.wait;

import io.grpc.stub.ServerCallStreamObserver;
import io.kvdb.gateway.api.ErrorMapper;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A unary call that may wait (a lock acquisition, a long-polling claim): it makes an attempt at
 * once and, while its wait lasts, again whenever the watched key changes or the attempt's own retry
 * time comes, until an attempt succeeds, the wait ends, or the caller goes away. No thread and no
 * Redis connection is held between attempts.
 *
 * @param <R> the response
 */
public final class PatientCall<R> {
  /**
   * What one attempt gave: a final response, or the response to send if the wait ends now and when
   * to try again at the latest. {@code undo} gives back what a final attempt took when the caller
   * is no longer there to receive it (a lock, a claim).
   */
  public record Outcome<R>(R response, boolean done, long retryInNanos, Runnable undo) {
    public static <R> Outcome<R> done(R response, Runnable undo) {
      return new Outcome<>(response, true, 0, undo);
    }

    public static <R> Outcome<R> notYet(R response, long retryInNanos) {
      return new Outcome<>(response, false, retryInNanos, () -> {});
    }
  }

  /**
   * Time kept back from the call's deadline, so a wait that ends answers before the deadline does.
   */
  private static final long DEADLINE_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /** The wait a caller asked for, cut short to end before the current call's own deadline. */
  public static long waitWithinDeadline(java.time.Duration wait) {
    long waitNanos = wait.toNanos();
    io.grpc.Deadline deadline = io.grpc.Context.current().getDeadline();
    if (deadline != null) {
      waitNanos =
          Math.min(waitNanos, deadline.timeRemaining(TimeUnit.NANOSECONDS) - DEADLINE_MARGIN_NANOS);
    }
    return Math.max(0, waitNanos);
  }

  /** What waiting calls share: timers and the threads that retry. */
  public record Runtime(ScheduledExecutorService timer, Executor executor) {}

  private final Runtime runtime;
  private final Wakeups wakeups;
  private final String key;
  private final long giveUpAt;
  private final boolean waits;
  private final ServerCallStreamObserver<R> observer;
  private final Supplier<Outcome<R>> attempt;

  private final Object guard = new Object();
  private boolean finished;
  private Runnable unpark = () -> {};
  private ScheduledFuture<?> retryTimer;

  public PatientCall(
      Runtime runtime,
      Wakeups wakeups,
      String key,
      long waitNanos,
      ServerCallStreamObserver<R> observer,
      Supplier<Outcome<R>> attempt) {
    this.runtime = runtime;
    this.wakeups = wakeups;
    this.key = key;
    this.waits = waitNanos > 0;
    this.giveUpAt = System.nanoTime() + waitNanos;
    this.observer = observer;
    this.attempt = attempt;
  }

  /** Runs on the gRPC handler thread: registers for cancellation and makes the first attempt. */
  public void start() {
    if (waits) {
      wakeups.watch(key);
      observer.setOnCancelHandler(this::markFinished);
    }
    tryOnce();
  }

  private void tryOnce() {
    try {
      long seen = waits ? wakeups.changesSeen(key) : 0;
      Outcome<R> outcome = attempt.get();
      long left = giveUpAt - System.nanoTime();
      if (outcome.done() || !waits || left <= 0) {
        finish(outcome);
        return;
      }
      parkUntilChange(seen, Math.min(left, outcome.retryInNanos()));
    } catch (RuntimeException error) {
      if (markFinished()) {
        observer.onError(ErrorMapper.toStatus(error));
      }
    }
  }

  private void parkUntilChange(long seen, long retryInNanos) {
    BooleanSupplier wake = Wakeups.once(runtime.executor(), this::wakeUp);
    synchronized (guard) {
      if (finished) {
        return;
      }
      retryTimer =
          runtime
              .timer()
              .schedule(wake::getAsBoolean, Math.max(0, retryInNanos), TimeUnit.NANOSECONDS);
      unpark = wakeups.park(key, seen, wake);
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
    tryOnce();
  }

  private void finish(Outcome<R> outcome) {
    if (!markFinished()) {
      if (outcome.done()) {
        outcome.undo().run();
      }
      return;
    }
    observer.onNext(outcome.response());
    observer.onCompleted();
  }

  /** True for the first of finish, failure and cancellation while the caller is still there. */
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
      wakeups.unwatch(key);
    }
    return !observer.isCancelled();
  }
}
