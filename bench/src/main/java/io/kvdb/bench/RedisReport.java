package io.kvdb.bench;

import io.kvdb.lua.redis.RedisConnector;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * Where Redis's time went during a run: its CPU seconds and, per script call, the microseconds
 * {@code INFO commandstats} reports for EVALSHA. Empty when the bench cannot reach Redis.
 */
final class RedisReport {
  private final Optional<URI> redis;
  private Map<String, String> before = Map.of();

  RedisReport(Optional<URI> redis) {
    this.redis = redis;
  }

  void start() {
    before = read();
  }

  void print() {
    Map<String, String> after = read();
    if (after.isEmpty()) {
      return;
    }
    double cpu = seconds(after) - seconds(before);
    long calls = number(after.get("evalsha.calls")) - number(before.get("evalsha.calls"));
    double usec = number(after.get("evalsha.usec")) - number(before.get("evalsha.usec"));
    System.out.printf(
        "Redis: %.1f CPU seconds, %,d script calls, %.1f us of Redis time per call%n",
        cpu, calls, calls == 0 ? 0 : usec / calls);
  }

  private Map<String, String> read() {
    if (redis.isEmpty()) {
      return Map.of();
    }
    Map<String, String> values = new HashMap<>();
    try (UnifiedJedis jedis =
        RedisConnector.connect(redis.get(), RedisConnector.Settings.DEFAULT)) {
      for (String line : (jedis.info("cpu") + "\n" + jedis.info("commandstats")).split("\r?\n")) {
        if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
          values.put(
              line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1).trim());
        } else if (line.startsWith("cmdstat_evalsha:")) {
          for (String field : line.substring("cmdstat_evalsha:".length()).split(",")) {
            String[] pair = field.split("=");
            values.put("evalsha." + pair[0], pair[1]);
          }
        }
      }
    }
    return values;
  }

  private static double seconds(Map<String, String> values) {
    return Double.parseDouble(values.getOrDefault("used_cpu_user", "0"))
        + Double.parseDouble(values.getOrDefault("used_cpu_sys", "0"));
  }

  private static long number(String value) {
    return value == null ? 0 : (long) Double.parseDouble(value);
  }
}
