package io.kvdb.bench;

import java.util.List;
import java.util.Map;

/**
 * {@code java -jar kvdb-bench.jar <benchmark> [--option value]...}
 *
 * <pre>
 * messages [--queues 1] [--producers 2] [--consumers 2] [--batch 100] [--size 256] [--channels 4]
 *          [--consume claims|stream] [--post calls|publisher] [--migrate-after S (with --pools 2 or more)]
 *          [--direct]
 * depth    [--depths 1000,1000000] [--size 256]
 * scripts  [--batch 100] [--size 256] [--batches 2000] (Redis time per message of each script)
 * stats    [--clients 4] [--batch 100] [--services 10] [--channels 4]
 * broker   [--publishers 2] [--subscribers 2] [--mode all|one] [--size 256] [--channels 4]
 * locks    [--clients 16] [--channels 4] [--names distinct|one] [--direct]
 * fairness [--flooders 16] [--batch 10] [--size 256] [--flood-rate 500] [--channels 4]
 * all take [--warmup S (40)] [--duration S] [--target host:port | --gateway-jar PATH]
 *          [--gateway-jar-b PATH2 [--rounds N (3)]] [--json PATH]
 *          [--redis redis://...] [--redis-cluster N] [--redis-replicas 1]
 *          [--redis-binary embedded|path] [--pools 1]
 * </pre>
 *
 * Without {@code --target} it starts a gateway on a Redis of its own, in-process, or with {@code
 * --gateway-jar PATH} as a child process {@code java -jar PATH} stopped at the end. That Redis is
 * the embedded one, or the PATH's ({@code --redis-binary path}); one server, or a Redis Cluster of
 * N primaries with a replica each ({@code --redis-cluster N}, {@code --redis-replicas} to change
 * that); {@code --pools N} starts N such deployments, one the control Redis and the others pools,
 * and the messages bench then puts its queues in the pools in turn.
 *
 * <p>Every workload's summary gives the CPU per operation of the bench, of a child gateway and of
 * Redis. {@code --direct} runs the workload a second time calling the same Lua scripts straight
 * through Jedis and prints gateway ÷ direct throughput; {@code --gateway-jar-b} compares two
 * gateway jars round by round ({@link AbComparison}); {@code --json PATH} appends each result to
 * PATH as a JSON line.
 */
public final class Bench {
  private static final List<String> COMMON =
      List.of(
          "target",
          "gateway-jar",
          "gateway-jar-b",
          "rounds",
          "json",
          "redis",
          "redis-cluster",
          "redis-replicas",
          "redis-binary",
          "pools",
          "warmup",
          "duration");

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println(
          "usage: kvdb-bench messages|depth|scripts|stats|broker|locks|fairness [--option value]... (see docs/BENCHMARKS.md)");
      System.exit(2);
    }
    Benchmark benchmark = Benchmark.named(args[0]);
    BenchOptions options = BenchOptions.parse(args, 1);
    options.rejectUnknown(COMMON, benchmark.options());
    try (ResultLog log = ResultLog.open(benchmark, options)) {
      if (options.values().containsKey("gateway-jar-b")) {
        AbComparison.run(benchmark, options, log, System.out);
        return;
      }
      if (options.values().containsKey("rounds")) {
        throw new IllegalArgumentException("--rounds is for --gateway-jar-b");
      }
      try (BenchTarget target = BenchTarget.open(options)) {
        System.out.println("measuring " + describe(target));
        List<LoadRun.Result> results = benchmark.run(target, options);
        List<LoadRun.Result> direct =
            options.flag("direct")
                ? benchmark.direct().orElseThrow().run(target, options)
                : List.of();
        results.forEach(result -> System.out.println(result.summary()));
        log.write(Map.of("path", "gateway"), results);
        if (!direct.isEmpty()) {
          direct.forEach(result -> System.out.println(result.summary()));
          log.write(Map.of("path", "direct"), direct);
          DirectComparison.print(results, direct, System.out);
        }
      }
    }
  }

  /** The target and the machine, for the line that opens a run. */
  static String describe(BenchTarget target) {
    return target.describe()
        + " on "
        + Runtime.getRuntime().availableProcessors()
        + " cores, Java "
        + Runtime.version();
  }
}
