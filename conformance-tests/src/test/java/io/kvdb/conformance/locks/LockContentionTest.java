package io.kvdb.conformance.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvdb.client.HeldLock;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.LockOptions;
import io.kvdb.conformance.KvdbTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Mutual exclusion under contention, checked by invariants rather than timing: many threads on
 * several channels take one lock in turn; inside it they find nobody else, update a counter that is
 * not thread-safe, and see fences strictly rising in the order the lock was granted.
 */
class LockContentionTest {
  private static final int CHANNELS = 3;
  private static final int THREADS_PER_CHANNEL = 4;
  private static final int ROUNDS = 25;

  private final AtomicInteger inside = new AtomicInteger();
  private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
  private int unguardedCounter;
  private long lastFence;

  @Test
  void manyContendersNeverOverlapAndFencesRiseInGrantOrder() throws Exception {
    String project = KvdbTarget.freshProject();
    List<KvdbClient> clients = new ArrayList<>();
    for (int i = 0; i < CHANNELS; i++) {
      clients.add(KvdbTarget.client(project));
    }
    ExecutorService threads = Executors.newFixedThreadPool(CHANNELS * THREADS_PER_CHANNEL);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> workers = new ArrayList<>();
    try {
      for (int t = 0; t < CHANNELS * THREADS_PER_CHANNEL; t++) {
        KvdbClient client = clients.get(t % CHANNELS);
        workers.add(
            threads.submit(
                () -> {
                  start.await();
                  for (int round = 0; round < ROUNDS; round++) {
                    try (HeldLock lock =
                        client
                            .locks()
                            .acquire(
                                "hot",
                                Duration.ofSeconds(10),
                                LockOptions.newBuilder()
                                    .setMaxWait(Duration.ofSeconds(60))
                                    .build())) {
                      critical(lock.fence());
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> worker : workers) {
        worker.get(120, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
      clients.forEach(KvdbClient::close);
    }

    assertEquals(List.of(), List.copyOf(violations));
    assertEquals(CHANNELS * THREADS_PER_CHANNEL * ROUNDS, unguardedCounter);
    assertEquals(
        CHANNELS * THREADS_PER_CHANNEL * ROUNDS,
        lastFence,
        "one fence per acquisition, none skipped");
  }

  private void critical(long fence) {
    if (inside.incrementAndGet() != 1) {
      violations.add("two holders at once, fence " + fence);
    }
    if (fence <= lastFence) {
      violations.add("fence " + fence + " after " + lastFence);
    }
    lastFence = fence;
    int seen = unguardedCounter;
    Thread.yield();
    unguardedCounter = seen + 1;
    inside.decrementAndGet();
  }
}
