package io.kvdb.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Runs workloads side by side in closed loops for a warm-up and then a measured period, prints a
 * progress line per workload per second, and summarises throughput and latency (HdrHistogram,
 * microseconds per operation).
 */
final class LoadRun {
  /** One unit of work; returns how many logical items it completed (e.g. messages in a batch). */
  @FunctionalInterface
  interface Operation {
    int run(int worker) throws Exception;
  }

  /** A named group of workers repeating one operation. */
  record Workload(String label, int workers, Operation operation) {}

  /**
   * Throughput in items and operations per second, operation latency in microseconds, and the CPU
   * each process spent over the measured period of {@code seconds}.
   */
  record Result(
      String label,
      double itemsPerSecond,
      double operationsPerSecond,
      long errors,
      long p50,
      long p99,
      long p999,
      long max,
      double seconds,
      CpuSpent cpu) {
    String summary() {
      String line =
          String.format(
              "%s: %,.0f items/s (%,.0f ops/s), latency per op p50 %,d us, p99 %,d us, p99.9 %,d"
                  + " us, max %,d us, %d errors",
              label, itemsPerSecond, operationsPerSecond, p50, p99, p999, max, errors);
      Map<String, Double> perOperation = cpuMicrosPerOperation();
      return perOperation.isEmpty()
          ? line
          : line + "\n  cpu per op: " + CpuSpent.describe(perOperation, cpu.notes());
    }

    Result withCpu(CpuSpent spent) {
      return new Result(
          label, itemsPerSecond, operationsPerSecond, errors, p50, p99, p999, max, seconds, spent);
    }

    /** Microseconds of each process's CPU per operation of this workload. */
    Map<String, Double> cpuMicrosPerOperation() {
      return cpu.microsPer(operationsPerSecond * seconds);
    }

    /** Microseconds of Redis CPU per item of this workload; empty when Redis was not sampled. */
    Optional<Double> redisCpuMicrosPerItem() {
      return Optional.ofNullable(cpu.microsPer(itemsPerSecond * seconds).get(REDIS));
    }
  }

  /** The name of Redis's CPU (all its servers) among the processes of {@link CpuSpent}. */
  static final String REDIS = "redis";

  private final Duration warmup;
  private final Duration duration;
  private final PrintStream out;
  private RedisReport redis = new RedisReport(Map.of());
  private CpuSampler cpu = new CpuSampler(List.of(), "");

  LoadRun(Duration warmup, Duration duration, PrintStream out) {
    this.warmup = warmup;
    this.duration = duration;
    this.out = out;
  }

  /** Also report Redis's CPU (per node) and per-call script time over the measured period. */
  LoadRun reportingRedis(RedisReport report) {
    this.redis = report;
    return this;
  }

  /** Also report the CPU the bench's processes spent per operation over the measured period. */
  LoadRun reportingCpu(CpuSampler sampler) {
    this.cpu = sampler;
    return this;
  }

  List<Result> run(List<Workload> workloads) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    List<Meter> meters = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (Workload workload : workloads) {
      Meter meter = new Meter(workload.label());
      meters.add(meter);
      for (int w = 0; w < workload.workers(); w++) {
        int worker = w;
        Thread thread =
            new Thread(
                () -> {
                  while (!stop.get()) {
                    meter.measure(workload.operation(), worker);
                  }
                },
                "bench-" + workload.label() + "-" + w);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
      }
    }

    Thread.sleep(warmup.toMillis());
    meters.forEach(Meter::reset);
    redis.start();
    cpu.start();
    long startedAt = System.nanoTime();
    for (long second = 1; second <= duration.toSeconds(); second++) {
      Thread.sleep(
          Math.max(0, startedAt + second * 1_000_000_000L - System.nanoTime()) / 1_000_000);
      for (Meter meter : meters) {
        out.println(meter.progress(second));
      }
    }
    double seconds = (System.nanoTime() - startedAt) / 1e9;
    // Counted before the workers stop, so that items and Redis CPU cover the same period.
    List<Result> measured = meters.stream().map(meter -> meter.result(seconds)).toList();
    CpuSpent spent = cpu.stop();
    redis.stop();
    stop.set(true);
    for (Thread thread : threads) {
      thread.join(30_000);
    }
    redis.print(measured, seconds, out);
    CpuSpent all = withRedis(spent, workloads.size());
    return measured.stream().map(result -> result.withCpu(all)).toList();
  }

  /** The processes' CPU and Redis's; said to be shared when several workloads ran side by side. */
  private CpuSpent withRedis(CpuSpent processes, int workloads) {
    CpuSpent all = redis.cpuSpent().map(cpu -> processes.with(REDIS, cpu)).orElse(processes);
    return workloads > 1 ? all.noting("all workloads' CPU over this one's operations") : all;
  }

  /** Counts and latencies of one workload. */
  private static final class Meter {
    private final String label;
    private final Recorder latencies = new Recorder(3);
    private final LongAdder items = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final Histogram total = new Histogram(3);
    private long lastItems;

    Meter(String label) {
      this.label = label;
    }

    void measure(Operation operation, int worker) {
      long start = System.nanoTime();
      try {
        items.add(operation.run(worker));
        latencies.recordValue((System.nanoTime() - start) / 1000);
      } catch (Exception e) {
        errors.increment();
      }
    }

    void reset() {
      latencies.reset();
      items.reset();
      errors.reset();
    }

    String progress(long second) {
      Histogram interval = latencies.getIntervalHistogram();
      total.add(interval);
      long now = items.sum();
      String line =
          String.format(
              "%-40s %3ds %,10d items/s  p50 %,8d us  p99 %,8d us",
              label,
              second,
              now - lastItems,
              interval.getValueAtPercentile(50),
              interval.getValueAtPercentile(99));
      lastItems = now;
      return line;
    }

    Result result(double seconds) {
      total.add(latencies.getIntervalHistogram());
      return new Result(
          label,
          items.sum() / seconds,
          total.getTotalCount() / seconds,
          errors.sum(),
          total.getValueAtPercentile(50),
          total.getValueAtPercentile(99),
          total.getValueAtPercentile(99.9),
          total.getMaxValue(),
          seconds,
          CpuSpent.NONE);
    }
  }
}
