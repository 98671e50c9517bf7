package io.kvdb.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * With {@code --json PATH}, every result also appended to PATH as one JSON line, for scripts that
 * compare runs; without it, nothing.
 */
final class ResultLog implements AutoCloseable {
  /** One result as written: field names are the JSON keys. */
  record Line(
      String benchmark,
      String label,
      Map<String, String> context,
      Map<String, String> options,
      double itemsPerSecond,
      double operationsPerSecond,
      Latency latencyMicros,
      long errors,
      double measuredSeconds,
      Map<String, Double> cpuMicrosPerOperation,
      List<String> cpuNotes,
      Double redisCpuMicrosPerItem,
      String version,
      String timestamp) {}

  record Latency(long p50, long p99, long p999, long max) {}

  private final Gson gson = new GsonBuilder().disableHtmlEscaping().create();
  private final Optional<BufferedWriter> out;
  private final String benchmark;
  private final Map<String, String> options;
  private final String version;

  private ResultLog(
      Optional<BufferedWriter> out, String benchmark, Map<String, String> options, String version) {
    this.out = out;
    this.benchmark = benchmark;
    this.options = options;
    this.version = version;
  }

  static ResultLog open(Benchmark benchmark, BenchOptions options) {
    Optional<String> path = Optional.ofNullable(options.values().get("json"));
    if (path.isEmpty()) {
      return new ResultLog(Optional.empty(), benchmark.displayName(), Map.of(), null);
    }
    try {
      BufferedWriter writer =
          Files.newBufferedWriter(
              Path.of(path.get()),
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
      return new ResultLog(
          Optional.of(writer),
          benchmark.displayName(),
          options.values(),
          GitVersion.describe().orElse(null));
    } catch (IOException e) {
      throw new UncheckedIOException("--json: cannot write " + path.get(), e);
    }
  }

  /** {@code context} tells results of one command apart, e.g. gateway or direct, round, jar. */
  void write(Map<String, String> context, List<LoadRun.Result> results) {
    if (out.isEmpty()) {
      return;
    }
    try {
      for (LoadRun.Result result : results) {
        out.get().write(gson.toJson(line(context, result)));
        out.get().newLine();
      }
      out.get().flush();
    } catch (IOException e) {
      throw new UncheckedIOException("--json: cannot write", e);
    }
  }

  private Line line(Map<String, String> context, LoadRun.Result result) {
    return new Line(
        benchmark,
        result.label(),
        context,
        options,
        result.itemsPerSecond(),
        result.operationsPerSecond(),
        new Latency(result.p50(), result.p99(), result.p999(), result.max()),
        result.errors(),
        result.seconds(),
        result.cpuMicrosPerOperation(),
        result.cpu().notes(),
        result.redisCpuMicrosPerItem().orElse(null),
        version,
        Instant.now().toString());
  }

  @Override
  public void close() throws IOException {
    if (out.isPresent()) {
      out.get().close();
    }
  }
}
