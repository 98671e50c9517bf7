package io.kvdb.conformance.stats;

import static io.kvdb.conformance.stats.StatsFixtures.call;
import static io.kvdb.conformance.stats.StatsFixtures.record;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.kvdb.conformance.Expect;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.v1.Invocation;
import io.kvdb.proto.v1.Sample;
import io.kvdb.proto.v1.ServiceSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Samples: every Nth invocation kept, newest first, with its payloads; and the settings. */
class StatsSamplesTest extends ProjectScopedTest {
  private static final String SERVICE = "crm.customer.get";
  private static final int PAYLOAD_CAP = 64 * 1024;

  private ServiceSettings sampling(int every, int kept) {
    return kvdb.stats()
        .updateSettings(
            ServiceSettings.newBuilder()
                .setService(SERVICE)
                .setSampleEvery(every)
                .setSamplesKept(kept)
                .build());
  }

  /** Invocations numbered from..to, each lasting its number in milliseconds, one second apart. */
  private List<Invocation> numbered(Instant base, int from, int to) {
    List<Invocation> batch = new ArrayList<>();
    for (int n = from; n <= to; n++) {
      batch.add(
          call(SERVICE, n * 1_000L, n % 2 == 0, base.plusSeconds(n)).toBuilder()
              .setCorrelationId("call-" + n)
              .build());
    }
    return batch;
  }

  private static List<String> correlationIds(List<Sample> samples) {
    return samples.stream().map(Sample::getCorrelationId).toList();
  }

  @Test
  void aServiceStartsWithTheDefaultSettings() {
    ServiceSettings settings = kvdb.stats().settings(SERVICE);

    assertEquals(SERVICE, settings.getService());
    assertEquals(1, settings.getSampleEvery());
    assertEquals(1, settings.getSamplesKept());
    assertEquals(0, Durations.toMicros(settings.getSlowThreshold()));
    assertEquals(100, settings.getSlowKept());
  }

  @Test
  void byDefaultTheLatestInvocationIsTheOneSample() {
    Instant base = StatsFixtures.hourAgo(1);
    record(kvdb, numbered(base, 1, 4));
    record(kvdb, numbered(base, 5, 6));

    assertEquals(List.of("call-6"), correlationIds(kvdb.stats().samples(SERVICE)));
  }

  @Test
  void everyThirdInvocationIsKeptAcrossBatchesNewestFirst() {
    assertEquals(3, sampling(3, 100).getSampleEvery());
    Instant base = StatsFixtures.hourAgo(1);
    record(kvdb, numbered(base, 1, 4));
    record(kvdb, numbered(base, 5, 10));

    List<Sample> samples = kvdb.stats().samples(SERVICE);

    assertEquals(List.of("call-9", "call-6", "call-3"), correlationIds(samples));
    Sample sixth = samples.get(1);
    assertEquals(base.plusSeconds(6).toEpochMilli(), Timestamps.toMillis(sixth.getTime()));
    assertEquals(6_000, Durations.toMicros(sixth.getDuration()));
    assertTrue(sixth.getError());
    assertFalse(samples.get(0).getError());
  }

  @Test
  void samplesKeptBoundsTheListAndLoweringItTrimsAtOnce() {
    sampling(1, 4);
    Instant base = StatsFixtures.hourAgo(1);
    record(kvdb, numbered(base, 1, 10));
    assertEquals(
        List.of("call-10", "call-9", "call-8", "call-7"),
        correlationIds(kvdb.stats().samples(SERVICE)));

    sampling(1, 2);

    assertEquals(List.of("call-10", "call-9"), correlationIds(kvdb.stats().samples(SERVICE)));
  }

  @Test
  void sampleEveryZeroTurnsSamplingOff() {
    sampling(0, 10);
    record(kvdb, numbered(StatsFixtures.hourAgo(1), 1, 10));

    assertEquals(List.of(), kvdb.stats().samples(SERVICE));
  }

  @Test
  void payloadsAreKeptUpTo64KibAndLongerOnesAreCutAndFlagged() {
    byte[] exact = new byte[PAYLOAD_CAP];
    byte[] longer = new byte[PAYLOAD_CAP + 1];
    Arrays.fill(exact, (byte) 'x');
    Arrays.fill(longer, (byte) 'y');
    sampling(1, 10);
    Instant at = StatsFixtures.hourAgo(1);
    record(
        kvdb,
        List.of(
            call(SERVICE, 10, at).toBuilder()
                .setCorrelationId("small")
                .setRequest(ByteString.copyFromUtf8("{\"id\":7}"))
                .setResponse(ByteString.copyFrom(new byte[] {0, 1, (byte) 0xff}))
                .build(),
            call(SERVICE, 10, at).toBuilder()
                .setCorrelationId("exact")
                .setRequest(ByteString.copyFrom(exact))
                .build(),
            call(SERVICE, 10, at).toBuilder()
                .setCorrelationId("longer")
                .setResponse(ByteString.copyFrom(longer))
                .build()));

    List<Sample> samples = kvdb.stats().samples(SERVICE);

    assertEquals(List.of("longer", "exact", "small"), correlationIds(samples));
    assertEquals("{\"id\":7}", samples.get(2).getRequest().toStringUtf8());
    assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, samples.get(2).getResponse().toByteArray());
    assertFalse(samples.get(2).getTruncated());
    assertArrayEquals(exact, samples.get(1).getRequest().toByteArray());
    assertFalse(samples.get(1).getTruncated(), "exactly 64 KiB is kept whole");
    assertArrayEquals(
        Arrays.copyOf(longer, PAYLOAD_CAP), samples.get(0).getResponse().toByteArray());
    assertTrue(samples.get(0).getTruncated());
  }

  @Test
  void anUpdateMaskChangesOnlyTheSettingsItNames() {
    kvdb.stats()
        .updateSettings(
            ServiceSettings.newBuilder()
                .setService(SERVICE)
                .setSampleEvery(3)
                .setSamplesKept(7)
                .build());
    ServiceSettings updated =
        kvdb.stats()
            .updateSettings(
                ServiceSettings.newBuilder()
                    .setService(SERVICE)
                    .setSlowThreshold(Durations.fromMillis(250))
                    .build(),
                "slow_threshold");
    assertEquals(3, updated.getSampleEvery(), "left as it was, not turned off by the zero");
    assertEquals(7, updated.getSamplesKept());
    assertEquals(250, Durations.toMillis(updated.getSlowThreshold()));
    assertEquals(updated, kvdb.stats().settings(SERVICE));
  }

  @Test
  void settingsOutOfBoundsAreRefusedNamingTheField() {
    ServiceSettings valid = ServiceSettings.newBuilder().setService(SERVICE).build();
    Expect.invalid(
        "settings.sample_every",
        () -> kvdb.stats().updateSettings(valid.toBuilder().setSampleEvery(-1).build()));
    Expect.invalid(
        "settings.samples_kept",
        () -> kvdb.stats().updateSettings(valid.toBuilder().setSamplesKept(101).build()));
    Expect.invalid(
        "settings.samples_kept",
        () -> kvdb.stats().updateSettings(valid.toBuilder().setSamplesKept(-1).build()));
    Expect.invalid(
        "settings.slow_kept",
        () -> kvdb.stats().updateSettings(valid.toBuilder().setSlowKept(1001).build()));
    Expect.invalid(
        "settings.slow_threshold",
        () ->
            kvdb.stats()
                .updateSettings(
                    valid.toBuilder().setSlowThreshold(Durations.fromMillis(-1)).build()));
    Expect.invalid(
        "settings.service",
        () -> kvdb.stats().updateSettings(valid.toBuilder().setService("no spaces").build()));
    Expect.invalid("update_mask", () -> kvdb.stats().updateSettings(valid, "sample_evry"));
    Expect.invalid("service", () -> kvdb.stats().samples(""));

    ServiceSettings edges =
        kvdb.stats()
            .updateSettings(valid.toBuilder().setSamplesKept(100).setSlowKept(1000).build());
    assertEquals(
        edges, kvdb.stats().settings(SERVICE), "what the update answers is what is stored");
    assertEquals(100, edges.getSamplesKept());
    assertEquals(1000, edges.getSlowKept());
  }
}
