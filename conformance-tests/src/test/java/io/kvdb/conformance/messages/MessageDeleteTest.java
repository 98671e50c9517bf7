package io.kvdb.conformance.messages;

import static io.kvdb.conformance.messages.Messaging.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Status;
import io.kvdb.conformance.Expect;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.ErrorReason;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Deleting by Zaqar's claim rules, all or nothing. */
class MessageDeleteTest extends ProjectScopedTest {
  private static final Status.Code REFUSED = Status.Code.FAILED_PRECONDITION;

  private int total(String queue) {
    return (int) queues.stats(queue).getTotal();
  }

  @Test
  void freeMessagesAreDeletedWithoutAClaimAndMissingOnesAreFine() {
    List<String> posted = kvdb.messages().post("q", "a", "b", "c");
    kvdb.messages().delete("q", List.of(posted.get(0), "unknown-id", posted.get(2)));
    assertEquals(posted.subList(1, 2), ids(kvdb.messages().get("q", posted)));

    kvdb.messages().delete("q", posted.subList(0, 1));
    kvdb.messages().delete("no-such-queue", List.of("unknown-id"));
    kvdb.messages().delete("no-such-queue", List.of("unknown-id"), "unknown-claim");
  }

  @Test
  void aClaimedMessageNeedsItsClaimsId() {
    List<String> posted = kvdb.messages().post("q", "a", "b");
    Claim mine = Messaging.claim(kvdb, "q", 1);
    Claim theirs = Messaging.claim(kvdb, "q", 1);

    Expect.failure(
        REFUSED, ErrorReason.CLAIMED, () -> kvdb.messages().delete("q", posted.subList(0, 1)));
    Expect.failure(
        REFUSED,
        ErrorReason.NOT_CLAIMED_BY,
        () -> kvdb.messages().delete("q", posted.subList(0, 1), theirs.getId()));
    assertEquals(2, total("q"));

    kvdb.messages().delete("q", posted.subList(0, 1), mine.getId());
    assertEquals(posted.subList(1, 2), ids(kvdb.messages().get("q", posted)));
  }

  @Test
  void aClaimIdIsRefusedForAMessageNoClaimHolds() {
    List<String> posted = kvdb.messages().post("q", "a", "b");
    Claim claim = Messaging.claim(kvdb, "q", 1);
    Expect.failure(
        REFUSED,
        ErrorReason.NOT_CLAIMED,
        () -> kvdb.messages().delete("q", posted.subList(1, 2), claim.getId()));

    kvdb.claims().release("q", claim.getId());
    Expect.failure(
        REFUSED,
        ErrorReason.NOT_CLAIMED,
        () -> kvdb.messages().delete("q", posted.subList(0, 1), claim.getId()));
    assertEquals(2, total("q"));
  }

  @Test
  void aBatchWithOneRefusedMessageDeletesNothing() {
    List<String> posted = kvdb.messages().post("q", "a", "b", "c");
    Claim claim = Messaging.claim(kvdb, "q", 2);

    Expect.failure(
        REFUSED, ErrorReason.NOT_CLAIMED, () -> kvdb.messages().delete("q", posted, claim.getId()));
    Expect.failure(
        REFUSED,
        ErrorReason.CLAIMED,
        () -> kvdb.messages().delete("q", List.of(posted.get(2), posted.get(1))));
    assertEquals(3, total("q"));
    assertEquals(posted, ids(kvdb.messages().get("q", posted)));

    kvdb.messages().delete("q", ids(claim), claim.getId());
    assertEquals(1, total("q"));
  }

  @Test
  void aMessageWhoseClaimExpiredIsRefusedWithThatClaimsId() throws Exception {
    Assumptions.assumeTrue(KvdbTarget.allowsShortTtls());
    List<String> posted = kvdb.messages().post("q", "a");
    Claim claim = Messaging.claim(kvdb, "q", 1, KvdbTarget.SHORT, Messaging.HOLD);
    Messaging.sleepPast(claim.getExpireTime());
    Expect.failure(
        REFUSED,
        ErrorReason.CLAIM_EXPIRED,
        () -> kvdb.messages().delete("q", posted, claim.getId()));

    assertEquals(
        1, queues.stats("q").getFree(), "the queue has caught up: the message is free again");
    Expect.failure(
        REFUSED,
        ErrorReason.CLAIM_EXPIRED,
        () -> kvdb.messages().delete("q", posted, claim.getId()));
    assertEquals(1, total("q"));
    kvdb.messages().delete("q", posted);
    assertEquals(0, total("q"));
  }

  @Test
  void idsAreRequiredAndBounded() {
    Expect.invalid("ids", () -> kvdb.messages().delete("q", List.of()));
    Expect.invalid(
        "ids", () -> kvdb.messages().delete("q", java.util.Collections.nCopies(1001, "x")));
  }

  @Test
  void aMessageReclaimedByAnotherClaimIsRefusedToTheOldClaim() throws Exception {
    Assumptions.assumeTrue(KvdbTarget.allowsShortTtls());
    List<String> posted = kvdb.messages().post("q", "a");
    Claim old = Messaging.claim(kvdb, "q", 1, KvdbTarget.SHORT, Messaging.HOLD);
    Messaging.sleepPast(old.getExpireTime());
    Claim current = Messaging.claim(kvdb, "q", 1);
    assertEquals(posted, ids(current));
    Expect.failure(
        REFUSED,
        ErrorReason.NOT_CLAIMED_BY,
        () -> kvdb.messages().delete("q", posted, old.getId()));
    kvdb.messages().delete("q", posted, current.getId());
    assertEquals(0, total("q"));
  }
}
