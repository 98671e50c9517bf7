package io.kvdb.conformance.stats;

import static io.kvdb.conformance.stats.StatsFixtures.call;
import static io.kvdb.conformance.stats.StatsFixtures.series;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.kvdb.client.PageOptions;
import io.kvdb.conformance.Direct;
import io.kvdb.conformance.Expect;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.v1.GetServiceStatsRequest;
import io.kvdb.proto.v1.Invocation;
import io.kvdb.proto.v1.ListServicesRequest;
import io.kvdb.proto.v1.Resolution;
import io.kvdb.proto.v1.TopServicesRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input is refused whole, as INVALID_ARGUMENT naming the field. */
class StatsValidationTest extends ProjectScopedTest {
  private static final String SERVICE = "svc";

  private void assertNothingRecorded() {
    assertEquals(List.of(), kvdb.stats().list(PageOptions.FIRST).getServicesList());
  }

  private Invocation valid() {
    return call(SERVICE, 1_000, Instant.now());
  }

  @Test
  void aBatchHoldsOneToAThousandInvocations() {
    Expect.invalid("invocations", () -> kvdb.stats().record(List.of()));
    Expect.invalid("invocations", () -> kvdb.stats().record(Collections.nCopies(1001, valid())));
    assertNothingRecorded();

    kvdb.stats().record(Collections.nCopies(1000, valid()));
    assertEquals(
        1000,
        StatsFixtures.read(
                kvdb,
                SERVICE,
                Instant.now().minusSeconds(120),
                Instant.now().plusSeconds(60),
                Resolution.MINUTE)
            .getUsage());
  }

  @Test
  void serviceNamesFollowTheNameRules() {
    for (String bad : List.of("", "has space", "colon:inside", "x".repeat(201), "brace{")) {
      Expect.invalid(
          "invocations.1.service",
          () -> kvdb.stats().record(List.of(valid(), valid().toBuilder().setService(bad).build())));
    }
    assertNothingRecorded();
    kvdb.stats()
        .record(List.of(valid().toBuilder().setService("A-z_0.9-" + "x".repeat(192)).build()));
  }

  @Test
  void durationsAreRequiredAndFromZeroToAnHour() {
    Expect.invalid(
        "invocations.0.duration",
        () -> kvdb.stats().record(List.of(valid().toBuilder().clearDuration().build())));
    Expect.invalid(
        "invocations.1.duration",
        () ->
            kvdb.stats()
                .record(
                    List.of(
                        valid(),
                        valid().toBuilder().setDuration(Durations.fromMillis(-1)).build())));
    Expect.invalid(
        "invocations.0.duration",
        () ->
            kvdb.stats()
                .record(
                    List.of(
                        valid().toBuilder()
                            .setDuration(Durations.fromNanos(3_600_000_000_001L))
                            .build())));
    assertNothingRecorded();

    kvdb.stats()
        .record(
            List.of(
                valid().toBuilder().setDuration(Durations.fromSeconds(3600)).build(),
                valid().toBuilder().setDuration(Durations.fromSeconds(0)).build()));
  }

  @Test
  void timesAreAtMostAMinuteAheadAndWithinFortyEightHoursBehind() {
    Instant now = Instant.now();
    Expect.invalid(
        "invocations.1.time",
        () ->
            kvdb.stats()
                .record(
                    List.of(
                        valid(),
                        valid().toBuilder()
                            .setTime(Timestamps.fromMillis(now.plusSeconds(120).toEpochMilli()))
                            .build())));
    Expect.invalid(
        "invocations.0.time",
        () ->
            kvdb.stats()
                .record(
                    List.of(
                        valid().toBuilder()
                            .setTime(
                                Timestamps.fromMillis(
                                    now.minus(Duration.ofHours(49)).toEpochMilli()))
                            .build())));
    assertNothingRecorded();

    kvdb.stats()
        .record(
            List.of(
                valid().toBuilder()
                    .setTime(Timestamps.fromMillis(now.plusSeconds(30).toEpochMilli()))
                    .build(),
                valid().toBuilder()
                    .setTime(Timestamps.fromMillis(now.minus(Duration.ofHours(47)).toEpochMilli()))
                    .build(),
                valid().toBuilder().clearTime().build()));
  }

  @Test
  void aRangeNeedsAStartAndAnEndAfterIt() {
    Instant start = StatsFixtures.hourAgo(3);
    GetServiceStatsRequest ok =
        series(SERVICE, start, start.plusSeconds(3600), Resolution.MINUTE).build();
    Expect.invalid("start", () -> StatsFixtures.get(kvdb, ok.toBuilder().clearStart().build()));
    Expect.invalid("end", () -> StatsFixtures.get(kvdb, ok.toBuilder().clearEnd().build()));
    Expect.invalid(
        "end", () -> StatsFixtures.get(kvdb, ok.toBuilder().setEnd(ok.getStart()).build()));
    Expect.invalid(
        "end",
        () ->
            StatsFixtures.get(
                kvdb, ok.toBuilder().setStart(ok.getEnd()).setEnd(ok.getStart()).build()));
    Expect.invalid("service", () -> StatsFixtures.get(kvdb, ok.toBuilder().setService("").build()));

    TopServicesRequest top =
        TopServicesRequest.newBuilder().setStart(ok.getStart()).setEnd(ok.getEnd()).build();
    Expect.invalid("start", () -> StatsFixtures.top(kvdb, top.toBuilder().clearStart().build()));
    Expect.invalid(
        "end", () -> StatsFixtures.top(kvdb, top.toBuilder().setEnd(top.getStart()).build()));
  }

  @Test
  void aSeriesHasAtMost1500PointsAndAKnownResolution() {
    Instant start = Instant.parse("2025-01-01T00:00:00Z");
    Expect.invalid(
        "resolution",
        () ->
            StatsFixtures.get(
                kvdb,
                series(SERVICE, start, start.plus(Duration.ofMinutes(1501)), Resolution.MINUTE)
                    .build()));
    Expect.invalid(
        "resolution",
        () ->
            StatsFixtures.get(
                kvdb,
                series(SERVICE, start, start.plus(Duration.ofDays(1501)), Resolution.DAY).build()));
    Expect.invalid(
        "resolution",
        () ->
            Direct.call(
                () ->
                    StatsFixtures.direct(kvdb)
                        .getServiceStats(
                            series(SERVICE, start, start.plusSeconds(3600), Resolution.MINUTE)
                                .setResolutionValue(99)
                                .build())));

    assertEquals(
        1500,
        StatsFixtures.get(
                kvdb,
                series(SERVICE, start, start.plus(Duration.ofMinutes(1500)), Resolution.MINUTE)
                    .build())
            .getBucketsCount());
  }

  @Test
  void rankingsAndListingsHaveBoundedSizesAndKnownOrders() {
    Instant start = StatsFixtures.hourAgo(3);
    TopServicesRequest top =
        TopServicesRequest.newBuilder()
            .setStart(Timestamps.fromMillis(start.toEpochMilli()))
            .setEnd(Timestamps.fromMillis(start.plusSeconds(3600).toEpochMilli()))
            .build();
    Expect.invalid(
        "limit",
        () ->
            Direct.call(
                () ->
                    StatsFixtures.direct(kvdb)
                        .topServices(top.toBuilder().setLimit(1001).build())));
    Expect.invalid(
        "limit",
        () ->
            Direct.call(
                () ->
                    StatsFixtures.direct(kvdb).topServices(top.toBuilder().setLimit(-1).build())));
    Expect.invalid(
        "order_by",
        () ->
            Direct.call(
                () ->
                    StatsFixtures.direct(kvdb)
                        .topServices(top.toBuilder().setOrderByValue(42).build())));
    Expect.invalid(
        "page_size",
        () ->
            Direct.call(
                () ->
                    StatsFixtures.direct(kvdb)
                        .listServices(ListServicesRequest.newBuilder().setPageSize(1001).build())));
    Expect.invalid(
        "page_size",
        () ->
            Direct.call(
                () ->
                    StatsFixtures.direct(kvdb)
                        .listServices(ListServicesRequest.newBuilder().setPageSize(-1).build())));
    Expect.invalid(
        "page_token",
        () -> kvdb.stats().list(PageOptions.newBuilder().setPageToken("bogus!").build()));
  }

  @Test
  void oneBadInvocationRefusesTheWholeBatch() {
    List<Invocation> batch = new ArrayList<>(Collections.nCopies(10, valid()));
    batch.add(
        valid().toBuilder()
            .setTime(Timestamps.fromMillis(Instant.now().plusSeconds(600).toEpochMilli()))
            .build());

    Expect.invalid("invocations.10.time", () -> kvdb.stats().record(batch));

    assertNothingRecorded();
  }
}
