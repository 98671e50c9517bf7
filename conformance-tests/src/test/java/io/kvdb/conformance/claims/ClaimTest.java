package io.kvdb.conformance.claims;

import static io.kvdb.conformance.messages.Messaging.HOLD;
import static io.kvdb.conformance.messages.Messaging.ids;
import static io.kvdb.conformance.messages.Messaging.numbered;
import static io.kvdb.conformance.messages.Messaging.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.kvdb.client.ClaimOptions;
import io.kvdb.conformance.Direct;
import io.kvdb.conformance.Expect;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.conformance.messages.Messaging;
import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.ClaimServiceGrpc;
import io.kvdb.proto.v1.CreateClaimRequest;
import io.kvdb.proto.v1.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Claims one at a time: what they take, what they show, update and release. */
class ClaimTest extends ProjectScopedTest {
  private Claim claimWithDefaultLimit(String queue) {
    return kvdb.claims().create(queue);
  }

  @Test
  void claimsWithTheDefaultLimitTakeTenEachAndNeverTheSameMessage() {
    List<String> posted = kvdb.messages().post("q", numbered(51).toArray(String[]::new));
    Set<String> taken = new HashSet<>();
    List<String> inOrder = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Claim claim = claimWithDefaultLimit("q");
      assertEquals(10, claim.getMessagesCount());
      inOrder.addAll(ids(claim));
    }
    Claim sixth = claimWithDefaultLimit("q");
    assertEquals(1, sixth.getMessagesCount());
    inOrder.addAll(ids(sixth));
    taken.addAll(inOrder);
    assertEquals(posted, inOrder, "each claim takes the oldest free messages");
    assertEquals(51, taken.size());

    Claim seventh = claimWithDefaultLimit("q");
    assertEquals("", seventh.getId(), "nothing claimable: an empty claim");
    assertEquals(0, seventh.getMessagesCount());
    assertEquals(51, queues.stats("q").getClaimed());
  }

  @Test
  void aClaimOnAnEmptyOrMissingQueueIsEmpty() {
    assertEquals(
        Claim.getDefaultInstance().getId(), Messaging.claim(kvdb, "no-such-queue", 5).getId());
    kvdb.messages().post("q", List.of(Messaging.delayed("later", Duration.ofMinutes(5))));
    Claim claim = Messaging.claim(kvdb, "q", 5);
    assertEquals("", claim.getId(), "a delayed message is not claimable");
    assertEquals(0, claim.getMessagesCount());
  }

  @Test
  void aClaimShowsItsTermsAndGetShowsTheMessagesItStillHolds() {
    List<String> posted = kvdb.messages().post("q", "a", "b", "c");
    Claim claim = Messaging.claim(kvdb, "q", 3, Duration.ofSeconds(90), Duration.ofSeconds(120));
    assertEquals(90, claim.getTtl().getSeconds());
    assertEquals(120, claim.getGrace().getSeconds());
    for (Message message : claim.getMessagesList()) {
      assertEquals(claim.getId(), message.getClaimId());
      assertEquals(1, message.getClaimCount());
    }

    kvdb.messages().delete("q", posted.subList(1, 2), claim.getId());
    Claim seen = kvdb.claims().get("q", claim.getId());
    assertEquals(claim.getId(), seen.getId());
    assertEquals(Set.of(posted.get(0), posted.get(2)), new HashSet<>(ids(seen)));
    assertEquals(90, seen.getTtl().getSeconds());
    assertEquals(120, seen.getGrace().getSeconds());
    assertEquals(claim.getExpireTime(), seen.getExpireTime());
    assertTrue(
        Durations.toMillis(seen.getAge()) >= 0 && Durations.toMillis(seen.getAge()) < 10_000);
  }

  @Test
  void aMessageThatWouldOutliveItsClaimIsExtendedToTheClaimPlusGrace() {
    String id = kvdb.messages().post("q", List.of(text("short", Duration.ofSeconds(60)))).get(0);
    Claim claim = Messaging.claim(kvdb, "q", 1, Duration.ofSeconds(100), Duration.ofSeconds(50));
    Message held = claim.getMessages(0);
    assertEquals(
        Timestamps.toMillis(claim.getExpireTime()) + 50_000,
        Timestamps.toMillis(held.getExpireTime()));
    assertTrue(Durations.toMillis(held.getTtl()) >= 150_000, "ttl grew: " + held.getTtl());
    assertEquals(
        held.getExpireTime(), kvdb.messages().get("q", List.of(id)).get(0).getExpireTime());

    Claim updated =
        kvdb.claims().update("q", claim.getId(), Duration.ofSeconds(200), Duration.ofSeconds(60));
    assertEquals(200, updated.getTtl().getSeconds());
    assertEquals(60, updated.getGrace().getSeconds());
    assertTrue(Timestamps.compare(updated.getExpireTime(), claim.getExpireTime()) > 0);
    Message extended = kvdb.messages().get("q", List.of(id)).get(0);
    assertEquals(
        Timestamps.toMillis(updated.getExpireTime()) + 60_000,
        Timestamps.toMillis(extended.getExpireTime()));
    assertEquals(updated.getExpireTime(), kvdb.claims().get("q", claim.getId()).getExpireTime());
  }

  @Test
  void aMessageThatOutlivesItsClaimKeepsItsTtl() {
    String id = kvdb.messages().post("q", List.of(text("long", Duration.ofHours(2)))).get(0);
    Message before = kvdb.messages().get("q", List.of(id)).get(0);
    Claim claim = Messaging.claim(kvdb, "q", 1);
    assertEquals(before.getExpireTime(), claim.getMessages(0).getExpireTime());
    assertEquals(before.getTtl(), claim.getMessages(0).getTtl());
  }

  @Test
  void aReleasedClaimsMessagesAreClaimableAtOnceInTheirOriginalOrder() {
    List<String> posted = kvdb.messages().post("q", "a", "b", "c", "d");
    Claim first = Messaging.claim(kvdb, "q", 2);
    Claim second = Messaging.claim(kvdb, "q", 1);
    kvdb.claims().release("q", first.getId());

    Expect.notFound(() -> kvdb.claims().get("q", first.getId()));
    Claim again = Messaging.claim(kvdb, "q", 10);
    assertEquals(List.of(posted.get(0), posted.get(1), posted.get(3)), ids(again));
    assertEquals(
        List.of(2, 2, 1),
        again.getMessagesList().stream().map(Message::getClaimCount).toList(),
        "claim_count counts deliveries");
    assertEquals(
        List.of(posted.get(2)),
        ids(kvdb.claims().get("q", second.getId())),
        "the other claim is untouched");
  }

  @Test
  void unknownClaimsAreNotFoundButReleasingThemIsFine() {
    kvdb.messages().post("q", "a");
    Expect.notFound(() -> kvdb.claims().get("q", "unknown-claim"));
    Expect.notFound(() -> kvdb.claims().update("q", "unknown-claim", HOLD, HOLD));
    kvdb.claims().release("q", "unknown-claim");
    kvdb.claims().release("no-such-queue", "unknown-claim");
  }

  @Test
  void badRequestsNameTheField() {
    Expect.invalid(
        "limit",
        () -> Direct.call(() -> direct().createClaim(claiming("q").setLimit(1001).build())));
    Expect.invalid(
        "limit", () -> Direct.call(() -> direct().createClaim(claiming("q").setLimit(-1).build())));
    Expect.invalid(
        "wait",
        () ->
            Direct.call(
                () ->
                    direct()
                        .createClaim(
                            claiming("q").setLimit(1).setWait(Durations.fromSeconds(21)).build())));
    Expect.invalid(
        "ttl",
        () ->
            kvdb.claims()
                .create(
                    "q",
                    ClaimOptions.newBuilder()
                        .setLimit(1)
                        .setTtl(Duration.ofDays(1))
                        .setMaxWait(Duration.ZERO)
                        .build()));
    Expect.invalid("ttl", () -> Messaging.claim(kvdb, "q", 1, Duration.ofMillis(1), HOLD));
    Expect.invalid("grace", () -> Messaging.claim(kvdb, "q", 1, HOLD, Duration.ofDays(1)));
    Expect.invalid("queue", () -> Messaging.claim(kvdb, "", 1));
  }

  /** The stub for requests the SDK's options refuse before sending. */
  private ClaimServiceGrpc.ClaimServiceBlockingStub direct() {
    return ClaimServiceGrpc.newBlockingStub(kvdb.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static CreateClaimRequest.Builder claiming(String queue) {
    return CreateClaimRequest.newBuilder()
        .setQueue(queue)
        .setTtl(Durations.fromMillis(HOLD.toMillis()));
  }
}
