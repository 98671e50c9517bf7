package io.kvdb.conformance.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.client.StatsRecorder;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.v1.Resolution;
import io.kvdb.proto.v1.StatsBucket;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** The SDK's StatsRecorder: timed work is recorded, with its outcome, by the time it is closed. */
class StatsRecorderTest extends ProjectScopedTest {
  private static final String SERVICE = "sdk.timed";

  @Test
  void everyTimedCallIsRecordedOnceTheRecorderIsClosed() throws Exception {
    Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    StatsRecorder recorder = kvdb.stats().recorder();
    int failures = 0;
    for (int i = 0; i < 450; i++) {
      int n = i;
      if (n % 9 == 0) {
        failures++;
        assertThrows(
            IllegalArgumentException.class,
            () ->
                recorder.time(
                    SERVICE,
                    (Runnable)
                        () -> {
                          throw new IllegalArgumentException("call " + n);
                        }));
      } else {
        assertEquals(n * 2, recorder.time(SERVICE, () -> n * 2));
      }
    }
    recorder.time(SERVICE, () -> sleep(20));

    recorder.close();

    StatsBucket total =
        StatsFixtures.read(kvdb, SERVICE, start, Instant.now().plusSeconds(60), Resolution.MINUTE)
            .getTotal();
    assertEquals(0, recorder.dropped());
    assertEquals(451, total.getCount());
    assertEquals(failures, total.getErrors());
    assertTrue(
        total.getMaxUs() >= 20_000, "the sleeping call took at least 20 ms: " + total.getMaxUs());
  }

  /** The work being timed (a call that takes this long), not a wait for anything. */
  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
