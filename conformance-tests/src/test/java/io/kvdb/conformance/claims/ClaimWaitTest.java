package io.kvdb.conformance.claims;

import static io.kvdb.conformance.messages.Messaging.HOLD;
import static io.kvdb.conformance.messages.Messaging.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.client.ClaimOptions;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.conformance.messages.Messaging;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.proto.v1.Claim;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Long polling: a claim that finds nothing waits, and a post wakes it. */
class ClaimWaitTest extends ProjectScopedTest {
  private CompletableFuture<Claim> waitingClaim(String queue, Duration wait) {
    return kvdb.claims()
        .createAsync(
            queue,
            ClaimOptions.newBuilder()
                .setLimit(5)
                .setTtl(Duration.ofSeconds(HOLD.getSeconds()))
                .setGrace(Duration.ofSeconds(HOLD.getSeconds()))
                .setMaxWait(Duration.ofMillis(wait.toMillis()))
                .build());
  }

  @Test
  void aWaitingClaimIsWokenByAPost() throws Exception {
    kvdb.messages().post("other-queue", "not for it");
    CompletableFuture<Claim> waiter = waitingClaim("q", Duration.ofSeconds(15));
    Eventually.holdsFor("nothing to claim yet", Duration.ofMillis(300), () -> !waiter.isDone());
    assertFalse(waiter.isDone(), "nothing to claim yet");

    long posted = System.nanoTime();
    List<String> ids = kvdb.messages().post("q", "wake up");
    Claim claim = waiter.get(10, TimeUnit.SECONDS);
    long wokenMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - posted);
    assertEquals(ids, ids(claim));
    assertTrue(wokenMs < 2_000, "woken by the post, not by polling: " + wokenMs + " ms");
  }

  @Test
  void aWaitingClaimIsWokenByARelease() throws Exception {
    kvdb.messages().post("q", "a");
    Claim held = Messaging.claim(kvdb, "q", 1);
    CompletableFuture<Claim> waiter = waitingClaim("q", Duration.ofSeconds(15));
    Eventually.holdsFor("the only message is held", Duration.ofMillis(300), () -> !waiter.isDone());
    assertFalse(waiter.isDone());

    long released = System.nanoTime();
    kvdb.claims().release("q", held.getId());
    Claim claim = waiter.get(10, TimeUnit.SECONDS);
    assertEquals(ids(held), ids(claim));
    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - released) < 2_000);
  }

  @Test
  void aWaitingClaimTakesADelayedMessageWhenItsDelayEnds() throws Exception {
    List<String> ids =
        kvdb.messages().post("q", List.of(Messaging.delayed("soon", Duration.ofMillis(500))));
    long started = System.nanoTime();
    Claim claim = waitingClaim("q", Duration.ofSeconds(15)).get(10, TimeUnit.SECONDS);
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertEquals(ids, ids(claim));
    assertTrue(waitedMs < 2_500, "woken when the delay ended: " + waitedMs + " ms");
  }

  @Test
  void aWaitingClaimTakesTheMessagesOfAClaimThatExpires() throws Exception {
    Assumptions.assumeTrue(KvdbTarget.allowsShortTtls());
    kvdb.messages().post("q", "a");
    Claim held = Messaging.claim(kvdb, "q", 1, KvdbTarget.SHORT.multipliedBy(2), HOLD);
    long started = System.nanoTime();
    Claim claim = waitingClaim("q", Duration.ofSeconds(15)).get(10, TimeUnit.SECONDS);
    assertEquals(ids(held), ids(claim));
    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 2_500);
    assertEquals(2, claim.getMessages(0).getClaimCount());
  }

  @Test
  void aWaitThatSeesNothingEndsEmptyAfterItsTime() throws Exception {
    long started = System.nanoTime();
    Claim claim =
        kvdb.claims()
            .create(
                "q",
                ClaimOptions.newBuilder()
                    .setLimit(5)
                    .setTtl(HOLD)
                    .setMaxWait(Duration.ofMillis(400))
                    .build());
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertEquals("", claim.getId());
    assertTrue(waitedMs >= 350 && waitedMs < 3_000, "waited " + waitedMs + " ms");
  }
}
