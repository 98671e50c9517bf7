package io.kvdb.conformance.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvdb.client.KvdbClient;
import io.kvdb.conformance.Expect;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.v1.Claim;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A message id belongs to its queue: another queue or project neither finds nor deletes it. */
class MessageIsolationTest extends ProjectScopedTest {
  @Test
  void anIdOfOneQueueFindsNothingInAnother() {
    List<String> inA = kvdb.messages().post("a", "one", "two");
    kvdb.messages().post("b", "other");

    Expect.notFound(() -> kvdb.messages().get("b", inA.subList(0, 1)));
    assertEquals(List.of(), kvdb.messages().get("b", inA));
    kvdb.messages().delete("b", inA);
    assertEquals(
        inA,
        Messaging.ids(kvdb.messages().get("a", inA)),
        "deleting via another queue did nothing");
  }

  @Test
  void anIdOfOneProjectFindsNothingInAnother() {
    List<String> mine = kvdb.messages().post("shared-name", "mine");
    Claim claim = Messaging.claim(kvdb, "shared-name", 1);
    try (KvdbClient other = KvdbTarget.newClient()) {
      other.messages().post("shared-name", "theirs");
      Expect.notFound(() -> other.messages().get("shared-name", mine));
      other.messages().delete("shared-name", mine);
      other.messages().delete("shared-name", mine, claim.getId());
      Expect.notFound(() -> other.claims().get("shared-name", claim.getId()));
      other.claims().release("shared-name", claim.getId());
    }
    assertEquals(
        claim.getId(), kvdb.messages().get("shared-name", mine).get(0).getClaimId(), "still held");
  }
}
