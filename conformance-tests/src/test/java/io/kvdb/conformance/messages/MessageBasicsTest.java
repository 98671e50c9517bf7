package io.kvdb.conformance.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.client.ClaimOptions;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.ListMessagesRequest;
import io.kvdb.proto.v1.Message;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The message life cycle end to end: post, list, claim, delete, stats. */
class MessageBasicsTest extends ProjectScopedTest {
  @Test
  void postedMessagesAreClaimedInOrderAndDeletedWithTheirClaim() {
    List<String> ids = kvdb.messages().post("jobs", "one", "two", "three");
    assertEquals(3, queues.stats("jobs").getFree());

    Claim claim =
        kvdb.claims()
            .create(
                "jobs",
                ClaimOptions.newBuilder()
                    .setLimit(2)
                    .setTtl(Duration.ofSeconds(30))
                    .setMaxWait(Duration.ZERO)
                    .build());
    assertEquals(ids.subList(0, 2), claim.getMessagesList().stream().map(Message::getId).toList());
    assertEquals("one", claim.getMessages(0).getBody().toStringUtf8());
    assertEquals(1, claim.getMessages(0).getClaimCount());
    assertEquals(2, queues.stats("jobs").getClaimed());

    kvdb.messages().delete("jobs", ids.subList(0, 2), claim.getId());
    var stats = queues.stats("jobs");
    assertEquals(1, stats.getTotal());
    assertEquals(ids.get(2), stats.getOldest().getId());

    List<Message> listed =
        Messaging.list(
                kvdb, ListMessagesRequest.newBuilder().setQueue("jobs").setEcho(true).build())
            .getMessagesList();
    assertEquals(List.of(ids.get(2)), listed.stream().map(Message::getId).toList());
    assertTrue(queues.get("jobs").hasCreateTime(), "posting created the queue");
  }
}
