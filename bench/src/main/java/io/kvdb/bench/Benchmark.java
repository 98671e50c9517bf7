package io.kvdb.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The benchmarks by name: the options each reads, its run, and its direct run if it has one. */
enum Benchmark {
  MESSAGES(
      "messages",
      MessageBench::run,
      DirectMessageBench::run,
      "queues",
      "producers",
      "consumers",
      "batch",
      "size",
      "channels",
      "consume",
      "post",
      "migrate-after"),
  DEPTH("depth", ClaimDepthBench::run, null, "depths", "size"),
  SCRIPTS("scripts", ScriptCostBench::run, null, "batch", "size", "batches"),
  STATS("stats", StatsBench::run, null, "clients", "batch", "services", "channels"),
  BROKER("broker", BrokerBench::run, null, "publishers", "subscribers", "mode", "size", "channels"),
  LOCKS("locks", LockBench::run, DirectLockBench::run, "clients", "channels", "names"),
  FAIRNESS(
      "fairness", FairnessBench::run, null, "flooders", "batch", "size", "flood-rate", "channels");

  /** One run of a benchmark's workloads against a target. */
  @FunctionalInterface
  interface Run {
    List<LoadRun.Result> run(BenchTarget target, BenchOptions options) throws Exception;
  }

  private final String name;
  private final Run run;
  private final Run direct;
  private final List<String> options;

  Benchmark(String name, Run run, Run direct, String... options) {
    this.name = name;
    this.run = run;
    this.direct = direct;
    List<String> all = new ArrayList<>(Arrays.asList(options));
    if (direct != null) {
      all.add("direct");
    }
    this.options = List.copyOf(all);
  }

  static Benchmark named(String name) {
    return Arrays.stream(values())
        .filter(benchmark -> benchmark.name.equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown benchmark " + name));
  }

  String displayName() {
    return name;
  }

  /** The options of this benchmark alone, besides those all take. */
  List<String> options() {
    return options;
  }

  List<LoadRun.Result> run(BenchTarget target, BenchOptions options) throws Exception {
    return run.run(target, options);
  }

  /** The same workload calling the Lua scripts straight through Jedis, for {@code --direct}. */
  Optional<Run> direct() {
    return Optional.ofNullable(direct);
  }
}
