package io.kvdb.conformance.messages;

import static io.kvdb.conformance.messages.Messaging.delayed;
import static io.kvdb.conformance.messages.Messaging.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.kvdb.conformance.Expect;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.Message;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Getting messages by id: order, unknown ids, and the fields a message shows. */
class MessageGetTest extends ProjectScopedTest {
  @Test
  void foundMessagesComeInTheOrderAskedAndUnknownOnesAreSkipped() {
    List<String> posted = kvdb.messages().post("q", "a", "b", "c");
    List<String> asked = List.of(posted.get(2), "unknown-id", posted.get(0));
    assertEquals(List.of(posted.get(2), posted.get(0)), ids(kvdb.messages().get("q", asked)));
    assertEquals(List.of(), kvdb.messages().get("q", List.of("unknown-1", "unknown-2")));
  }

  @Test
  void aSingleUnknownIdIsNotFound() {
    kvdb.messages().post("q", "a");
    Expect.notFound(() -> kvdb.messages().get("q", List.of("unknown-id")));
    Expect.notFound(() -> kvdb.messages().get("no-such-queue", List.of("unknown-id")));
  }

  @Test
  void aDeletedMessageIsNotFound() {
    String id = kvdb.messages().post("q", "a").get(0);
    kvdb.messages().delete("q", List.of(id));
    Expect.notFound(() -> kvdb.messages().get("q", List.of(id)));
  }

  @Test
  void aClaimedMessageShowsItsClaimAndDeliveries() {
    String id = kvdb.messages().post("q", "a").get(0);
    Claim claim = Messaging.claim(kvdb, "q", 1);

    Message seen = kvdb.messages().get("q", List.of(id)).get(0);
    assertEquals(claim.getId(), seen.getClaimId());
    assertEquals(1, seen.getClaimCount());

    kvdb.claims().release("q", claim.getId());
    Message released = kvdb.messages().get("q", List.of(id)).get(0);
    assertEquals("", released.getClaimId(), "no live claim holds it");
    assertEquals(1, released.getClaimCount(), "deliveries are remembered");
  }

  @Test
  void aDelayedMessageShowsWhenItBecomesVisible() {
    String id = kvdb.messages().post("q", List.of(delayed("later", Duration.ofSeconds(30)))).get(0);
    Message seen = kvdb.messages().get("q", List.of(id)).get(0);
    assertEquals(
        30_000,
        Durations.toMillis(Timestamps.between(seen.getCreateTime(), seen.getVisibleTime())));
    assertTrue(
        Durations.toMillis(seen.getAge()) >= 0 && Durations.toMillis(seen.getAge()) < 30_000);
  }

  @Test
  void idsAreRequiredAndBounded() {
    Expect.invalid("ids", () -> kvdb.messages().get("q", List.of()));
    Expect.invalid("ids", () -> kvdb.messages().get("q", java.util.Collections.nCopies(1001, "x")));
  }
}
