package io.kvdb.client;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.kvdb.proto.v1.Invocation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Times work and records it without slowing it down: invocations go into a bounded buffer and a
 * background thread sends them in batches of up to 100 (or every 100 ms). When the buffer is
 * full, a duration is out of range (over an hour) or sending fails, invocations are dropped and
 * counted ({@link #dropped()}) rather than blocking or failing the caller.
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
  private static final long MAX_NANOS = java.util.concurrent.TimeUnit.HOURS.toNanos(1);

  private final StatsClient stats;
  private final BlockingQueue<Invocation> buffer = new ArrayBlockingQueue<>(BUFFER);
  private final AtomicLong dropped = new AtomicLong();
  private final Thread sender;
  private volatile boolean running = true;

  StatsRecorder(StatsClient stats) {
    this.stats = stats;
    this.sender = new Thread(this::sendUntilClosed, "kvdb-stats-recorder");
    sender.setDaemon(true);
    sender.start();
  }

  /** Runs {@code work}, records its duration and outcome (a thrown exception is an error). */
  public void time(String service, Runnable work) {
    time(service, () -> {
      work.run();
      return null;
    });
  }

  /** Runs {@code work}, records its duration and outcome, and returns its result. */
  public <T> T time(String service, Callable<T> work) {
    Instant started = Instant.now();
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
      record(service, System.nanoTime() - start, failed, started);
    }
  }

  /** Queues one invocation for the next batch. */
  public void record(String service, long durationNanos, boolean error, Instant at) {
    if (durationNanos < 0 || durationNanos > MAX_NANOS || !running) {
      // One bad invocation must not sink a batch, and nothing is sent once closed.
      dropped.incrementAndGet();
      return;
    }
    Invocation invocation = Invocation.newBuilder()
        .setService(service)
        .setDuration(Duration.newBuilder().setSeconds(durationNanos / 1_000_000_000)
            .setNanos((int) (durationNanos % 1_000_000_000)))
        .setError(error)
        .setTime(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()))
        .build();
    if (!buffer.offer(invocation)) {
      dropped.incrementAndGet();
    }
  }

  /** Invocations dropped because the buffer was full or sending failed. */
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
        stats.record(batch);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException failed) {
        // Unavailable gateway, a rejected batch: count the loss and keep the sender alive.
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
