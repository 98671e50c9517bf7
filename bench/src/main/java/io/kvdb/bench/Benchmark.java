package io.kvdb.bench;

import java.util.Arrays;
import java.util.List;

/** The benchmarks by name: the options each reads and its run. */
enum Benchmark {
  MESSAGES(
      "messages",
      MessageBench::run,
      "queues",
      "producers",
      "consumers",
      "batch",
      "size",
      "channels",
      "consume",
      "post",
      "migrate-after"),
  DEPTH("depth", ClaimDepthBench::run, "depths", "size"),
  STATS("stats", StatsBench::run, "clients", "batch", "services", "channels"),
  BROKER("broker", BrokerBench::run, "publishers", "subscribers", "mode", "size", "channels"),
  LOCKS("locks", LockBench::run, "clients", "channels", "names"),
  FAIRNESS("fairness", FairnessBench::run, "flooders", "batch", "size", "flood-rate", "channels");

  /** One run of a benchmark's workloads against a target. */
  @FunctionalInterface
  interface Run {
    List<LoadRun.Result> run(BenchTarget target, BenchOptions options) throws Exception;
  }

  private final String name;
  private final Run run;
  private final List<String> options;

  Benchmark(String name, Run run, String... options) {
    this.name = name;
    this.run = run;
    this.options = List.of(options);
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
}
