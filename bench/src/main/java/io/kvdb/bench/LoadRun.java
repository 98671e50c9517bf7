package io.kvdb.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Runs workers in a closed loop for a warm-up and then a measured period, prints a progress line
 * per second, and summarises throughput and latency (HdrHistogram, microseconds).
 */
final class LoadRun {
  /** One unit of work; returns how many logical items it completed (e.g. messages in a batch). */
  @FunctionalInterface
  interface Operation {
    int run(int worker) throws Exception;
  }

  private final String label;
  private final int workers;
  private final Duration warmup;
  private final Duration duration;
  private final PrintStream out;

  LoadRun(String label, int workers, Duration warmup, Duration duration, PrintStream out) {
    this.label = label;
    this.workers = workers;
    this.warmup = warmup;
    this.duration = duration;
    this.out = out;
  }

  Result run(Operation operation) throws InterruptedException {
    Recorder latencies = new Recorder(3);
    LongAdder items = new LongAdder();
    LongAdder errors = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      int worker = w;
      Thread thread = new Thread(() -> {
        while (!stop.get()) {
          long start = System.nanoTime();
          try {
            items.add(operation.run(worker));
            latencies.recordValue((System.nanoTime() - start) / 1000);
          } catch (Exception e) {
            errors.increment();
          }
        }
      }, "bench-" + w);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }

    Thread.sleep(warmup.toMillis());
    latencies.reset();
    items.reset();
    errors.reset();
    Histogram total = new Histogram(3);
    long startedAt = System.nanoTime();
    long lastItems = 0;
    for (long second = 1; second <= duration.toSeconds(); second++) {
      Thread.sleep(Math.max(0, startedAt + second * 1_000_000_000L - System.nanoTime()) / 1_000_000);
      Histogram interval = latencies.getIntervalHistogram();
      total.add(interval);
      long now = items.sum();
      out.printf("%s  %3ds  %,9d items/s  p50 %,7d us  p99 %,7d us%n", label, second, now - lastItems,
          interval.getValueAtPercentile(50), interval.getValueAtPercentile(99));
      lastItems = now;
    }
    double seconds = (System.nanoTime() - startedAt) / 1e9;
    stop.set(true);
    for (Thread thread : threads) {
      thread.join(10_000);
    }
    return new Result(label, items.sum() / seconds, total.getTotalCount() / seconds, errors.sum(),
        total.getValueAtPercentile(50), total.getValueAtPercentile(99), total.getValueAtPercentile(99.9),
        total.getMaxValue());
  }

  /** Throughput in items and operations per second, and operation latency in microseconds. */
  record Result(String label, double itemsPerSecond, double operationsPerSecond, long errors,
      long p50, long p99, long p999, long max) {
    String summary() {
      return String.format("%s: %,.0f items/s (%,.0f ops/s), latency per op p50 %,d us, p99 %,d us, p99.9 %,d us,"
          + " max %,d us, %d errors", label, itemsPerSecond, operationsPerSecond, p50, p99, p999, max, errors);
    }
  }
}
