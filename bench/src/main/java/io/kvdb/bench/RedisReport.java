package io.kvdb.bench;

import io.kvdb.bench.RedisNodes.Node;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where Redis's time went during a run, per redis-server (every node of a cluster, primaries and
 * replicas apart) and per pool when there are several: CPU seconds from {@code INFO cpu}, script
 * calls and their microseconds from {@code INFO commandstats} (EVALSHA), each primary's and each
 * pool's share of the primaries' CPU, and the Redis CPU per item of each workload. Empty when the
 * bench cannot reach Redis.
 */
final class RedisReport {
  /** What one server had spent when sampled; differences of two samples cover a run. */
  record Usage(double cpuSeconds, long scriptCalls, long scriptMicros) {
    static final Usage NONE = new Usage(0, 0, 0);

    /** From the text of {@code INFO cpu} and {@code INFO commandstats}. */
    static Usage parse(String info) {
      double cpu = 0;
      long calls = 0;
      long micros = 0;
      for (String line : info.split("\r?\n")) {
        if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
          cpu += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
        } else if (line.startsWith("cmdstat_evalsha:")) {
          for (String field : line.substring("cmdstat_evalsha:".length()).split(",")) {
            String[] pair = field.split("=");
            switch (pair[0]) {
              case "calls" -> calls = Long.parseLong(pair[1].trim());
              case "usec" -> micros = Long.parseLong(pair[1].trim());
              default -> {}
            }
          }
        }
      }
      return new Usage(cpu, calls, micros);
    }

    Usage minus(Usage earlier) {
      return new Usage(
          cpuSeconds - earlier.cpuSeconds,
          scriptCalls - earlier.scriptCalls,
          scriptMicros - earlier.scriptMicros);
    }

    Usage plus(Usage other) {
      return new Usage(
          cpuSeconds + other.cpuSeconds,
          scriptCalls + other.scriptCalls,
          scriptMicros + other.scriptMicros);
    }
  }

  private final Map<String, URI> deployments;
  private final Map<String, RedisNodes> nodes = new LinkedHashMap<>();
  private final Map<Node, String> poolOf = new LinkedHashMap<>();
  private Map<Node, Usage> before = Map.of();
  private Map<Node, Usage> after = Map.of();

  /** A report on the Redis deployments of a run, by pool name; none for no report. */
  RedisReport(Map<String, URI> deployments) {
    this.deployments = Map.copyOf(deployments);
  }

  /** Samples every node at the start of the measured period (its nodes as they are now). */
  void start() {
    nodes.clear();
    poolOf.clear();
    deployments.keySet().stream()
        .sorted()
        .forEach(
            pool -> {
              RedisNodes found = RedisNodes.discover(deployments.get(pool));
              nodes.put(pool, found);
              found.nodes().forEach(node -> poolOf.put(node, pool));
            });
    before = sample();
  }

  /** Samples every node at the end of the measured period. */
  void stop() {
    after = sample();
  }

  /** The CPU all servers spent between {@link #start} and {@link #stop}; empty with none. */
  Optional<Duration> cpuSpent() {
    if (nodes.isEmpty()) {
      return Optional.empty();
    }
    double seconds = spent().values().stream().mapToDouble(Usage::cpuSeconds).sum();
    return Optional.of(Duration.ofNanos(Math.round(seconds * 1e9)));
  }

  private Map<Node, Usage> spent() {
    Map<Node, Usage> spent = new LinkedHashMap<>();
    before.forEach((node, start) -> spent.put(node, after.getOrDefault(node, start).minus(start)));
    return spent;
  }

  void print(List<LoadRun.Result> results, double seconds, PrintStream out) {
    if (nodes.isEmpty()) {
      return;
    }
    Map<Node, Usage> spent = spent();
    Usage primaries = total(spent, true);
    Usage replicas = total(spent, false);
    Usage all = primaries.plus(replicas);
    out.printf(
        "Redis: %.1f CPU seconds (primaries %.1f, replicas %.1f), %,d script calls,"
            + " %.1f us of Redis time per call%n",
        all.cpuSeconds(),
        primaries.cpuSeconds(),
        replicas.cpuSeconds(),
        all.scriptCalls(),
        all.scriptCalls() == 0 ? 0 : (double) all.scriptMicros() / all.scriptCalls());
    if (poolOf.size() > nodes.size()) {
      spent.forEach(
          (node, usage) ->
              out.printf(
                  "  %s %s: %.2f CPU seconds%s, %,d script calls%n",
                  node.primary() ? "primary" : "replica",
                  node.address(),
                  usage.cpuSeconds(),
                  node.primary()
                      ? String.format(
                          ", %.0f %% of the primaries'",
                          100 * usage.cpuSeconds() / primaries.cpuSeconds())
                      : "",
                  usage.scriptCalls()));
    }
    if (nodes.size() > 1) {
      for (String pool : nodes.keySet()) {
        Usage used =
            spent.entrySet().stream()
                .filter(entry -> poolOf.get(entry.getKey()).equals(pool))
                .map(Map.Entry::getValue)
                .reduce(Usage.NONE, Usage::plus);
        out.printf(
            "  pool %s: %.2f CPU seconds (%.0f %% of all Redis CPU), %,d script calls%n",
            pool,
            used.cpuSeconds(),
            all.cpuSeconds() == 0 ? 0 : 100 * used.cpuSeconds() / all.cpuSeconds(),
            used.scriptCalls());
      }
    }
    for (LoadRun.Result result : results) {
      double items = result.itemsPerSecond() * seconds;
      if (items > 0) {
        out.printf(
            "Redis CPU per item of '%s': %.1f us (primaries %.1f us)%n",
            result.label(), 1e6 * all.cpuSeconds() / items, 1e6 * primaries.cpuSeconds() / items);
      }
    }
  }

  private Map<Node, Usage> sample() {
    Map<Node, Usage> usage = new LinkedHashMap<>();
    nodes
        .values()
        .forEach(
            redis ->
                redis
                    .nodes()
                    .forEach(
                        node ->
                            usage.put(node, Usage.parse(redis.info(node, "cpu", "commandstats")))));
    return usage;
  }

  private static Usage total(Map<Node, Usage> spent, boolean primaries) {
    return spent.entrySet().stream()
        .filter(entry -> entry.getKey().primary() == primaries)
        .map(Map.Entry::getValue)
        .reduce(Usage.NONE, Usage::plus);
  }
}
