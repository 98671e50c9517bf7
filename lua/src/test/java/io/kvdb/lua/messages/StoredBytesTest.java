package io.kvdb.lua.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kvdb.lua.Keys;
import io.kvdb.lua.claims.Claims;
import io.kvdb.lua.claims.Claims.ClaimedMessage;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.queues.Queues;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.lua.testing.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * A queue's stored-bytes counter (field sz, for the max_bytes quota) follows its messages down
 * every path that removes them: delete, pop, an acknowledged claim, expiry, dead-lettering, queue
 * delete.
 */
@WithRedis
class StoredBytesTest {
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private final String project = "bytes-" + UUID.randomUUID();
  private final QueueRef queue = new QueueRef(project, "q");
  private final UnifiedJedis redis;
  private final Messages messages;
  private final Claims claims;
  private final Queues queues;

  StoredBytesTest(UnifiedJedis redis, ScriptRegistry scripts) {
    this.redis = redis;
    this.messages = new Messages(scripts);
    this.claims = new Claims(scripts);
    this.queues = new Queues(redis, scripts);
  }

  /** Posts a message of a 10-byte body; returns its id. */
  private String post(String id, Duration ttl) {
    messages.post(
        queue,
        "",
        List.of(new MessageToPost(id, "0123456789".getBytes(), Map.of(), ttl, null)),
        HOUR,
        256 * 1024);
    return id;
  }

  private long stored(QueueRef of) {
    Messages.CollectOutcome outcome = messages.collect(of, 100);
    return outcome.bytes();
  }

  @Test
  void postsAddTheirBodiesAndAttributes() {
    messages.post(
        queue,
        "",
        List.of(
            new MessageToPost("a", "12345".getBytes(), Map.of(), HOUR, null),
            new MessageToPost("b", "123".getBytes(), Map.of("k", "v"), HOUR, null)),
        HOUR,
        256 * 1024);
    Messages.CollectOutcome outcome = messages.collect(queue, 100);
    assertEquals(2, outcome.messages());
    long attributes = redis.hstrlen(Keys.messagePrefix(queue) + "b", "a");
    assertEquals(8 + attributes, outcome.bytes());
    assertEquals(true, attributes > 0, "the msgpack map counts");
  }

  @Test
  void deleteAndPopFreeTheirBytes() {
    post("a", HOUR);
    post("b", HOUR);
    post("c", HOUR);
    assertEquals(30, stored(queue));
    messages.delete(queue, List.of("a", "missing"), "");
    assertEquals(20, stored(queue));
    messages.delete(queue, List.of("a"), "");
    assertEquals(20, stored(queue), "deleting twice frees once");
    messages.pop(queue, 1);
    assertEquals(10, stored(queue));
  }

  @Test
  void anAcknowledgedClaimFreesItsMessagesAndAReleasedOneKeepsThem() {
    post("a", HOUR);
    post("b", HOUR);
    var claim = claims.create(queue, "c1", MINUTE, Duration.ZERO, 2);
    claims.release(queue, claim.claimId());
    assertEquals(20, stored(queue));
    var again = claims.create(queue, "c2", MINUTE, Duration.ZERO, 2);
    claims.settle(
        queue,
        true,
        again.messages().stream().map(m -> new ClaimedMessage(again.claimId(), m.id())).toList());
    assertEquals(0, stored(queue));
  }

  @Test
  void anExpiredMessageFreesItsBytesWhenTheCollectorDropsIt() {
    post("short", Duration.ofMillis(30));
    post("long", HOUR);
    Eventually.await("the short message is collected", () -> stored(queue) == 10);
    assertFalse(redis.exists(Keys.messagePrefix(queue) + "short"));
  }

  @Test
  void aMessageStoredWithAKeyExpiryFreesTheSizeKeptForIt() {
    post("old", Duration.ofMillis(30));
    post("long", HOUR);
    // As an earlier version stored it: its size in Q:sizes, and a hash Redis expired on its own.
    redis.hset(Keys.queue(queue) + ":sizes", "old", "10");
    redis.del(Keys.messagePrefix(queue) + "old");
    Eventually.await("the old message is collected", () -> stored(queue) == 10);
    assertFalse(redis.exists(Keys.queue(queue) + ":sizes"), "the kept sizes drain");
  }

  @Test
  void aMessageStoredWithoutItsSizeFreesTheLengthsOfItsFields() {
    post("old", HOUR);
    post("kept", HOUR);
    redis.hdel(Keys.messagePrefix(queue) + "old", "z"); // as an earlier version stored it
    messages.delete(queue, List.of("old"), "");
    assertEquals(10, stored(queue));
  }

  @Test
  void aDeadLetterLeavesItsQueuesBytesAndAddsThemWhereItMoves() {
    queues.create(queue, Map.of("_max_claim_count", 1, "_dead_letter_queue", "dlq"));
    post("a", HOUR);
    claims.release(queue, claims.create(queue, "c1", MINUTE, Duration.ZERO, 1).claimId());
    assertEquals(1, claims.create(queue, "c2", MINUTE, Duration.ZERO, 1).deadLettered());
    assertEquals(0, stored(queue));

    QueueRef dlq = new QueueRef(project, "dlq");
    messages.move(dlq, messages.outbox(queue, 10), HOUR);
    assertEquals(10, stored(dlq));
  }

  @Test
  void aQueueDeletedAndCreatedAgainStartsFromNoBytes() {
    post("a", HOUR);
    queues.delete(queue);
    post("b", HOUR);
    assertEquals(10, stored(queue));
  }
}
