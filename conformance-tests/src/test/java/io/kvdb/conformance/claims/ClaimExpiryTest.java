package io.kvdb.conformance.claims;

import static io.kvdb.conformance.messages.Messaging.HOLD;
import static io.kvdb.conformance.messages.Messaging.ids;
import static io.kvdb.conformance.messages.Messaging.listing;
import static io.kvdb.conformance.messages.Messaging.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.util.Timestamps;
import io.kvdb.conformance.Expect;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.conformance.messages.Messaging;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.Message;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Time passing: claims and messages that expire, watched with the gateway's short minimums. */
class ClaimExpiryTest extends ProjectScopedTest {
  private static final Duration SHORT = KvdbTarget.SHORT;

  @BeforeEach
  void needsShortTtls() {
    Assumptions.assumeTrue(KvdbTarget.allowsShortTtls());
  }

  @Test
  void anExpiredClaimsMessagesAreClaimableAgainAndTheClaimIsGone() throws Exception {
    List<String> posted = kvdb.messages().post("q", "a", "b");
    Claim first = Messaging.claim(kvdb, "q", 1, SHORT, HOLD);
    assertEquals(posted.subList(0, 1), ids(first));
    Messaging.sleepPast(first.getExpireTime());

    Expect.notFound(() -> kvdb.claims().get("q", first.getId()));
    Expect.notFound(() -> kvdb.claims().update("q", first.getId(), HOLD, HOLD));
    kvdb.claims().release("q", first.getId());
    Message free = kvdb.messages().get("q", posted.subList(0, 1)).get(0);
    assertEquals("", free.getClaimId(), "no live claim holds it");
    assertEquals(1, free.getClaimCount());
    Claim second = Messaging.claim(kvdb, "q", 5);
    assertEquals(posted, ids(second), "in the original order");
    assertEquals(2, second.getMessages(0).getClaimCount());
    assertEquals(1, second.getMessages(1).getClaimCount());
    assertEquals(2, queues.stats("q").getClaimed());
  }

  @Test
  void anUpdatedClaimOutlivesItsFirstTtl() throws Exception {
    kvdb.messages().post("q", "a");
    Claim claim = Messaging.claim(kvdb, "q", 1, SHORT, HOLD);
    kvdb.claims().update("q", claim.getId(), HOLD, HOLD);
    Messaging.sleepPast(claim.getExpireTime());

    assertEquals(ids(claim), ids(kvdb.claims().get("q", claim.getId())));
    assertEquals("", Messaging.claim(kvdb, "q", 1).getId(), "still held");
  }

  @Test
  void anExpiredMessageDisappearsFromEveryView() throws Exception {
    List<String> posted = kvdb.messages().post("q", List.of(text("brief", SHORT), text("lasting")));
    Message brief = kvdb.messages().get("q", posted.subList(0, 1)).get(0);
    Messaging.sleepPast(brief.getExpireTime());

    assertEquals(posted.subList(1, 2), ids(kvdb.messages().get("q", posted)));
    Expect.notFound(() -> kvdb.messages().get("q", posted.subList(0, 1)));
    assertEquals(
        posted.subList(1, 2), ids(Messaging.list(kvdb, listing("q").build()).getMessagesList()));
    var stats = queues.stats("q");
    assertEquals(1, stats.getTotal());
    assertEquals(1, stats.getFree());
    assertEquals(posted.get(1), stats.getOldest().getId());
    assertEquals(posted.subList(1, 2), ids(Messaging.claim(kvdb, "q", 5)));
    kvdb.messages().delete("q", posted.subList(0, 1));
  }

  @Test
  void aClaimWithoutGraceKeepsItsMessagesAliveUntilItEnds() throws Exception {
    List<String> posted = kvdb.messages().post("q", List.of(text("brief", Duration.ofMillis(400))));
    Claim claim = Messaging.claim(kvdb, "q", 1, Duration.ofSeconds(2), Duration.ZERO);
    assertEquals(posted, ids(claim));
    Eventually.clockPasses(Timestamps.toMillis(claim.getMessages(0).getCreateTime()) + 400 + 50);
    assertEquals(
        posted, ids(kvdb.claims().get("q", claim.getId())), "outlived its own ttl while claimed");
    kvdb.messages().delete("q", posted, claim.getId());
    assertEquals(0, queues.stats("q").getTotal());
  }

  @Test
  void aDelayedMessageBecomesClaimableWhenItsDelayEnds() throws Exception {
    List<String> posted =
        kvdb.messages().post("q", List.of(Messaging.delayed("later", Duration.ofMillis(500))));
    assertEquals("", Messaging.claim(kvdb, "q", 1).getId());
    assertEquals(1, queues.stats("q").getDelayed());
    Messaging.sleepPast(kvdb.messages().get("q", posted).get(0).getVisibleTime());

    assertEquals(1, queues.stats("q").getFree());
    assertEquals(posted, ids(Messaging.claim(kvdb, "q", 1)));
  }
}
