package io.kvdb.conformance.claims;

import static io.kvdb.conformance.messages.Messaging.ids;
import static io.kvdb.conformance.messages.Messaging.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.Durations;
import io.kvdb.conformance.Expect;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.conformance.messages.Messaging;
import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.Message;
import io.kvdb.proto.v1.UpdateQueueRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Messages delivered _max_claim_count times move to the _dead_letter_queue, whole and once. */
class DeadLetterTest extends ProjectScopedTest {
  private Claim claimAndRelease(String queue, int limit) {
    Claim claim = Messaging.claim(kvdb, queue, limit);
    if (!claim.getId().isEmpty()) {
      kvdb.claims().release(queue, claim.getId());
    }
    return claim;
  }

  @Test
  void aMessageDeliveredTheMostTimesMovesToTheDeadLetterQueue() {
    queues.create(
        "work",
        Map.of(
            "_max_claim_count",
            2,
            "_dead_letter_queue",
            "dlq",
            "_dead_letter_queue_messages_ttl",
            600));
    Struct attributes =
        Struct.newBuilder().putFields("k", Value.newBuilder().setNumberValue(7).build()).build();
    String poison =
        kvdb.messages()
            .post("work", List.of(text("poison").toBuilder().setAttributes(attributes).build()))
            .get(0);

    assertEquals(List.of(poison), ids(claimAndRelease("work", 1)));
    List<String> healthy = kvdb.messages().post("work", "healthy");
    assertEquals(List.of(poison, healthy.get(0)), ids(claimAndRelease("work", 5)));

    Claim third = Messaging.claim(kvdb, "work", 5);
    assertEquals(healthy, ids(third), "the poison message is not delivered a third time");
    assertEquals(2, third.getMessages(0).getClaimCount());

    List<Message> dead = kvdb.messages().get("dlq", List.of(poison));
    assertEquals(1, dead.size());
    assertEquals("poison", dead.get(0).getBody().toStringUtf8());
    assertEquals(attributes, dead.get(0).getAttributes());
    assertEquals(600, Durations.toSeconds(dead.get(0).getTtl()));
    assertEquals(1, queues.stats("dlq").getTotal(), "moved once");
    assertEquals(1, queues.stats("work").getTotal(), "and gone from its queue");
    Expect.notFound(() -> kvdb.messages().get("work", List.of(poison)));
    assertEquals(
        ids(dead),
        ids(Messaging.claim(kvdb, "dlq", 5)),
        "the dead-letter queue is a queue like any");
  }

  @Test
  void aDeadLetterKeepsItsTtlWhenTheQueueSetsNone() {
    queues.create("work", Map.of("_max_claim_count", 1, "_dead_letter_queue", "dlq"));
    String id =
        kvdb.messages()
            .post("work", List.of(text("once", java.time.Duration.ofSeconds(300))))
            .get(0);
    claimAndRelease("work", 1);
    assertEquals("", Messaging.claim(kvdb, "work", 1).getId());
    assertEquals(300, Durations.toSeconds(kvdb.messages().get("dlq", List.of(id)).get(0).getTtl()));
  }

  @Test
  void withoutADeadLetterQueueMessagesAreDeliveredAgain() {
    queues.create("work", Map.of("_max_claim_count", 1));
    String id = kvdb.messages().post("work", "again").get(0);
    for (int delivery = 1; delivery <= 3; delivery++) {
      Claim claim = claimAndRelease("work", 1);
      assertEquals(delivery, claim.getMessages(0).getClaimCount());
      assertEquals(List.of(id), ids(claim));
    }
  }

  @Test
  void manyDeadLettersMoveEachExactlyOnceInTheirOrder() {
    queues.create("work", Map.of("_max_claim_count", 1, "_dead_letter_queue", "dlq"));
    List<String> posted =
        kvdb.messages().post("work", Messaging.numbered(150).toArray(String[]::new));
    for (int i = 0; i < 2; i++) {
      claimAndRelease("work", 100);
    }
    assertEquals("", Messaging.claim(kvdb, "work", 1000).getId());
    List<String> dead =
        ids(Messaging.listAll(kvdb, Messaging.listing("dlq").setPageSize(100).build()));
    assertEquals(posted.size(), dead.size(), "none moved twice");
    assertEquals(new HashSet<>(posted), new HashSet<>(dead), "all moved");
    assertEquals(posted, dead, "in the order they were posted");
    assertEquals(0, queues.stats("work").getTotal());
  }

  @Test
  void aDeadLetterQueuesPostSizeLimitNeverRefusesALetter() {
    queues.create("dlq", Map.of("_max_messages_post_size", 1));
    queues.create("work", Map.of("_max_claim_count", 1, "_dead_letter_queue", "dlq"));
    String poison =
        kvdb.messages().post("work", "a letter larger than the limit for posting clients").get(0);
    claimAndRelease("work", 1);
    List<String> healthy = kvdb.messages().post("work", "healthy");

    Claim claim = Messaging.claim(kvdb, "work", 5);

    assertEquals(healthy, ids(claim), "the claim that moved the letter succeeds with its messages");
    assertEquals(List.of(poison), ids(kvdb.messages().get("dlq", List.of(poison))));
  }

  @Test
  void aDeadLetterIsVisibleAtOnceWhenTheQueuesDefaultDelayWouldOutliveIt() {
    queues.create("dlq", Map.of("_default_message_delay", 900));
    queues.create(
        "work",
        Map.of(
            "_max_claim_count",
            1,
            "_dead_letter_queue",
            "dlq",
            "_dead_letter_queue_messages_ttl",
            600));
    String poison = kvdb.messages().post("work", "poison").get(0);
    claimAndRelease("work", 1);
    List<String> healthy = kvdb.messages().post("work", "healthy");

    assertEquals(healthy, ids(Messaging.claim(kvdb, "work", 5)));
    assertEquals(
        List.of(poison),
        ids(Messaging.claim(kvdb, "dlq", 5)),
        "a delay it would not outlive is not applied");
  }

  @Test
  void aDeadLetterTakesTheQueuesDefaultDelayWhenItOutlivesIt() {
    queues.create("dlq", Map.of("_default_message_delay", 600));
    queues.create(
        "work",
        Map.of(
            "_max_claim_count",
            1,
            "_dead_letter_queue",
            "dlq",
            "_dead_letter_queue_messages_ttl",
            900));
    String poison = kvdb.messages().post("work", "poison").get(0);
    claimAndRelease("work", 1);
    assertEquals("", Messaging.claim(kvdb, "work", 1).getId());

    assertEquals(
        1, queues.stats("dlq").getDelayed(), "a retry queue's delay holds for letters too");
    assertEquals(List.of(poison), ids(kvdb.messages().get("dlq", List.of(poison))));
  }

  @Test
  void aQueueCannotBeItsOwnDeadLetterQueue() {
    Expect.invalid(
        "metadata._dead_letter_queue",
        () -> queues.create("self", Map.of("_dead_letter_queue", "self")));
    queues.create("self", Map.of());
    Expect.invalid(
        "metadata._dead_letter_queue",
        () ->
            queues.update(
                "self", Map.of("_dead_letter_queue", "self"), UpdateQueueRequest.Mode.MERGE));
    Expect.invalid(
        "metadata._dead_letter_queue",
        () ->
            queues.update(
                "self", Map.of("_dead_letter_queue", "self"), UpdateQueueRequest.Mode.REPLACE));
  }

  @Test
  void aLetterMovedAroundACycleIsNeverDropped() {
    queues.create("main", Map.of("_max_claim_count", 1, "_dead_letter_queue", "retry"));
    queues.create("retry", Map.of("_max_claim_count", 1, "_dead_letter_queue", "main"));
    String id = kvdb.messages().post("main", "round and round").get(0);
    String here = "main";
    String there = "retry";
    for (int move = 1; move <= 4; move++) {
      assertEquals(
          List.of(id),
          ids(claimAndRelease(here, 1)),
          "delivered in " + here + " before move " + move);
      assertEquals("", Messaging.claim(kvdb, here, 1).getId(), "moved on at move " + move);
      assertEquals(1, queues.stats(there).getTotal(), "arrived in " + there + " at move " + move);
      assertEquals(0, queues.stats(here).getTotal(), "and left " + here);
      String next = here;
      here = there;
      there = next;
    }
  }
}
