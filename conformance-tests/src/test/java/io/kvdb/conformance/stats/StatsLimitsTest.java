package io.kvdb.conformance.stats;

import static io.kvdb.conformance.stats.StatsFixtures.call;
import static io.kvdb.conformance.stats.StatsFixtures.series;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.kvdb.client.StatsRecorder;
import io.kvdb.client.StatsRecorderOptions;
import io.kvdb.conformance.Direct;
import io.kvdb.conformance.Expect;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.v1.Invocation;
import io.kvdb.proto.v1.RecordResponse;
import io.kvdb.proto.v1.RejectedInvocation;
import io.kvdb.proto.v1.Resolution;
import io.kvdb.proto.v1.Sample;
import io.kvdb.proto.v1.ServiceSettings;
import io.kvdb.proto.v1.TopServicesRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Statistics calls cost what their answer needs: a range beyond what can be read in bounded work is
 * refused naming the field; one bad invocation costs only itself.
 */
class StatsLimitsTest extends ProjectScopedTest {
  private static final String SERVICE = "svc";
  private static final Timestamp YEAR_1 = Timestamps.MIN_VALUE;
  private static final Timestamp YEAR_9999 = Timestamps.MAX_VALUE;

  private static Timestamp at(Instant instant) {
    return Timestamps.fromMillis(instant.toEpochMilli());
  }

  @Test
  void topServicesOverAllOfTimeIsRefusedNamingStartAndASinceRangeIsAnswered() {
    kvdb.stats().record(List.of(call(SERVICE, 1_000, Instant.now())));

    Expect.invalid(
        "start",
        () ->
            StatsFixtures.top(
                kvdb, TopServicesRequest.newBuilder().setStart(YEAR_1).setEnd(YEAR_9999).build()));

    Instant since = Instant.parse("2020-01-01T00:00:00Z");
    assertEquals(
        1,
        StatsFixtures.top(
                kvdb, TopServicesRequest.newBuilder().setStart(at(since)).setEnd(YEAR_9999).build())
            .getServices(0)
            .getTotal()
            .getCount(),
        "from 2020 until 9999: only the past is read");
  }

  @Test
  void timestampsOutsideProtobufsRangeAreRefusedNamingTheField() {
    Timestamp tooLate = Timestamp.newBuilder().setSeconds(Long.MAX_VALUE / 2).build();
    Timestamp badNanos =
        Timestamp.newBuilder().setSeconds(Instant.now().getEpochSecond()).setNanos(-5).build();
    Instant hour = StatsFixtures.hourAgo(1);

    Expect.invalid(
        "end",
        () ->
            Direct.call(
                () ->
                    StatsFixtures.direct(kvdb)
                        .getServiceStats(
                            series(SERVICE, hour, hour.plusSeconds(3600), Resolution.MONTH)
                                .setEnd(tooLate)
                                .build())));
    Expect.invalid(
        "start",
        () ->
            Direct.call(
                () ->
                    StatsFixtures.direct(kvdb)
                        .topServices(
                            TopServicesRequest.newBuilder()
                                .setStart(badNanos)
                                .setEnd(YEAR_9999)
                                .build())));
    Expect.invalid(
        "invocations.0.time",
        () ->
            kvdb.stats()
                .record(
                    List.of(call(SERVICE, 1, Instant.now()).toBuilder().setTime(tooLate).build())));
  }

  @Test
  void skippingRejectedRecordsTheOthersAndListsTheRefusedWithTheirFields() {
    Instant now = Instant.now();
    List<Invocation> batch = new ArrayList<>(Collections.nCopies(99, call(SERVICE, 1_000, now)));
    batch.add(40, call(SERVICE, 1_000, now.plusSeconds(90)));
    batch.add(7, call("bad name", 1_000, now));

    RecordResponse response = kvdb.stats().recordSkippingRejected(batch);

    assertEquals(99, response.getRecorded());
    assertEquals(
        List.of(7, 41),
        response.getRejectedList().stream().map(RejectedInvocation::getIndex).toList());
    assertEquals(
        List.of("invocations.7.service", "invocations.41.time"),
        response.getRejectedList().stream().map(RejectedInvocation::getField).toList());
    assertEquals(
        99,
        StatsFixtures.read(
                kvdb, SERVICE, now.minusSeconds(120), now.plusSeconds(120), Resolution.MINUTE)
            .getTotal()
            .getCount());
  }

  @Test
  void aRecorderUsesTheRedisClockAndOneBadInvocationCostsOnlyItself() {
    Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    List<StatsRecorder.Rejection> rejected = new CopyOnWriteArrayList<>();
    StatsRecorder recorder =
        kvdb.stats()
            .recorder(StatsRecorderOptions.newBuilder().setOnRejected(rejected::add).build());
    for (int i = 0; i < 99; i++) {
      recorder.time(SERVICE, () -> {});
    }
    recorder.record(SERVICE, 1_000, false, Instant.now().plusSeconds(90));

    recorder.close();

    assertEquals(
        List.of(
            new StatsRecorder.Rejection(
                SERVICE, "time", rejected.isEmpty() ? "" : rejected.get(0).description())),
        rejected);
    assertEquals(1, recorder.dropped());
    assertEquals(
        99,
        StatsFixtures.read(kvdb, SERVICE, start, Instant.now().plusSeconds(60), Resolution.MINUTE)
            .getTotal()
            .getCount());
  }

  /** Invocations carrying 64 KiB requests and responses (the default cap), sent 25 to a call. */
  private void recordFullPayloads(int count) {
    ByteString payload = ByteString.copyFrom(new byte[64 * 1024]);
    List<Invocation> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(
          call(SERVICE, 1_000 + i, Instant.now()).toBuilder()
              .setCorrelationId("call-" + i)
              .setRequest(payload)
              .setResponse(payload)
              .build());
      if (batch.size() == 25 || i == count - 1) {
        kvdb.stats().record(batch);
        batch.clear();
      }
    }
  }

  @Test
  void samplesAndSlowResponsesOfFullPayloadsComeInPagesAClientCanReceive() {
    kvdb.stats()
        .updateSettings(
            ServiceSettings.newBuilder()
                .setService(SERVICE)
                .setSampleEvery(1)
                .setSamplesKept(100)
                .setSlowThreshold(Durations.fromMicros(1))
                .setSlowKept(60)
                .build());
    recordFullPayloads(100);

    List<Sample> samples = kvdb.stats().samples(SERVICE);
    List<Sample> slowest = kvdb.stats().slowest(SERVICE, 1000);

    assertEquals(100, samples.size(), "about 13 MiB of samples, each response within gRPC's 4 MiB");
    assertEquals("call-99", samples.get(0).getCorrelationId());
    assertEquals(60, slowest.size());
    assertEquals("call-99", slowest.get(0).getCorrelationId());
    assertEquals(64 * 1024, slowest.get(59).getResponse().size());
    assertEquals(
        List.of("call-99", "call-98"),
        kvdb.stats().slowest(SERVICE, 2).stream().map(Sample::getCorrelationId).toList());
  }

  @Test
  void aGarbagePageTokenIsRefusedNamingIt() {
    Expect.invalid("page_token", () -> kvdb.stats().samplesPage(SERVICE, "bogus!"));
    Expect.invalid(
        "page_token", () -> kvdb.stats().slowestPage(SERVICE, 0, "99999999999999999999"));
  }
}
