package io.kvdb.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code --gateway-jar A --gateway-jar-b B --rounds N}: the same benchmark against two gateway jars
 * in turn, A, B, A, B..., each run a fresh child gateway on the same Redis emptied, warm-up
 * included; then per round and as medians over the rounds, B ÷ A of items/s and of Redis CPU per
 * item. Alternating spreads the machine's drift over both sides.
 */
final class AbComparison {
  private static final int DEFAULT_ROUNDS = 3;

  /** One round: the results of A and of B, workloads in the same order. */
  record Round(List<LoadRun.Result> a, List<LoadRun.Result> b) {}

  private AbComparison() {}

  static void run(Benchmark benchmark, BenchOptions options, ResultLog log, PrintStream out)
      throws Exception {
    Path a =
        Path.of(
            options
                .gatewayJar()
                .orElseThrow(
                    () -> new IllegalArgumentException("--gateway-jar-b needs --gateway-jar")));
    Path b = Path.of(options.text("gateway-jar-b", ""));
    if (options.flag("direct")) {
      throw new IllegalArgumentException("--direct and --gateway-jar-b exclude each other");
    }
    int rounds = options.integer("rounds", DEFAULT_ROUNDS);
    if (rounds < 1) {
      throw new IllegalArgumentException("--rounds is 1 or more, not " + rounds);
    }
    List<Round> measured = new ArrayList<>();
    try (BenchTarget target = BenchTarget.open(options)) {
      for (int round = 1; round <= rounds; round++) {
        // The first A runs on the gateway the target started, on a Redis as fresh.
        List<LoadRun.Result> fromA =
            runOne(benchmark, target, options, log, round, "A", a, round > 1, out);
        List<LoadRun.Result> fromB =
            runOne(benchmark, target, options, log, round, "B", b, true, out);
        measured.add(new Round(fromA, fromB));
      }
    }
    print(measured, out);
  }

  private static List<LoadRun.Result> runOne(
      Benchmark benchmark,
      BenchTarget target,
      BenchOptions options,
      ResultLog log,
      int round,
      String side,
      Path jar,
      boolean restart,
      PrintStream out)
      throws Exception {
    if (restart) {
      target.restartGateway(jar);
    }
    out.printf("round %d, %s: %s%n", round, side, Bench.describe(target));
    List<LoadRun.Result> results = benchmark.run(target, options);
    results.forEach(result -> out.println(result.summary()));
    log.write(
        Map.of("side", side, "jar", jar.toString(), "round", Integer.toString(round)), results);
    return results;
  }

  /** Each workload's figures round by round, and the medians of B ÷ A. */
  static void print(List<Round> rounds, PrintStream out) {
    out.println("A/B, B ÷ A of items/s and of Redis CPU per item:");
    for (int w = 0; w < rounds.get(0).a().size(); w++) {
      List<Double> throughput = new ArrayList<>();
      List<Double> redisCpu = new ArrayList<>();
      for (int r = 0; r < rounds.size(); r++) {
        LoadRun.Result a = rounds.get(r).a().get(w);
        LoadRun.Result b = rounds.get(r).b().get(w);
        double itemsRatio = Ratios.of(b.itemsPerSecond(), a.itemsPerSecond());
        double cpuRatio = Ratios.of(redisPerItem(b), redisPerItem(a));
        throughput.add(itemsRatio);
        redisCpu.add(cpuRatio);
        out.printf(
            "  round %d, %s: A %,.0f items/s, Redis %.1f us/item; B %,.0f items/s, Redis %.1f"
                + " us/item; B ÷ A %.3f, %.3f%n",
            r + 1,
            a.label(),
            a.itemsPerSecond(),
            redisPerItem(a),
            b.itemsPerSecond(),
            redisPerItem(b),
            itemsRatio,
            cpuRatio);
      }
      out.printf(
          "median B ÷ A over %d rounds, %s: items/s %.3f, Redis CPU per item %.3f%n",
          rounds.size(),
          rounds.get(0).a().get(w).label(),
          Ratios.median(throughput),
          Ratios.median(redisCpu));
    }
  }

  private static double redisPerItem(LoadRun.Result result) {
    return result.redisCpuMicrosPerItem().orElse(Double.NaN);
  }
}
