package io.kvdb.conformance.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Duration;
import com.google.protobuf.util.Timestamps;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.v1.GetServiceStatsRequest;
import io.kvdb.proto.v1.Invocation;
import io.kvdb.proto.v1.Resolution;
import io.kvdb.proto.v1.ServiceStats;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Recording and reading back one service's figures, before and after roll-up. */
class StatsBasicsTest extends ProjectScopedTest {
  @Test
  void figuresReadTheSameFromMinutesAndFromRolledUpHours() {
    long now = System.currentTimeMillis();
    long twoHoursAgo = now - 2 * 3600_000;
    List<Invocation> batch = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      batch.add(
          Invocation.newBuilder()
              .setService("billing.invoice")
              .setDuration(Duration.newBuilder().setNanos(i * 1000 * 1000))
              .setError(i % 10 == 0)
              .setTime(Timestamps.fromMillis(twoHoursAgo + i * 1000))
              .build());
    }
    kvdb.stats().record(batch);
    GetServiceStatsRequest hourly =
        GetServiceStatsRequest.newBuilder()
            .setService("billing.invoice")
            .setStart(Timestamps.fromMillis(twoHoursAgo - 3600_000))
            .setEnd(Timestamps.fromMillis(now))
            .setResolution(Resolution.HOUR)
            .build();

    ServiceStats before = StatsFixtures.get(kvdb, hourly);
    assertTrue(kvdb.stats().rollup() > 0);
    ServiceStats after = StatsFixtures.get(kvdb, hourly);

    assertEquals(before.getTotal(), after.getTotal(), "roll-up changes nothing a reader sees");
    assertEquals(100, after.getTotal().getCount());
    assertEquals(10, after.getTotal().getErrors());
    assertEquals(50_500, after.getTotal().getMeanUs(), 0.001);
    assertEquals(1_000, after.getTotal().getMinUs());
    assertEquals(100_000, after.getTotal().getMaxUs());
    assertEquals(50_000, after.getTotal().getP50Us(), 50_000 * 0.03);
    assertEquals(99_000, after.getTotal().getP99Us(), 99_000 * 0.03);
    assertEquals(100, after.getUsage());
    assertEquals(0, kvdb.stats().rollup(), "a second roll-up has nothing left to merge");
    assertEquals(after.getTotal(), StatsFixtures.get(kvdb, hourly).getTotal());
  }
}
