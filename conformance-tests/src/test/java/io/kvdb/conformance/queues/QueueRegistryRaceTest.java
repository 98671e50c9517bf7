package io.kvdb.conformance.queues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.client.KvdbException;
import io.kvdb.client.ListQueuesOptions;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.conformance.messages.Messaging;
import io.kvdb.proto.v1.ErrorReason;
import io.kvdb.proto.v1.Queue;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A queue's keys and its project's listing live in different slots, so a delete racing a post that
 * creates the queue again could leave a live queue unlisted (invisible to ListQueues and to the
 * collector) or list a queue that does not exist. Checked by the invariant, not timing.
 */
class QueueRegistryRaceTest extends ProjectScopedTest {
  private static final int TRIALS = 60;
  private static final List<String> NAMES =
      IntStream.range(0, TRIALS).mapToObj(i -> "race-" + i).toList();

  @Test
  void deletesRacingCreatingPostsLeaveTheListingEqualToTheLiveQueues() {
    NAMES.forEach(name -> kvdb.messages().post(name, "before"));
    CyclicBarrier start = new CyclicBarrier(2);
    CompletableFuture<Void> deletes =
        CompletableFuture.runAsync(
            () ->
                NAMES.forEach(
                    name -> {
                      await(start);
                      queues.delete(name);
                    }));
    CompletableFuture<Void> posts =
        CompletableFuture.runAsync(
            () ->
                NAMES.forEach(
                    name -> {
                      await(start);
                      kvdb.messages().post(name, "racing");
                    }));
    CompletableFuture.allOf(deletes, posts).join();

    Set<String> live = live();
    assertEquals(live, listed(true), "a listing with metadata shows exactly the live queues");
    assertTrue(
        listed(false).containsAll(live),
        "every live queue is listed: " + live + " in " + listed(false));
    Messaging.eventually(
        "the collector drops entries of queues that are gone", () -> listed(false).equals(live()));
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception interrupted) {
      throw new IllegalStateException(interrupted);
    }
  }

  private Set<String> live() {
    Set<String> live = new TreeSet<>();
    for (String name : NAMES) {
      try {
        queues.get(name);
        live.add(name);
      } catch (KvdbException gone) {
        assertEquals(ErrorReason.NOT_FOUND, gone.reason(), gone.getMessage());
      }
    }
    return live;
  }

  private Set<String> listed(boolean withMetadata) {
    Set<String> names = new TreeSet<>();
    for (Queue queue :
        queues.listAll(
            ListQueuesOptions.newBuilder()
                .setPrefix("race-")
                .setIncludeMetadata(withMetadata)
                .build())) {
      names.add(queue.getName());
    }
    return names;
  }
}
