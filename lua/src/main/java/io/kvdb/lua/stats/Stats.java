package io.kvdb.lua.stats;

import static io.kvdb.lua.Keys.bytes;

import io.kvdb.lua.Keys;
import io.kvdb.lua.script.Replies;
import io.kvdb.lua.script.Script;
import io.kvdb.lua.script.ScriptRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/** Service statistics of a project over the {@code stats/*} scripts. */
public final class Stats {
  /** How far ahead of the Redis clock an invocation's time may be. */
  static final long AHEAD_MILLIS = 60_000;
  private static final int BUDGET = 1000;

  private final UnifiedJedis redis;
  private final ScriptRegistry scripts;
  private final Retention retention;

  public Stats(UnifiedJedis redis, ScriptRegistry scripts, Retention retention) {
    this.redis = redis;
    this.scripts = scripts;
    this.retention = retention;
  }

  /** Records a batch in one round trip; {@code INVALID} for a time out of bounds. */
  public void record(String project, List<Invocation> invocations) {
    List<byte[]> args = new ArrayList<>(2 + invocations.size() * 5);
    args.add(bytes(Long.toString(retention.minutes().toMillis())));
    args.add(bytes(Long.toString(AHEAD_MILLIS)));
    for (Invocation invocation : invocations) {
      args.add(bytes(invocation.service()));
      args.add(bytes(Long.toString(invocation.durationMicros())));
      args.add(bytes(invocation.error() ? "1" : "0"));
      args.add(invocation.timeMillis() == null ? new byte[0] : bytes(Long.toString(invocation.timeMillis())));
      args.add(invocation.payload());
    }
    scripts.call(Script.STATS_RECORD, prefix(project), args);
  }

  /** The figures of each period, and the service's all-time usage. */
  public record Reading(List<Aggregate> periods, long usage) {}

  public Reading read(String project, String service, List<Period> periods) {
    List<byte[]> args = new ArrayList<>();
    args.add(bytes(service));
    for (Period period : periods) {
      args.add(bytes(period.level().code()));
      args.add(bytes(Long.toString(period.start())));
    }
    List<?> reply = Replies.list(scripts.call(Script.STATS_READ, prefix(project), args));
    List<Aggregate> aggregates = new ArrayList<>();
    int at = 0;
    for (int p = 0; p < periods.size(); p++) {
      long count = Replies.asLong(reply.get(at));
      long errors = Replies.asLong(reply.get(at + 1));
      long sum = Replies.asLong(reply.get(at + 2));
      String min = Replies.asString(reply.get(at + 3));
      String max = Replies.asString(reply.get(at + 4));
      int pairs = (int) Replies.asLong(reply.get(at + 5));
      Map<Integer, Long> histogram = new HashMap<>();
      for (int i = 0; i < pairs; i++) {
        histogram.put((int) Replies.asLong(reply.get(at + 6 + 2 * i)), Replies.asLong(reply.get(at + 7 + 2 * i)));
      }
      aggregates.add(count == 0 ? Aggregate.EMPTY
          : new Aggregate(count, errors, sum, Long.parseLong(min), Long.parseLong(max), histogram));
      at += 6 + 2 * pairs;
    }
    return new Reading(aggregates, Replies.asLong(reply.get(at)));
  }

  /** Rolls the service's complete buckets up every level; returns how many were merged. */
  public long rollup(String project, String service) {
    long merged = 0;
    for (Level level : List.of(Level.MINUTE, Level.HOUR, Level.DAY)) {
      long step;
      do {
        step = Replies.asLong(scripts.call(Script.STATS_ROLLUP, prefix(project), List.of(
            bytes(service), bytes(level.code()), bytes(Integer.toString(BUDGET)),
            bytes(Long.toString(retention.parentMillis(level))))));
        merged += step;
      } while (step == BUDGET);
    }
    return merged;
  }

  /** Deletes all the service has, in bounded steps. */
  public void delete(String project, String service) {
    long left;
    do {
      left = Replies.asLong(scripts.call(Script.STATS_DELETE, prefix(project),
          List.of(bytes(service), bytes(Integer.toString(BUDGET)))));
    } while (left > 0);
  }

  /** Up to {@code limit} service names after {@code after} (null: from the first). */
  public List<String> services(String project, String after, int limit) {
    return redis.zrangeByLex(key(project, ":services"), after == null ? "-" : "(" + after, "+", 0, limit);
  }

  /** The service's settings, defaults where none were set. */
  public ServiceSettings settings(String project, String service) {
    List<String> values = redis.hmget(key(project, ":cfg:" + service), "se", "sk", "st", "sn");
    ServiceSettings d = ServiceSettings.DEFAULTS;
    return new ServiceSettings(
        values.get(0) == null ? d.sampleEvery() : Integer.parseInt(values.get(0)),
        values.get(1) == null ? d.samplesKept() : Integer.parseInt(values.get(1)),
        values.get(2) == null ? d.slowThresholdMicros() : Long.parseLong(values.get(2)),
        values.get(3) == null ? d.slowKept() : Integer.parseInt(values.get(3)));
  }

  public void updateSettings(String project, String service, ServiceSettings settings) {
    scripts.call(Script.STATS_SETTINGS, prefix(project), List.of(
        bytes(service),
        bytes(Integer.toString(settings.sampleEvery())),
        bytes(Integer.toString(settings.samplesKept())),
        bytes(Long.toString(settings.slowThresholdMicros())),
        bytes(Integer.toString(settings.slowKept()))));
  }

  /** The kept samples, newest first. */
  public List<Sample> samples(String project, String service) {
    return redis.lrange(bytes(key(project, ":samples:" + service)), 0, -1).stream().map(Sample::decode).toList();
  }

  /** The kept slow responses, slowest first. */
  public List<Sample> slowest(String project, String service, int limit) {
    List<?> reply = Replies.list(scripts.call(Script.STATS_SLOW, prefix(project),
        List.of(bytes(service), bytes(Integer.toString(limit)))));
    return reply.stream().map(entry -> Sample.decode(Replies.asBytes(entry))).toList();
  }

  private static List<byte[]> prefix(String project) {
    return List.of(bytes(Keys.stats(project)));
  }

  private static String key(String project, String suffix) {
    return Keys.stats(project) + suffix;
  }
}
