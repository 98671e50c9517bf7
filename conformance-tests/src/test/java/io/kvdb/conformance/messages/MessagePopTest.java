package io.kvdb.conformance.messages;

import static io.kvdb.conformance.messages.Messaging.bodies;
import static io.kvdb.conformance.messages.Messaging.delayed;
import static io.kvdb.conformance.messages.Messaging.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvdb.conformance.Expect;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.Message;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Popping: the oldest free messages, removed as they are returned. */
class MessagePopTest extends ProjectScopedTest {
  @Test
  void popRemovesAndReturnsTheOldestFreeMessages() {
    List<String> posted = kvdb.messages().post("q", "a", "b", "c", "d");
    kvdb.messages().post("q", List.of(delayed("hidden", Duration.ofMinutes(5))));
    Claim claim = Messaging.claim(kvdb, "q", 1);
    assertEquals(posted.subList(0, 1), ids(claim));

    List<Message> popped = kvdb.messages().pop("q", 2);
    assertEquals(posted.subList(1, 3), ids(popped));
    assertEquals(List.of("b", "c"), bodies(popped));
    Expect.notFound(() -> kvdb.messages().get("q", posted.subList(1, 2)));

    assertEquals(
        posted.subList(3, 4),
        ids(kvdb.messages().pop("q", 1000)),
        "neither claimed nor delayed ones");
    assertEquals(List.of(), kvdb.messages().pop("q", 5));
    var stats = queues.stats("q");
    assertEquals(2, stats.getTotal());
    assertEquals(1, stats.getClaimed());
    assertEquals(1, stats.getDelayed());
    assertEquals(List.of(), kvdb.messages().pop("no-such-queue", 5));
  }

  @Test
  void countIsOneToAThousand() {
    Expect.invalid("count", () -> kvdb.messages().pop("q", 1001));
    Expect.invalid("count", () -> kvdb.messages().pop("q", -1));
  }
}
