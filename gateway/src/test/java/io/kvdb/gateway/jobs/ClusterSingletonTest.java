package io.kvdb.gateway.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvdb.lua.locks.Locks;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.lua.testing.WithRedis;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Two gateways sharing a Redis: the job runs on one at a time, and moves when it stops. */
@WithRedis
class ClusterSingletonTest {
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger overlaps = new AtomicInteger();
  private final AtomicInteger[] runs = {new AtomicInteger(), new AtomicInteger()};

  private Runnable job(int gateway) {
    return () -> {
      if (running.incrementAndGet() > 1) {
        overlaps.incrementAndGet();
      }
      runs[gateway].incrementAndGet();
      running.decrementAndGet();
    };
  }

  @Test
  void oneGatewayRunsTheJobAndAnotherTakesOverWhenItStops(ScriptRegistry scripts) {
    String job = "test-job-" + UUID.randomUUID();
    Duration interval = Duration.ofMillis(50);
    Locks locks = new Locks(scripts);
    ClusterSingleton first = new ClusterSingleton(job, locks, interval, job(0)).start();
    awaitRuns(0, 3);
    try (ClusterSingleton second = new ClusterSingleton(job, locks, interval, job(1)).start()) {
      // Not a sleep: the first gateway's own progress is the clock the second waits by.
      awaitRuns(0, runs[0].get() + 5);
      assertEquals(0, runs[1].get(), "the second gateway waits while the first holds the job");

      first.close();
      awaitRuns(1, 3);
    }
    assertEquals(0, overlaps.get());
  }

  private void awaitRuns(int gateway, int atLeast) {
    Eventually.await(
        "gateway " + gateway + " ran " + atLeast + " times", () -> runs[gateway].get() >= atLeast);
  }
}
