package io.kvdb.conformance.stats;

import static io.kvdb.conformance.stats.StatsFixtures.call;
import static io.kvdb.conformance.stats.StatsFixtures.figures;
import static io.kvdb.conformance.stats.StatsFixtures.hourAgo;
import static io.kvdb.conformance.stats.StatsFixtures.read;
import static io.kvdb.conformance.stats.StatsFixtures.record;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.v1.Invocation;
import io.kvdb.proto.v1.Resolution;
import io.kvdb.proto.v1.StatsBucket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Roll-up of minutes into hours, days and months: every level reads the same figures, before and
 * after, and nothing is counted twice.
 */
class StatsRollupTest extends ProjectScopedTest {
  private static final String SERVICE = "orders.place";

  /** The figures of one day read at every resolution (periods of the day, merged). */
  private List<StatsBucket> dayAtEveryLevel(Instant day) {
    Instant end = day.plus(Duration.ofDays(1));
    List<StatsBucket> readings = new ArrayList<>();
    for (Resolution resolution :
        List.of(Resolution.MINUTE, Resolution.HOUR, Resolution.DAY, Resolution.MONTH)) {
      readings.add(figures(read(kvdb, SERVICE, day, end, resolution).getTotal()));
    }
    return readings;
  }

  @Test
  void aDaysFiguresAreTheSameFromItsMinutesHoursDayAndMonthBeforeAndAfterRollup() {
    Instant day = StatsFixtures.yesterday();
    Instant from = StatsFixtures.recordableFrom(day);
    Random random = new Random(7);
    List<Long> durations = StatsFixtures.logUniform(random, 2500, 10, 10_000_000);
    StatsFixtures.Expected expected = new StatsFixtures.Expected();
    List<Invocation> batch = new ArrayList<>();
    for (int i = 0; i < durations.size(); i++) {
      boolean error = random.nextInt(20) == 0;
      batch.add(
          call(
              SERVICE,
              durations.get(i),
              error,
              StatsFixtures.spread(from, day.plus(Duration.ofDays(1)), i, durations.size())));
      expected.add(durations.get(i), error);
    }
    record(kvdb, batch);

    List<StatsBucket> before = dayAtEveryLevel(day);
    kvdb.stats().rollup();
    List<StatsBucket> after = dayAtEveryLevel(day);

    expected.assertMatches(before.get(0));
    for (int level = 0; level < 4; level++) {
      assertEquals(
          before.get(0),
          before.get(level),
          "before roll-up, level " + level + " reads as the minutes do");
      assertEquals(
          before.get(0),
          after.get(level),
          "after roll-up, level " + level + " reads as the minutes did");
    }
  }

  @Test
  void aPeriodStillInProgressReadsExactlyAtDayAndMonthResolution() {
    Instant day = StatsFixtures.today();
    Instant now = Instant.now();
    StatsFixtures.Expected expected = new StatsFixtures.Expected();
    List<Invocation> batch = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      batch.add(call(SERVICE, 100 + i, StatsFixtures.spread(day, now, i, 50)));
      expected.add(100 + i, false);
    }
    record(kvdb, batch);

    for (int round = 0; round < 2; round++) {
      expected.assertMatches(
          read(kvdb, SERVICE, day, day.plus(Duration.ofDays(1)), Resolution.DAY).getBuckets(0));
      expected.assertMatches(
          read(kvdb, SERVICE, day, day.plus(Duration.ofDays(1)), Resolution.MONTH).getBuckets(0));
      kvdb.stats().rollup();
    }
  }

  @Test
  void rollupTwiceCountsNothingTwice() {
    Instant hour = hourAgo(2);
    List<Invocation> batch = new ArrayList<>();
    for (int m = 0; m < 5; m++) {
      batch.add(call(SERVICE, 1_000 * (m + 1), hour.plus(Duration.ofMinutes(10 * m))));
    }
    record(kvdb, batch);
    Instant day = hour.truncatedTo(ChronoUnit.DAYS);
    boolean dayComplete = !day.plus(Duration.ofDays(1)).isAfter(Instant.now());
    StatsBucket before =
        read(kvdb, SERVICE, day, day.plus(Duration.ofDays(1)), Resolution.DAY).getBuckets(0);

    long first = kvdb.stats().rollup();
    long second = kvdb.stats().rollup();

    assertEquals(
        5 + 1 + (dayComplete ? 1 : 0),
        first,
        "5 minutes into the hour, the hour into the day, a complete day into its month");
    assertEquals(0, second, "nothing new to merge");
    assertEquals(
        before,
        read(kvdb, SERVICE, day, day.plus(Duration.ofDays(1)), Resolution.DAY).getBuckets(0));
    assertEquals(5, before.getCount());
  }

  @Test
  void anInvocationRecordedAfterItsPeriodRolledUpIsCountedOnce() {
    Instant hour = hourAgo(2);
    Instant day = hour.truncatedTo(ChronoUnit.DAYS);
    record(kvdb, List.of(call(SERVICE, 1_000, hour.plusSeconds(90))));
    kvdb.stats().rollup();

    record(
        kvdb,
        List.of(
            call(SERVICE, 2_000, hour.plusSeconds(100)),
            call(SERVICE, 4_000, hour.plusSeconds(30 * 60))));

    for (int round = 0; round < 2; round++) {
      for (Resolution resolution :
          List.of(Resolution.MINUTE, Resolution.HOUR, Resolution.DAY, Resolution.MONTH)) {
        StatsBucket total =
            read(kvdb, SERVICE, day, day.plus(Duration.ofDays(1)), resolution).getTotal();
        assertEquals(3, total.getCount(), resolution + " after " + round + " more roll-ups");
        assertEquals(7_000, total.getTotalUs(), resolution + " after " + round + " more roll-ups");
      }
      kvdb.stats().rollup();
    }
    assertEquals(0, kvdb.stats().rollup());
  }
}
