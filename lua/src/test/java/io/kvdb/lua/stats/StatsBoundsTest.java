package io.kvdb.lua.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.lua.redis.RedisServerProcess;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.TestRedis;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * Every statistics script call does bounded work whatever its range or backlog: it reads at most
 * {@link #MAX_READS} buckets (counted, by Redis, for each script call on a private server).
 */
class StatsBoundsTest {
  private static final int MAX_READS = 100;
  private static final String PROJECT = "bounds";
  private static RedisServerProcess server;
  private static CountingRedis redis;
  private static Stats stats;

  /** A client that asks Redis, around each script call, how many bucket reads the call made. */
  static final class CountingRedis extends JedisPooled {
    private static final Pattern CALLS = Pattern.compile("cmdstat_(hgetall|hmget):calls=(\\d+)");
    final List<Long> readsPerCall = new ArrayList<>();

    CountingRedis(java.net.URI uri) {
      super(uri);
    }

    @Override
    public Object evalsha(byte[] sha1, List<byte[]> keys, List<byte[]> args) {
      long before = reads();
      Object reply = super.evalsha(sha1, keys, args);
      readsPerCall.add(reads() - before);
      return reply;
    }

    private long reads() {
      Matcher calls = CALLS.matcher(info("commandstats"));
      long total = 0;
      while (calls.find()) {
        total += Long.parseLong(calls.group(2));
      }
      return total;
    }

    long mostReadsInOneCall() {
      return readsPerCall.stream().mapToLong(Long::longValue).max().orElse(0);
    }
  }

  @BeforeAll
  static void start() {
    server = TestRedis.startPrivate();
    redis = new CountingRedis(server.uri());
    stats = new Stats(redis, ScriptRegistry.load(redis), Retention.DEFAULTS);
  }

  @AfterAll
  static void stop() {
    redis.close();
    server.close();
  }

  @BeforeEach
  void freshServer() {
    redis.flushAll();
  }

  /** One invocation in each of the last {@code minutes} complete minutes, recorded in batches. */
  private static void recordMinutes(String service, int minutes) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    List<InvocationRecord> batch = new ArrayList<>();
    for (int m = 1; m <= minutes; m++) {
      batch.add(
          new InvocationRecord(
              service,
              1_000 + m,
              false,
              now.minus(m, ChronoUnit.MINUTES).toEpochMilli() + 1,
              new byte[0]));
      if (batch.size() == 1000 || m == minutes) {
        stats.record(PROJECT, batch, false);
        batch.clear();
      }
    }
    redis.readsPerCall.clear();
  }

  private static List<Period> periods(Level level, long from, long to) {
    List<Period> periods = new ArrayList<>();
    for (long t = level.startOf(from); t < to; t = level.next(t)) {
      periods.add(new Period(level, t));
    }
    return periods;
  }

  private static long count(Stats.Reading reading) {
    return reading.periods().stream().mapToLong(Aggregate::count).sum();
  }

  @Test
  void aSeriesOfManyFullPeriodsIsReadInSteps() {
    recordMinutes("svc", 600);
    long now = Instant.now().getEpochSecond();

    Stats.Reading minutes = stats.read(PROJECT, "svc", periods(Level.MINUTE, now - 601 * 60, now));

    assertEquals(600, count(minutes));
    assertTrue(redis.mostReadsInOneCall() <= MAX_READS, "reads in one call: " + redis.readsPerCall);
  }

  @Test
  void aPeriodWithARollupBacklogIsRolledUpFirstInSteps() {
    recordMinutes("svc", 600);
    long now = Instant.now().getEpochSecond();

    Stats.Reading months = stats.read(PROJECT, "svc", periods(Level.MONTH, now - 86_400, now));

    assertEquals(600, count(months));
    assertTrue(redis.mostReadsInOneCall() <= MAX_READS, "reads in one call: " + redis.readsPerCall);
  }

  @Test
  void aRollupBacklogIsMergedInBoundedSteps() {
    recordMinutes("svc", 600);

    assertTrue(stats.rollup(PROJECT, "svc") >= 600);

    assertTrue(redis.mostReadsInOneCall() <= MAX_READS, "reads in one call: " + redis.readsPerCall);
    long now = Instant.now().getEpochSecond();
    assertEquals(600, count(stats.read(PROJECT, "svc", periods(Level.HOUR, now - 86_400, now))));
  }

  @Test
  void periodsNoLevelKeepsAndFuturePeriodsCostNoReads() {
    recordMinutes("svc", 5);
    long year2025 = LocalDate.of(2025, 1, 1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    long year9000 = LocalDate.of(9000, 1, 1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);

    for (Map.Entry<Level, Long> old :
        Map.of(
                Level.MINUTE,
                year2025,
                Level.HOUR,
                year2025,
                Level.DAY,
                year2025 - 8 * 365 * 86_400L)
            .entrySet()) {
      Stats.Reading reading =
          stats.read(
              PROJECT,
              "svc",
              periods(
                  old.getKey(),
                  old.getValue(),
                  old.getValue()
                      + 1500
                          * (old.getKey() == Level.MINUTE
                              ? 60L
                              : old.getKey() == Level.HOUR ? 3600L : 86_400L)));
      assertEquals(1500, reading.periods().size());
      assertEquals(0, count(reading));
    }
    assertEquals(
        1500,
        stats
            .read(PROJECT, "svc", periods(Level.DAY, year9000, year9000 + 1500 * 86_400L))
            .periods()
            .size());

    assertEquals(List.of(0L, 0L, 0L, 0L), redis.readsPerCall, "one call each, and no bucket read");
  }
}
