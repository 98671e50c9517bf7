package io.kvdb.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvdb.client.Consumer;
import io.kvdb.proto.v1.Message;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** The SDK consumer: handled messages are deleted, failed ones come again, then go to dead letters. */
class ConsumerTest extends ProjectScopedTest {
  private Consumer consume(String queue, Consumer.Handler handler) {
    return kvdb.consumer(queue, handler).threads(2).batch(5).ttl(Messaging.HOLD).start();
  }

  @Test
  void handledMessagesAreDeleted() throws Exception {
    List<String> posted = kvdb.messages().post("q", Messaging.numbered(30).toArray(String[]::new));
    ConcurrentLinkedQueue<String> handled = new ConcurrentLinkedQueue<>();
    try (Consumer consumer = consume("q", message -> handled.add(message.getId()))) {
      Messaging.eventually("all handled", () -> queues.stats("q").getTotal() == 0);
    }
    assertEquals(posted.size(), handled.size(), "each handled once");
    assertEquals(new HashSet<>(posted), new HashSet<>(handled));
  }

  @Test
  void aMessageWhoseHandlerThrewIsDeliveredAgain() throws Exception {
    String flaky = kvdb.messages().post("q", "flaky").get(0);
    ConcurrentLinkedQueue<Integer> deliveries = new ConcurrentLinkedQueue<>();
    try (Consumer consumer = consume("q", message -> {
      deliveries.add(message.getClaimCount());
      if (message.getClaimCount() == 1) {
        throw new IllegalStateException("first attempt fails");
      }
    })) {
      Messaging.eventually("handled on the second delivery", () -> queues.stats("q").getTotal() == 0);
    }
    assertEquals(List.of(1, 2), List.copyOf(deliveries));
    Expect.notFound(() -> kvdb.messages().get("q", List.of(flaky)));
  }

  @Test
  void aMessageThatAlwaysFailsEndsInTheDeadLetterQueue() throws Exception {
    queues.create("q", Map.of("_max_claim_count", 2, "_dead_letter_queue", "dlq"));
    String poison = kvdb.messages().post("q", "poison", "fine").get(0);
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    try (Consumer consumer = consume("q", message -> {
      seen.add(message.getBody().toStringUtf8());
      if (message.getBody().toStringUtf8().equals("poison")) {
        throw new IllegalStateException("cannot handle it");
      }
    })) {
      Messaging.eventually("the poison message moved", () -> queues.stats("q").getTotal() == 0);
    }
    List<Message> dead = kvdb.messages().get("dlq", List.of(poison));
    assertEquals("poison", dead.get(0).getBody().toStringUtf8());
    assertEquals(1, queues.stats("dlq").getTotal());
    assertEquals(2, seen.stream().filter("poison"::equals).count(), "delivered _max_claim_count times");
    assertEquals(1, seen.stream().filter("fine"::equals).count());
  }
}
