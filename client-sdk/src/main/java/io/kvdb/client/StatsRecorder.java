package io.kvdb.client;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.kvdb.proto.v1.Invocation;
import io.kvdb.proto.v1.RejectedInvocation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Times work and records it without slowing it down: invocations go into a bounded buffer and a
 * background thread sends them in batches of up to 100 (or every 100 ms). Timed work is stamped by
 * the Redis clock when its batch is recorded, so a client clock that is wrong costs nothing; {@link
 * #record(String, long, boolean, Instant)} gives an explicit time instead. When the buffer is full
 * or sending fails, invocations are dropped and counted ({@link #dropped()}) rather than blocking
 * or failing the caller. An invocation refused on its own (a duration over an hour, a bad service
 * name, a time too far from the Redis clock) is dropped alone, counted, and handed to the {@link
 * StatsRecorderOptions#onRejected() rejection listener}; the rest of its batch is recorded.
 *
 * <pre>{@code
 * try (StatsRecorder stats = kvdb.stats().recorder()) {
 *   Invoice invoice = stats.time("billing.create-invoice", () -> createInvoice(order));
 * }
 * }</pre>
 */
public final class StatsRecorder implements AutoCloseable {
  private static final int BATCH = 100;
  private static final int BUFFER = 100_000;
  private static final long FLUSH_MILLIS = 100;

  /** The longest duration the gateway records; longer ones are counted as dropped, not sent. */
  private static final long MAX_NANOS = TimeUnit.HOURS.toNanos(1);

  /** An invocation refused: its service, the field refused (service, duration or time) and why. */
  public record Rejection(String service, String field, String description) {
    private static final System.Logger LOG = System.getLogger(StatsRecorder.class.getName());

    static void log(Rejection rejection) {
      LOG.log(
          System.Logger.Level.WARNING,
          "statistics of {0} not recorded: {1} {2}",
          rejection.service(),
          rejection.field(),
          rejection.description());
    }
  }

  private final StatsClient stats;
  private final Consumer<Rejection> onRejected;
  private final BlockingQueue<Invocation> buffer = new ArrayBlockingQueue<>(BUFFER);
  private final AtomicLong dropped = new AtomicLong();
  private final Thread sender;
  private volatile boolean running = true;

  StatsRecorder(StatsClient stats, StatsRecorderOptions options) {
    this.stats = stats;
    this.onRejected = options.onRejected();
    this.sender = new Thread(this::sendUntilClosed, "kvdb-stats-recorder");
    sender.setDaemon(true);
    sender.start();
  }

  /** Runs {@code work}, records its duration and outcome (a thrown exception is an error). */
  public void time(String service, Runnable work) {
    time(
        service,
        () -> {
          work.run();
          return null;
        });
  }

  /** Runs {@code work}, records its duration and outcome, and returns its result. */
  public <T> T time(String service, Callable<T> work) {
    long start = System.nanoTime();
    boolean failed = true;
    try {
      T result = work.call();
      failed = false;
      return result;
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      record(service, System.nanoTime() - start, failed);
    }
  }

  /** Queues one invocation for the next batch, to be stamped by the Redis clock. */
  public void record(String service, long durationNanos, boolean error) {
    queue(service, durationNanos, error, null);
  }

  /**
   * Queues one invocation that ran at {@code at} (within a minute ahead and 48 h behind the Redis
   * clock).
   */
  public void record(String service, long durationNanos, boolean error, Instant at) {
    queue(
        service,
        durationNanos,
        error,
        Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build());
  }

  private void queue(String service, long durationNanos, boolean error, Timestamp at) {
    if (!running) {
      dropped.incrementAndGet();
      return;
    }
    if (durationNanos < 0 || durationNanos > MAX_NANOS) {
      reject(
          new Rejection(
              service, "duration", "must be from 0 to 1 hour, got " + durationNanos + " ns"));
      return;
    }
    Invocation.Builder invocation =
        Invocation.newBuilder()
            .setService(service)
            .setDuration(
                Duration.newBuilder()
                    .setSeconds(durationNanos / 1_000_000_000)
                    .setNanos((int) (durationNanos % 1_000_000_000)))
            .setError(error);
    if (at != null) {
      invocation.setTime(at);
    }
    if (!buffer.offer(invocation.build())) {
      dropped.incrementAndGet();
    }
  }

  private void reject(Rejection rejection) {
    dropped.incrementAndGet();
    try {
      onRejected.accept(rejection);
    } catch (RuntimeException listenerFailed) {
      Rejection.log(rejection);
    }
  }

  /**
   * Invocations not recorded: refused, or dropped because the buffer was full or sending failed.
   */
  public long dropped() {
    return dropped.get();
  }

  private void sendUntilClosed() {
    List<Invocation> batch = new ArrayList<>(BATCH);
    while (running || !buffer.isEmpty()) {
      try {
        Invocation first = buffer.poll(FLUSH_MILLIS, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        buffer.drainTo(batch, BATCH - 1);
        for (RejectedInvocation refused : stats.recordSkippingRejected(batch).getRejectedList()) {
          String field = refused.getField();
          reject(
              new Rejection(
                  batch.get(refused.getIndex()).getService(),
                  field.substring(field.indexOf('.', "invocations.".length()) + 1),
                  refused.getDescription()));
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException failed) {
        // An unavailable gateway: count the loss and keep the sender alive.
        dropped.addAndGet(batch.size());
      } finally {
        batch.clear();
      }
    }
  }

  /** Sends what is buffered, then stops. */
  @Override
  public void close() {
    running = false;
    try {
      sender.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
