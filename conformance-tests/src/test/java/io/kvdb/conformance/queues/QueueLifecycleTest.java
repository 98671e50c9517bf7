package io.kvdb.conformance.queues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Timestamps;
import io.kvdb.conformance.Expect;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.StructValues;
import io.kvdb.proto.v1.CreateQueueResponse;
import io.kvdb.proto.v1.Queue;
import io.kvdb.proto.v1.QueueStats;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Create, get, delete and stats of one queue, as Zaqar defines them. */
class QueueLifecycleTest extends ProjectScopedTest {
  @Test
  void createReturnsTheNewQueueWithItsMetadata() {
    CreateQueueResponse created = queues.create("orders", Map.of("color", "red", "limit", 5));

    assertTrue(created.getCreated());
    assertEquals("orders", created.getQueue().getName());
    assertEquals(
        Map.of("color", "red", "limit", 5.0), StructValues.toMap(created.getQueue().getMetadata()));
    assertTrue(Timestamps.toMillis(created.getQueue().getCreateTime()) > 0);
    assertEquals(created.getQueue(), queues.get("orders"));
  }

  @Test
  void createIsIdempotentAndChangesNothing() {
    Queue first = queues.create("orders", Map.of("v", 1)).getQueue();

    CreateQueueResponse again = queues.create("orders", Map.of("v", 2, "extra", true));

    assertFalse(again.getCreated());
    assertEquals(first, again.getQueue());
    assertEquals(first, queues.get("orders"));
  }

  @Test
  void getOfAMissingQueueIsNotFound() {
    Expect.notFound(() -> queues.get("missing"));
  }

  @Test
  void deleteRemovesTheQueueAndIsFineWhenRepeated() {
    queues.create("doomed");

    queues.delete("doomed");

    Expect.notFound(() -> queues.get("doomed"));
    Expect.notFound(() -> queues.stats("doomed"));
    queues.delete("doomed");
    queues.delete("never-existed");
  }

  @Test
  void aDeletedQueueCanBeCreatedAgainFresh() {
    queues.create("phoenix", Map.of("life", 1));
    queues.delete("phoenix");

    CreateQueueResponse reborn = queues.create("phoenix", Map.of("life", 2));

    assertTrue(reborn.getCreated());
    assertEquals(Map.of("life", 2.0), StructValues.toMap(reborn.getQueue().getMetadata()));
  }

  @Test
  void statsOfAnEmptyQueueAreZerosWithoutOldestOrNewest() {
    queues.create("empty");

    QueueStats stats = queues.stats("empty");

    assertEquals(QueueStats.getDefaultInstance(), stats);
    assertFalse(stats.hasOldest());
    assertFalse(stats.hasNewest());
  }

  @Test
  void statsOfAMissingQueueAreNotFound() {
    Expect.notFound(() -> queues.stats("missing"));
  }

  @Test
  void asyncTwinsBehaveLikeTheBlockingCalls() throws Exception {
    assertTrue(queues.createAsync("async", Map.of()).get().getCreated());
    assertEquals("async", queues.getAsync("async").get().getName());
    assertEquals(0, queues.statsAsync("async").get().getTotal());
    queues.deleteAsync("async").get();
    Expect.notFound(
        () -> {
          try {
            queues.getAsync("async").get();
          } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause();
          }
        });
  }
}
