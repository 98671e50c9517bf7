package io.kvdb.conformance.pools;

import static io.kvdb.conformance.messages.Messaging.bodies;
import static io.kvdb.conformance.messages.Messaging.claim;
import static io.kvdb.conformance.messages.Messaging.delayed;
import static io.kvdb.conformance.messages.Messaging.ids;
import static io.kvdb.conformance.messages.Messaging.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.grpc.Status;
import io.kvdb.client.ClaimOptions;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.MigrationInfo;
import io.kvdb.client.PoolClient;
import io.kvdb.conformance.Expect;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.ErrorReason;
import io.kvdb.proto.v1.Migration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Moving a live queue to another pool through {@code kvdb.admin().pools().migrate(...)}, on a
 * target with a second pool ({@code KVDB_TEST_POOLS=2}): under a producer and a consumer nothing is
 * lost or handled twice and FIFO holds; a cancelled migration brings the queue back whole; bad
 * requests are refused naming their field. Progress is read with GetMigration only.
 */
class MigrationConformanceTest {
  private static final Duration ENDS_WITHIN = Duration.ofSeconds(30);

  private final String project = KvdbTarget.freshProject();
  private KvdbClient kvdb;
  private PoolClient pools;

  @BeforeEach
  void connect() {
    assumeFalse(KvdbTarget.addedPools().isEmpty(), "needs a target with a second pool");
    kvdb = KvdbTarget.client(project);
    pools = kvdb.admin().pools();
  }

  @AfterEach
  void close() {
    if (kvdb != null) {
      kvdb.close();
    }
  }

  @Test
  void aQueueMovesUnderLoadLosingNothingAndKeepingOrder() throws Exception {
    String queue = "moving";
    List<String> seeded = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      seeded.add(String.format("s%03d", i));
    }
    kvdb.messages().post(queue, seeded.stream().map(body -> text(body)).toList());
    kvdb.messages()
        .post(
            queue,
            List.of(delayed("d0", Duration.ofSeconds(1)), delayed("d1", Duration.ofSeconds(2))));
    Claim held = claim(kvdb, queue, 5);
    assertEquals(seeded.subList(0, 5), bodies(held.getMessagesList()));
    String source = kvdb.queues().get(queue).getPool();
    String target = otherPool(source);

    ConcurrentLinkedQueue<String> handled = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    // Set once the producer has stopped, so the consumer's count of what to expect is final: a
    // post still in flight when stop is set counts only once it returns.
    AtomicBoolean produceEnded = new AtomicBoolean();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    AtomicInteger produced = new AtomicInteger();
    Thread producer =
        worker(
            "producer",
            failed,
            () -> {
              while (!stop.get()) {
                kvdb.messages().post(queue, String.format("p%04d", produced.get()));
                produced.incrementAndGet();
                Thread.sleep(5);
              }
            });
    Thread consumer =
        worker(
            "consumer",
            failed,
            () -> {
              ClaimOptions options =
                  ClaimOptions.newBuilder()
                      .setLimit(3)
                      .setTtl(Duration.ofSeconds(60))
                      .setMaxWait(Duration.ofMillis(100))
                      .build();
              long drainBy = Long.MAX_VALUE;
              while (!produceEnded.get() || handled.size() < expected(seeded, produced.get())) {
                if (produceEnded.get() && drainBy == Long.MAX_VALUE) {
                  drainBy = System.nanoTime() + ENDS_WITHIN.toNanos();
                } else if (System.nanoTime() > drainBy) {
                  return;
                }
                Claim claim = kvdb.claims().create(queue, options);
                if (claim.getId().isEmpty()) {
                  continue;
                }
                handled.addAll(bodies(claim.getMessagesList()));
                kvdb.messages().delete(queue, ids(claim), claim.getId());
              }
            });

    Thread.sleep(200);
    MigrationInfo started = pools.migrate(project, queue, target);
    assertEquals(project, started.project());
    assertEquals(queue, started.queue());
    assertEquals(source, started.sourcePool());
    assertEquals(target, started.targetPool());
    assertTrue(started.endTime().isEmpty(), started.toString());
    // A claim made before the move stays valid while the queue is split.
    kvdb.messages().delete(queue, ids(held), held.getId());

    MigrationInfo done = awaitEnd(queue);
    stop.set(true);
    producer.join(ENDS_WITHIN.toMillis());
    produceEnded.set(true);
    consumer.join(ENDS_WITHIN.toMillis());
    assertEquals(null, failed.get(), () -> "a worker failed: " + failed.get());

    assertEquals(Migration.State.DONE, done.state(), done.toString());
    assertEquals(0, done.messagesLeft(), done.toString());
    assertEquals(0, done.claimedLeft(), done.toString());
    assertTrue(done.endTime().isPresent(), done.toString());
    assertEquals(target, kvdb.queues().get(queue).getPool());
    assertEquals(done, pools.migration(project, queue), "kept once ended");
    Expect.failure(
        Status.Code.FAILED_PRECONDITION,
        ErrorReason.ERROR_REASON_UNSPECIFIED,
        () -> pools.cancelMigration(project, queue));
    List<String> got = new ArrayList<>(handled);
    Set<String> want = new HashSet<>(seeded.subList(5, seeded.size()));
    want.addAll(List.of("d0", "d1"));
    for (int i = 0; i < produced.get(); i++) {
      want.add(String.format("p%04d", i));
    }
    assertEquals(want, new HashSet<>(got), "every message handled once the queue moved");
    assertEquals(got.size(), new HashSet<>(got).size(), () -> "handled twice: " + got);
    assertInOrder("s", got);
    assertInOrder("p", got);
    assertEquals(0, kvdb.queues().stats(queue).getTotal(), "nothing left behind");
  }

  @Test
  void aCancelledMigrationBringsTheQueueBackWhole() {
    String queue = "cancelled";
    List<String> posted = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      posted.add(String.format("m%03d", i));
    }
    kvdb.messages().post(queue, posted.stream().map(body -> text(body)).toList());
    String source = kvdb.queues().get(queue).getPool();
    String target = otherPool(source);

    pools.migrate(project, queue, target);
    MigrationInfo cancelling = pools.cancelMigration(project, queue);
    assertTrue(
        cancelling.state() == Migration.State.CANCELLING
            || cancelling.state() == Migration.State.CANCELLED,
        cancelling.toString());

    MigrationInfo cancelled = awaitEnd(queue);
    assertEquals(Migration.State.CANCELLED, cancelled.state(), cancelled.toString());
    assertEquals(source, kvdb.queues().get(queue).getPool());
    assertEquals(cancelled, pools.migration(project, queue), "kept once ended");
    assertEquals(cancelled, pools.cancelMigration(project, queue), "cancelling again is a no-op");
    List<String> got = new ArrayList<>();
    for (Claim claim = claim(kvdb, queue, 20);
        !claim.getId().isEmpty();
        claim = claim(kvdb, queue, 20)) {
      got.addAll(bodies(claim.getMessagesList()));
      kvdb.messages().delete(queue, ids(claim), claim.getId());
    }
    assertEquals(posted, got, "every message back, in order");
  }

  @Test
  void badMigrationsAreRefusedNamingTheirField() {
    String queue = "refused";
    kvdb.messages().post(queue, "one", "two");
    String source = kvdb.queues().get(queue).getPool();
    String target = otherPool(source);

    String unknownPool =
        Expect.notFound(() -> pools.migrate(project, queue, "no-such-pool")).getMessage();
    assertTrue(unknownPool.contains("no pool is named no-such-pool"), unknownPool);
    String unknownQueue =
        Expect.notFound(() -> pools.migrate(project, "no-such-queue", target)).getMessage();
    assertTrue(unknownQueue.contains("no-such-queue"), unknownQueue);
    Expect.invalid("target_pool", () -> pools.migrate(project, queue, source));
    Expect.invalid("target_pool", () -> pools.migrate(project, queue, "a b"));
    Expect.invalid("target_pool", () -> pools.migrate(project, queue, ""));
    Expect.invalid("queue", () -> pools.migrate(project, "", target));
    Expect.invalid("project", () -> pools.migrate("", queue, target));
    Expect.notFound(() -> pools.migration(project, queue));
    Expect.notFound(() -> pools.cancelMigration(project, queue));

    pools.migrate(project, queue, target);
    Expect.failure(
        Status.Code.FAILED_PRECONDITION,
        ErrorReason.IN_USE,
        () -> pools.migrate(project, queue, target));
    pools.cancelMigration(project, queue);
    assertEquals(Migration.State.CANCELLED, awaitEnd(queue).state());
  }

  /** The pool to move a queue of {@code source} to: "default" or the suite's first added pool. */
  private static String otherPool(String source) {
    String other = "default".equals(source) ? "pool-2" : "default";
    assertNotEquals(source, other);
    return other;
  }

  private MigrationInfo awaitEnd(String queue) {
    AtomicReference<MigrationInfo> last = new AtomicReference<>();
    Eventually.within(
        ENDS_WITHIN,
        () -> "migration of " + queue + " ended, last " + last.get(),
        () -> {
          last.set(pools.migration(project, queue));
          return last.get().ended();
        });
    return last.get();
  }

  /** Messages the consumer must handle: all but the five held, the two delayed, those produced. */
  private static int expected(List<String> seeded, int produced) {
    return seeded.size() - 5 + 2 + produced;
  }

  private static void assertInOrder(String prefix, List<String> handled) {
    List<String> ofPrefix = handled.stream().filter(body -> body.startsWith(prefix)).toList();
    assertEquals(ofPrefix.stream().sorted().toList(), ofPrefix, "FIFO among " + prefix + "...");
  }

  private interface Work {
    void run() throws Exception;
  }

  private static Thread worker(String name, AtomicReference<Throwable> failed, Work work) {
    Thread thread =
        new Thread(
            () -> {
              try {
                work.run();
              } catch (Throwable e) {
                failed.compareAndSet(null, e);
              }
            },
            name);
    thread.start();
    return thread;
  }
}
