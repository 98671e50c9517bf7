package io.kvdb.conformance.stats;

import static io.kvdb.conformance.stats.StatsFixtures.call;
import static io.kvdb.conformance.stats.StatsFixtures.hourAgo;
import static io.kvdb.conformance.stats.StatsFixtures.read;
import static io.kvdb.conformance.stats.StatsFixtures.record;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.util.Timestamps;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.v1.Invocation;
import io.kvdb.proto.v1.Resolution;
import io.kvdb.proto.v1.ServiceStats;
import io.kvdb.proto.v1.StatsBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** GetServiceStats: the figures of each period against those computed from the raw durations. */
class StatsFiguresTest extends ProjectScopedTest {
  private static final String SERVICE = "billing.invoice";

  @Test
  void percentilesAndMeansMatchThoseOfTheRawDurations() {
    Instant hour = hourAgo(3);
    Random random = new Random(42);
    List<Long> durations = StatsFixtures.logUniform(random, 3000, 10, 10_000_000);
    List<Invocation> batch = new ArrayList<>();
    StatsFixtures.Expected whole = new StatsFixtures.Expected();
    List<StatsFixtures.Expected> minutes = new ArrayList<>();
    for (int m = 0; m < 60; m++) {
      minutes.add(new StatsFixtures.Expected());
    }
    for (int i = 0; i < durations.size(); i++) {
      Instant at = StatsFixtures.spread(hour, hour.plus(Duration.ofHours(1)), i, durations.size());
      boolean error = random.nextInt(10) == 0;
      batch.add(call(SERVICE, durations.get(i), error, at));
      whole.add(durations.get(i), error);
      minutes.get((int) Duration.between(hour, at).toMinutes()).add(durations.get(i), error);
    }
    record(kvdb, batch);

    ServiceStats hourly =
        read(kvdb, SERVICE, hour, hour.plus(Duration.ofHours(1)), Resolution.HOUR);
    ServiceStats minutely =
        read(kvdb, SERVICE, hour, hour.plus(Duration.ofHours(1)), Resolution.MINUTE);

    assertEquals(1, hourly.getBucketsCount());
    whole.assertMatches(hourly.getBuckets(0));
    whole.assertMatches(hourly.getTotal());
    assertEquals(60, minutely.getBucketsCount());
    for (int m = 0; m < 60; m++) {
      minutes.get(m).assertMatches(minutely.getBuckets(m));
    }
    assertEquals(
        hourly.getBuckets(0),
        minutely.getTotal(),
        "the minutes merged give the hour, percentiles included");
  }

  @Test
  void everyPeriodOfTheRangeIsListedEmptyOnesIncluded() {
    Instant start = hourAgo(2);
    record(
        kvdb,
        List.of(
            call(SERVICE, 1_000, start.plusSeconds(2 * 60 + 5)),
            call(SERVICE, 3_000, start.plusSeconds(2 * 60 + 50)),
            call(SERVICE, 5_000, true, start.plusSeconds(7 * 60))));

    ServiceStats stats = read(kvdb, SERVICE, start, start.plusSeconds(10 * 60), Resolution.MINUTE);

    assertEquals(Resolution.MINUTE, stats.getResolution());
    assertEquals(10, stats.getBucketsCount());
    for (int m = 0; m < 10; m++) {
      StatsBucket bucket = stats.getBuckets(m);
      assertEquals(
          start.plusSeconds(m * 60L).toEpochMilli(),
          Timestamps.toMillis(bucket.getStart()),
          "period " + m);
      long expected = m == 2 ? 2 : m == 7 ? 1 : 0;
      assertEquals(expected, bucket.getCount(), "count of minute " + m);
      assertEquals(expected / 60.0, bucket.getRate(), 1e-9, "rate is per second over the minute");
      if (expected == 0) {
        assertEquals(
            StatsBucket.newBuilder().setStart(bucket.getStart()).build(),
            bucket,
            "an empty period is all zeros");
      }
    }
    assertEquals(2_000, stats.getBuckets(2).getMeanUs(), 1e-9);
    assertEquals(1, stats.getBuckets(7).getErrors());
    assertEquals(3, stats.getTotal().getCount());
    assertEquals(
        3 / 600.0, stats.getTotal().getRate(), 1e-9, "the total's rate is over the whole range");
    assertEquals(9_000, stats.getTotal().getTotalUs());
  }

  @Test
  void autoPicksTheCoarsestResolutionThatGivesTwelvePoints() {
    Instant start = Instant.parse("2025-01-01T00:00:00Z");
    assertAuto(start, start.plus(Duration.ofHours(11)), Resolution.MINUTE, 660);
    assertAuto(start, start.plus(Duration.ofHours(12)), Resolution.HOUR, 12);
    assertAuto(start, start.plus(Duration.ofDays(11)), Resolution.HOUR, 264);
    assertAuto(start, start.plus(Duration.ofDays(12)), Resolution.DAY, 12);
    assertAuto(start, Instant.parse("2026-01-01T00:00:00Z"), Resolution.MONTH, 12);
    assertAuto(start, start.plusSeconds(30), Resolution.MINUTE, 1);
  }

  private void assertAuto(Instant start, Instant end, Resolution expected, int points) {
    ServiceStats stats = read(kvdb, SERVICE, start, end, Resolution.RESOLUTION_AUTO);
    assertEquals(expected, stats.getResolution(), start + " to " + end);
    assertEquals(points, stats.getBucketsCount(), start + " to " + end);
  }

  @Test
  void monthsAreCalendarMonthsInUtc() {
    ServiceStats stats =
        read(
            kvdb,
            SERVICE,
            Instant.parse("2024-01-15T00:00:00Z"),
            Instant.parse("2024-03-02T00:00:00Z"),
            Resolution.MONTH);

    assertEquals(
        List.of("2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z"),
        stats.getBucketsList().stream().map(b -> Timestamps.toString(b.getStart())).toList());
  }

  @Test
  void usageCountsEveryInvocationEverWhateverTheRange() {
    Instant start = hourAgo(5);
    record(
        kvdb,
        List.of(
            call(SERVICE, 10, start),
            call(SERVICE, 10, start.plus(Duration.ofHours(2))),
            call("other", 10, start)));

    ServiceStats stats =
        read(kvdb, SERVICE, start, start.plus(Duration.ofHours(1)), Resolution.HOUR);

    assertEquals(1, stats.getTotal().getCount());
    assertEquals(2, stats.getUsage());
    assertEquals(
        0,
        read(kvdb, "never-recorded", start, start.plusSeconds(60), Resolution.MINUTE).getUsage());
  }
}
