package io.kvdb.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Command-line options shared by every benchmark: {@code --name value} pairs, and flags ({@code
 * --name} followed by another option or nothing), which read as {@code true}.
 */
record BenchOptions(Map<String, String> values) {
  /** Long enough for the JIT to settle in bench and gateway alike, as short runs showed not. */
  static final int DEFAULT_WARMUP_SECONDS = 40;

  static BenchOptions parse(String[] args, int from) {
    Map<String, String> values = new TreeMap<>();
    for (int i = from; i < args.length; i++) {
      if (!args[i].startsWith("--") || args[i].length() == 2) {
        throw new IllegalArgumentException("expected --name value, got '" + args[i] + "'");
      }
      boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
      values.put(args[i].substring(2), flag ? "true" : args[++i]);
    }
    return new BenchOptions(values);
  }

  /** The gateway to measure; empty to start one in-process on an embedded Redis. */
  Optional<String> target() {
    return Optional.ofNullable(values.get("target"));
  }

  /** A gateway jar to run as a child process; empty to start the gateway in-process. */
  Optional<String> gatewayJar() {
    return Optional.ofNullable(values.get("gateway-jar"));
  }

  int integer(String name, int fallback) {
    return Integer.parseInt(values.getOrDefault(name, Integer.toString(fallback)));
  }

  String text(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  boolean flag(String name) {
    return Boolean.parseBoolean(values.getOrDefault(name, "false"));
  }

  Duration seconds(String name, int fallback) {
    return Duration.ofSeconds(integer(name, fallback));
  }

  /** The warm-up before every measured period, {@link #DEFAULT_WARMUP_SECONDS} unless given. */
  Duration warmup() {
    return seconds("warmup", DEFAULT_WARMUP_SECONDS);
  }

  /** Fails on options no benchmark read, so a typo does not silently measure the default. */
  void rejectUnknown(List<String> common, List<String> own) {
    for (String name : values.keySet()) {
      if (!common.contains(name) && !own.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name);
      }
    }
  }
}
