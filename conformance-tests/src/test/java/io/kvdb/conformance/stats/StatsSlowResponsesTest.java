package io.kvdb.conformance.stats;

import static io.kvdb.conformance.stats.StatsFixtures.call;
import static io.kvdb.conformance.stats.StatsFixtures.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Durations;
import io.kvdb.conformance.Expect;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.v1.Invocation;
import io.kvdb.proto.v1.Sample;
import io.kvdb.proto.v1.ServiceSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Slow responses: the N slowest ever at or above the threshold, slowest first. */
class StatsSlowResponsesTest extends ProjectScopedTest {
  private static final String SERVICE = "payments.charge";

  private void slowAt(long thresholdMillis, int kept) {
    kvdb.stats()
        .updateSettings(
            ServiceSettings.newBuilder()
                .setService(SERVICE)
                .setSlowThreshold(Durations.fromMillis(thresholdMillis))
                .setSlowKept(kept)
                .build());
  }

  /** Invocations lasting 1..n ms in a shuffled order, recorded in batches of 7. */
  private void recordShuffled(int n) {
    List<Integer> millis = new ArrayList<>();
    for (int ms = 1; ms <= n; ms++) {
      millis.add(ms);
    }
    Collections.shuffle(millis, new Random(3));
    Instant at = StatsFixtures.hourAgo(1);
    List<Invocation> all = new ArrayList<>();
    for (int ms : millis) {
      all.add(
          call(SERVICE, ms * 1_000L, ms % 3 == 0, at).toBuilder()
              .setCorrelationId("ms-" + ms)
              .build());
    }
    for (int from = 0; from < all.size(); from += 7) {
      record(kvdb, all.subList(from, Math.min(all.size(), from + 7)));
    }
  }

  private static List<Long> millis(List<Sample> responses) {
    return responses.stream().map(r -> Durations.toMillis(r.getDuration())).toList();
  }

  @Test
  void loweringSlowKeptTrimsToTheSlowestAtOnce() {
    slowAt(1, 10);
    recordShuffled(20);
    slowAt(1, 3);
    assertEquals(List.of(20L, 19L, 18L), millis(kvdb.stats().slowest(SERVICE, 100)));
  }

  @Test
  void nothingIsKeptWhileTheThresholdIsZero() {
    recordShuffled(20);
    assertEquals(List.of(), kvdb.stats().slowest(SERVICE, 100));
  }

  @Test
  void theNSlowestEverAreKeptSlowestFirst() {
    slowAt(10, 5);
    recordShuffled(50);

    List<Sample> slowest = kvdb.stats().slowest(SERVICE, 0);

    assertEquals(List.of(50L, 49L, 48L, 47L, 46L), millis(slowest));
    assertEquals("ms-48", slowest.get(2).getCorrelationId());
    assertTrue(slowest.get(2).getError(), "the outcome is kept too");
    assertEquals(
        List.of(50L, 49L), millis(kvdb.stats().slowest(SERVICE, 2)), "the limit keeps the slowest");
  }

  @Test
  void theThresholdIsInclusive() {
    slowAt(10, 100);
    recordShuffled(14);

    assertEquals(List.of(14L, 13L, 12L, 11L, 10L), millis(kvdb.stats().slowest(SERVICE, 100)));
  }

  @Test
  void theLimitIsBounded() {
    Expect.invalid("limit", () -> kvdb.stats().slowest(SERVICE, 1001));
    Expect.invalid("limit", () -> kvdb.stats().slowest(SERVICE, -1));
  }
}
