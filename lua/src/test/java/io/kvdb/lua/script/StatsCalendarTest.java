package io.kvdb.lua.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.lua.stats.Level;
import io.kvdb.lua.testing.Admin;
import io.kvdb.lua.testing.WithRedis;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * The period arithmetic of lib/stats.lua agrees with java.time, which the gateway uses to ask for
 * periods: UTC months of every length, leap years included; and histogram buckets are where the
 * percentile arithmetic expects them.
 */
@WithRedis
class StatsCalendarTest {
  private final UnifiedJedis redis;

  StatsCalendarTest(@Admin UnifiedJedis redis) {
    this.redis = redis;
  }

  private long lua(String expression, long argument) {
    String script = ScriptSource.read("lib/stats") + "\nreturn " + expression;
    return (Long)
        redis.eval(script, List.of("kvdb:st:{calendar}"), List.of(Long.toString(argument)));
  }

  @Test
  void monthsStartAndEndWhereJavaTimeSaysTheyDo() {
    Random random = new Random(42);
    List<LocalDate> edges =
        List.of(
            LocalDate.of(2024, 2, 29),
            LocalDate.of(2023, 2, 28),
            LocalDate.of(2000, 3, 1),
            LocalDate.of(2100, 12, 31),
            LocalDate.of(1970, 1, 1),
            LocalDate.of(2026, 11, 30));
    for (int i = 0; i < 200; i++) {
      long second =
          i < edges.size()
              ? edges.get(i).atStartOfDay().toEpochSecond(ZoneOffset.UTC) + 86_399
              : (long) (random.nextDouble() * 4_102_444_800L);
      long start = Level.MONTH.startOf(second);
      assertEquals(
          start, lua("period_start('M', tonumber(ARGV[1]))", second), "month of " + second);
      assertEquals(
          Level.MONTH.next(start),
          lua("period_end('M', tonumber(ARGV[1]))", start),
          "end of " + start);
      assertEquals(Level.DAY.startOf(second), lua("period_start('d', tonumber(ARGV[1]))", second));
    }
  }

  @Test
  void histogramBucketIHoldsDurationsFromOnePointZeroFiveToTheIMinusOne() {
    assertEquals(0, lua("histogram_index(tonumber(ARGV[1]))", 0));
    for (long us : new long[] {1, 2, 10, 999, 1_000_000, 3_600_000_000L}) {
      long index = lua("histogram_index(tonumber(ARGV[1]))", us);
      assertTrue(
          Math.pow(1.05, index - 1) <= us * 1.0000001 && us < Math.pow(1.05, index) * 1.0000001,
          us + " us in bucket " + index);
    }
  }
}
