package io.kvdb.lua.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.lua.Keys;
import io.kvdb.lua.claims.ClaimOutcome;
import io.kvdb.lua.claims.Claims;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.queues.Queues;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.lua.testing.StoredMessages;
import io.kvdb.lua.testing.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * What the scripts keep in Redis, which no gRPC client can see: the expiry index, the indexes a
 * message sits in, the trash of a deleted queue and the idempotent dead-letter accept.
 */
@WithRedis
class MessagesLayoutTest {
  private static final Duration HOUR = Duration.ofHours(1);
  private final QueueRef queue = new QueueRef("layout-" + UUID.randomUUID(), "q");
  private final String queueKey = Keys.queue(queue);
  private final UnifiedJedis redis;
  private final Messages messages;
  private final Claims claims;
  private final Queues queues;

  MessagesLayoutTest(UnifiedJedis redis, ScriptRegistry scripts) {
    this.redis = redis;
    this.messages = new Messages(scripts);
    this.claims = new Claims(scripts);
    this.queues = new Queues(redis, scripts);
  }

  private List<String> post(int count, Duration ttl) {
    List<MessageToPost> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(new MessageToPost("m" + i, ("body" + i).getBytes(), Map.of(), ttl, null));
    }
    messages.post(queue, "client", batch, HOUR, 256 * 1024);
    return batch.stream().map(MessageToPost::id).toList();
  }

  /** Which of the ready, hidden, delayed and claimed indexes hold the message. */
  private List<String> statesOf(String id) {
    List<String> states = new ArrayList<>();
    for (String index : List.of(":ready", ":hidden", ":delayed", ":claimed")) {
      if (redis.zscore(queueKey + index, id) != null) {
        states.add(index);
      }
    }
    return states;
  }

  @Test
  void theExpiryIndexAloneTimesAMessageAndAClaimMovesIt() {
    post(1, Duration.ofSeconds(90));
    String key = Keys.messagePrefix(queue) + "m0";
    assertEquals(-1, redis.pttl(key), "no key expiry: the expiry index deletes the message");
    long posted = redis.zscore(queueKey + ":expiry", "m0").longValue();

    claims.create(queue, "c1", Duration.ofSeconds(120), Duration.ofSeconds(60), 1);

    long moved = redis.zscore(queueKey + ":expiry", "m0").longValue();
    assertTrue(moved - posted > 85_000, "claim + grace moved the expiry: " + (moved - posted));
    assertEquals(moved, Long.parseLong(redis.hget(key, "e")));
    assertEquals(-1, redis.pttl(key));
  }

  @Test
  void aMessageIsReadyOrHiddenAndWhyThroughItsLife() {
    post(2, HOUR);
    assertEquals(List.of(":ready"), statesOf("m0"));

    claims.create(queue, "c1", Duration.ofSeconds(60), Duration.ofSeconds(60), 1);
    assertEquals(List.of(":hidden", ":claimed"), statesOf("m0"));
    assertEquals(List.of(":ready"), statesOf("m1"));

    claims.release(queue, "c1");
    assertEquals(List.of(":ready"), statesOf("m0"));

    messages.delete(queue, List.of("m0"), "");
    assertEquals(List.of(), statesOf("m0"));
    assertFalse(redis.exists(Keys.messagePrefix(queue) + "m0"));
    assertEquals(1, StoredMessages.count(redis, queue));
    assertEquals(1, redis.zcard(queueKey + ":expiry"));
  }

  @Test
  void aStaleAckSkipsOnlyItsOwnMessage() {
    post(2, HOUR);
    claims.create(queue, "lapsing", Duration.ofMillis(20), Duration.ZERO, 1);
    claims.create(queue, "live", Duration.ofSeconds(60), Duration.ZERO, 1);
    Eventually.await(
        "the first claim lapses",
        () ->
            statesOf("m0").equals(List.of(":ready"))
                || redis.zscore(queueKey + ":claimed", "m0") < System.currentTimeMillis());

    int settled =
        claims.settle(
            queue,
            true,
            List.of(
                new Claims.ClaimedMessage("lapsing", "m0"),
                new Claims.ClaimedMessage("live", "m1")));

    assertEquals(1, settled);
    assertTrue(
        redis.exists(Keys.messagePrefix(queue) + "m0"), "no longer the lapsed claim's to delete");
    assertFalse(
        redis.exists(Keys.messagePrefix(queue) + "m1"),
        "the live claim's message is gone all the same");
  }

  @Test
  void aDeletedQueuesMessagesGoToTrashAndThePurgeDeletesThem() {
    queues.create(queue, Map.of());
    post(250, HOUR);

    queues.delete(queue);

    assertFalse(redis.exists(queueKey + ":ready"));
    assertTrue(
        redis.exists(Keys.messagePrefix(queue) + "m0"), "message keys wait for the collector");
    int rounds = 0;
    while (queues.purgeTrash(100)) {
      rounds++;
    }
    assertTrue(rounds >= 2, "bounded steps of 100: " + rounds);
    for (int i = 0; i < 250; i++) {
      assertFalse(redis.exists(Keys.messagePrefix(queue) + "m" + i));
    }
  }

  @Test
  void acceptingTheSameDeadLettersTwiceStoresThemOnce() {
    List<DeadLetter> letters =
        List.of(new DeadLetter("dead-1", queue.name(), "x".getBytes(), Map.of(), HOUR, 1));
    assertEquals(1, messages.move(queue, letters, HOUR).posted());
    assertEquals(0, messages.move(queue, letters, HOUR).posted(), "a retried move adds nothing");
    messages.delete(queue, List.of("dead-1"), "");
    assertEquals(
        0,
        messages.move(queue, letters, HOUR).posted(),
        "not even after the first copy was consumed");
  }

  /**
   * A message whose claim lapsed, queued behind 400 expired messages that every settle step meets
   * first: the shape in which list, claim and pop used to find nothing.
   */
  private String lapsedBehindExpiredMessages() {
    messages.post(
        queue,
        "client",
        List.of(new MessageToPost("held", "x".getBytes(), Map.of(), HOUR, null)),
        HOUR,
        256 * 1024);
    ClaimOutcome lapsing = claims.create(queue, "lapsing", Duration.ofMillis(50), Duration.ZERO, 1);
    post(400, Duration.ofMillis(50));
    // On a busy machine the post may end well after the claim lapsed: wait for both to pass.
    long expiredMessages = System.currentTimeMillis() + 50;
    Eventually.clockPasses(Math.max(lapsing.expiresAt().toEpochMilli(), expiredMessages) + 60);
    assertEquals(1, queues.stats(queue).free(), "stats count the lapsed one free");
    return "held";
  }

  @Test
  void aLapsedClaimsMessageIsClaimableAtOnceWhateverExpiredMessagesWait() {
    String held = lapsedBehindExpiredMessages();
    List<StoredMessage> claimed =
        claims.create(queue, "next", Duration.ofSeconds(60), Duration.ZERO, 10).messages();
    assertEquals(List.of(held), claimed.stream().map(StoredMessage::id).toList());
  }

  @Test
  void aLapsedClaimsMessageIsListedAtOnceWhateverExpiredMessagesWait() {
    String held = lapsedBehindExpiredMessages();
    MessagePage page = messages.list(queue, null, 10, true, "", false, false, 2000);
    assertEquals(List.of(held), page.messages().stream().map(StoredMessage::id).toList());
  }

  @Test
  void aLapsedClaimsMessageIsPoppedAtOnceWhateverExpiredMessagesWait() {
    String held = lapsedBehindExpiredMessages();
    assertEquals(List.of(held), messages.pop(queue, 10).stream().map(StoredMessage::id).toList());
  }

  @Test
  void aParkedDeadLetterExpiresWithItsTtlInTheDeadLetterQueue() {
    queues.create(
        queue,
        Map.of(
            "_max_claim_count",
            1,
            "_dead_letter_queue",
            "dlq",
            "_dead_letter_queue_messages_ttl",
            600));
    post(1, HOUR);
    claims.release(
        queue, claims.create(queue, "c1", Duration.ofSeconds(60), Duration.ZERO, 1).claimId());

    assertEquals(
        1, claims.create(queue, "c2", Duration.ofSeconds(60), Duration.ZERO, 1).deadLettered());

    long ttl = redis.pttl(queueKey + ":dlq:m:m0");
    assertTrue(ttl > 590_000 && ttl <= 600_000, "a letter that never moves still expires: " + ttl);
  }

  @Test
  void aLetterThatComesBackAroundACycleIsAcceptedAgain() {
    DeadLetter first = new DeadLetter("dead-1", queue.name(), "x".getBytes(), Map.of(), HOUR, 1);
    assertEquals(1, messages.move(queue, List.of(first), HOUR).posted());
    messages.delete(queue, List.of("dead-1"), "");

    DeadLetter third = new DeadLetter("dead-1", queue.name(), "x".getBytes(), Map.of(), HOUR, 3);
    assertEquals(
        1, messages.move(queue, List.of(third), HOUR).posted(), "a later move of the same message");
    assertEquals("3", redis.hget(Keys.messagePrefix(queue) + "dead-1", "mv"));
  }

  @Test
  void aDeletedQueuesMessagesAndDeadLettersGoToListedTrash() {
    queues.create(queue, Map.of("_max_claim_count", 1, "_dead_letter_queue", "dlq"));
    post(2, HOUR);
    claims.release(
        queue, claims.create(queue, "c1", Duration.ofSeconds(60), Duration.ZERO, 1).claimId());
    assertEquals(
        1, claims.create(queue, "c2", Duration.ofSeconds(60), Duration.ZERO, 1).deadLettered());

    queues.delete(queue);

    List<String> trash = listedTrash();
    assertEquals(2, trash.size(), "messages and outbox, and no name of trash not made: " + trash);
    trash.forEach(key -> assertTrue(redis.exists(key), key));
    while (queues.purgeTrash(100)) {
      continue;
    }
    assertFalse(redis.exists(queueKey + ":dlq:m:m0"), "the parked letter went with its queue");
    assertFalse(redis.exists(Keys.messagePrefix(queue) + "m1"));
    assertEquals(List.of(), listedTrash());
  }

  @Test
  void trashListedByADeleteThatNeverRanWaitsForItsQueueAndGoesWithIt() {
    post(2, HOUR);
    // A gateway that died between listing its trash and running queues/delete.
    String crashed = Keys.queueTrash(queue, "crashed").get(0);
    redis.zadd(Keys.QUEUE_TRASH, 0, crashed);

    queues.purgeTrash(100);
    assertEquals(List.of(crashed), listedTrash(), "pending while the queue lives");
    assertTrue(redis.exists(Keys.messagePrefix(queue) + "m0"));

    queues.delete(queue);
    while (queues.purgeTrash(100) || !listedTrash().isEmpty()) {
      continue;
    }
    assertFalse(redis.exists(Keys.messagePrefix(queue) + "m0"));
    assertFalse(redis.exists(Keys.messagePrefix(queue) + "m1"));
  }

  private List<String> listedTrash() {
    return redis.zrange(Keys.QUEUE_TRASH, 0, -1).stream()
        .filter(key -> key.startsWith(queueKey))
        .toList();
  }
}
