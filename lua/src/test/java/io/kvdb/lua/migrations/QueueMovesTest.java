package io.kvdb.lua.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.lua.Keys;
import io.kvdb.lua.claims.Claims;
import io.kvdb.lua.codec.MsgpackValues;
import io.kvdb.lua.messages.DeadLetter;
import io.kvdb.lua.messages.MessageToPost;
import io.kvdb.lua.messages.Messages;
import io.kvdb.lua.messages.StoredMessage;
import io.kvdb.lua.queues.MetadataUpdate;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.queues.Queues;
import io.kvdb.lua.redis.RedisServerProcess;
import io.kvdb.lua.script.Durability;
import io.kvdb.lua.script.Reason;
import io.kvdb.lua.script.Script;
import io.kvdb.lua.script.ScriptRefusedException;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.Admin;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.lua.testing.StoredMessages;
import io.kvdb.lua.testing.TestRedis;
import io.kvdb.lua.testing.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * The data steps of moving a queue between pools keep every message exactly (ranks, ttl, expiry,
 * delay, claim counts, bodies, attributes, sizes), replay without loss or duplicate after a crash
 * between steps, and keep a marked source from growing.
 */
@WithRedis
class QueueMovesTest {
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration REMEMBER = Duration.ofMinutes(10);
  private static final String TARGET_POOL = "pool-b";
  private static final String TRIP = "1700000000000";
  private static final List<String> INDEXES =
      List.of(":ready", ":hidden", ":delayed", ":claimed", ":expiry");

  private final String project = "mig-" + UUID.randomUUID();
  private final QueueRef source = new QueueRef(project, "src");
  private final QueueRef target = new QueueRef(project, "dst");
  private final UnifiedJedis admin;
  private final ScriptRegistry scripts;
  private final Messages messages;
  private final Claims claims;
  private final Queues queues;
  private final QueueMoves moves;

  QueueMovesTest(UnifiedJedis redis, @Admin UnifiedJedis admin, ScriptRegistry scripts) {
    this.admin = admin;
    this.scripts = scripts;
    this.messages = new Messages(scripts);
    this.claims = new Claims(scripts);
    this.queues = new Queues(redis, scripts);
    this.moves = new QueueMoves(scripts, Durability.IN_MEMORY);
  }

  private void post(QueueRef queue, String id, Duration ttl, Duration delay) {
    messages.post(
        queue,
        "client-" + id,
        List.of(
            new MessageToPost(
                id, ("body " + id).getBytes(), Map.of("n", id, "k", List.of(1, 2)), ttl, delay)),
        HOUR,
        256 * 1024);
  }

  /** The bytes a stored message counts in its queue's sum: its body and attributes. */
  private static long size(UnifiedJedis redis, QueueRef queue, String id) {
    String key = Keys.queue(queue) + ":m:" + id;
    return redis.hstrlen(key, "b") + redis.hstrlen(key, "a");
  }

  /** A message as Redis holds it: its hash (empty fields left out), index scores, size. */
  private static Map<String, String> snapshot(UnifiedJedis redis, QueueRef queue, String id) {
    String key = Keys.queue(queue);
    Map<String, String> state = new TreeMap<>();
    redis
        .hgetAll(key + ":m:" + id)
        .forEach(
            (field, value) -> {
              if (!value.isEmpty()) {
                state.put(field, value);
              }
            });
    for (String index : INDEXES) {
      Double score = redis.zscore(key + index, id);
      if (score != null) {
        state.put(index, Long.toString(score.longValue()));
      }
    }
    state.put("size", String.valueOf(size(redis, queue, id)));
    return state;
  }

  /** One step: take in the source, put in the target, ack in the source. */
  private TransitBatch step(QueueMoves from, QueueRef source, QueueMoves to, QueueRef target) {
    TransitBatch batch = from.take(source, TARGET_POOL, 2, 1 << 20);
    to.put(target, TRIP, REMEMBER, batch);
    from.ack(source, batch.ids());
    return batch;
  }

  private void switchTo(QueueMoves from, QueueRef source, QueueMoves to, QueueRef target) {
    MovingQueue moving = from.markSource(source, TARGET_POOL);
    to.prepareTarget(target, TRIP, moving);
  }

  @Test
  void aQueueMovedStepByStepEndsIdenticalInTheTarget() {
    queues.create(
        source,
        Map.of("_max_claim_count", 1, "_dead_letter_queue", "dead", "owner", Map.of("team", "a")));
    for (int i = 0; i < 5; i++) {
      post(source, "free" + i, HOUR, null);
    }
    post(source, "delayed", HOUR, Duration.ofMinutes(30));
    post(source, "expiring", Duration.ofMillis(50), null);
    // free0 is delivered once (so a claim count of 1) and released; a second claim dead-letters it.
    claims.create(source, "once", Duration.ofSeconds(60), Duration.ZERO, 1);
    claims.release(source, "once");
    claims.create(source, "held", Duration.ofSeconds(60), Duration.ofSeconds(5), 2);
    Eventually.clockPasses(System.currentTimeMillis() + 60);

    assertEquals(1, admin.zcard(Keys.queue(source) + ":dlq"), "free0 waits in the outbox");
    Map<String, Map<String, String>> before = new LinkedHashMap<>();
    for (String id : List.of("free3", "free4", "delayed")) {
      before.put(id, snapshot(admin, source, id));
    }
    long bytesBefore = Long.parseLong(admin.hget(Keys.queue(source), "sz"));

    switchTo(moves, source, moves, target);
    assertEquals(
        queues.get(source).metadata(), queues.get(target).metadata(), "metadata goes along");
    assertEquals(queues.get(source).createdAt(), queues.get(target).createdAt());

    int steps = 0;
    TransitBatch batch;
    do {
      batch = step(moves, source, moves, target);
      steps++;
    } while (batch.left() > 0);
    assertTrue(steps >= 2, "budget of 2: " + steps);
    assertEquals(2, batch.claimed(), "free1 and free2 stay claimed");
    assertEquals(1, batch.letters());
    for (String id : before.keySet()) {
      assertEquals(before.get(id), snapshot(admin, target, id), id + " arrives as it was");
      assertEquals(-1, admin.pttl(Keys.queue(target) + ":m:" + id), "timed by the expiry index");
    }
    assertFalse(admin.exists(Keys.queue(target) + ":m:expiring"), "expired: dropped, not moved");
    assertFalse(admin.exists(Keys.queue(source) + ":m:expiring"));

    // The claim made in the source stays valid there: it is read, renewed and acknowledges.
    assertEquals(2, claims.get(source, "held").messages().size());
    claims.update(source, "held", Duration.ofSeconds(60), Duration.ZERO);
    assertEquals(1, messages.delete(source, List.of("free1"), "held"));
    QueueMoves.Finish refused = moves.finish(source, TARGET_POOL);
    assertEquals(new QueueMoves.Finish(false, 0, 1, 1, 0), refused, "a claim and a letter remain");

    claims.release(source, "held");
    Map<String, String> released = snapshot(admin, source, "free2");
    assertEquals("1", released.get("c.c"));
    step(moves, source, moves, target);
    assertEquals(released, snapshot(admin, target, "free2"), "moves once released");

    // The outbox drains to its dead-letter queue as ever; then the source is done.
    assertFalse(moves.finish(source, TARGET_POOL).done());
    List<DeadLetter> letters = messages.outbox(source, 10);
    messages.move(new QueueRef(project, "dead"), letters, HOUR);
    messages.outboxAck(source, letters.stream().map(DeadLetter::id).toList());
    assertTrue(moves.finish(source, TARGET_POOL).done());

    assertEquals(
        List.of("free2", "free3", "free4", "delayed"),
        StoredMessages.inOrder(admin, target),
        "FIFO order by the source's ranks");
    long moved = 0;
    for (String id : List.of("free2", "free3", "free4", "delayed")) {
      moved += size(admin, target, id);
    }
    assertEquals(moved, Long.parseLong(admin.hget(Keys.queue(target), "sz")));
    assertTrue(moved < bytesBefore, "the source's sz counted what left it otherwise");
    for (String index : List.of(":ready", ":hidden", ":delayed", ":expiry", ":mv")) {
      assertFalse(admin.exists(Keys.queue(source) + index), "gone: " + index);
    }
    assertEquals(Map.of("mv", TARGET_POOL), admin.hgetAll(Keys.queue(source)), "a tombstone");
    long tombstone = admin.pttl(Keys.queue(source));
    assertTrue(tombstone > 0 && tombstone <= 60_000, "expires in a minute: " + tombstone);

    // New posts in the target rank after everything that moved.
    post(target, "later", HOUR, null);
    List<StoredMessage> all = messages.get(target, List.of("delayed", "later"));
    assertTrue(all.get(1).rank() > all.get(0).rank());
  }

  @Test
  void aMarkedSourceRefusesWhatAddsToItAndServesTheRest() {
    queues.create(source, Map.of());
    post(source, "m0", HOUR, null);
    post(source, "m1", HOUR, null);
    claims.create(source, "c", Duration.ofSeconds(60), Duration.ZERO, 1);
    moves.markSource(source, TARGET_POOL);

    assertMoved(() -> post(source, "m2", HOUR, null));
    assertMoved(
        () ->
            messages.move(
                source, List.of(new DeadLetter("d", "src", new byte[1], Map.of(), HOUR, 1)), HOUR));
    assertMoved(() -> queues.create(source, Map.of()));
    assertMoved(() -> queues.update(source, Map.of("a", 1), MetadataUpdate.MERGE));
    assertEquals(2, StoredMessages.count(admin, source), "nothing was stored");

    assertEquals(1, claims.get(source, "c").messages().size(), "claims keep working");
    assertEquals(1, messages.get(source, List.of("m1")).size(), "gets too");
    assertEquals("m1", claims.create(source, "d", HOUR, Duration.ZERO, 5).messages().get(0).id());
    assertEquals(1, messages.delete(source, List.of("m1"), "d"));
    MovingQueue marked = moves.markSource(source, TARGET_POOL);
    assertEquals(2, marked.rankCounter());
    assertEquals(marked.createdAt(), moves.markSource(source, TARGET_POOL).createdAt());

    claims.release(source, "c");
    moves.prepareTarget(target, TRIP, moves.markSource(source, TARGET_POOL));
    step(moves, source, moves, target);
    assertTrue(moves.finish(source, TARGET_POOL).done());
    assertMoved(() -> post(source, "stale", HOUR, null));
    assertMoved(() -> queues.create(source, Map.of()));
    assertEquals(Map.of("mv", TARGET_POOL), admin.hgetAll(Keys.queue(source)), "not revived");
  }

  @Test
  void aStaleMarkAfterACancelIsRefusedAndPostsStillLand() {
    queues.create(source, Map.of());
    post(source, "m0", HOUR, null);
    // The cancel prepares the source again with its own trip, which takes the mark off.
    moves.prepareTarget(source, "back:" + TRIP, moves.markSource(source, TARGET_POOL));
    ScriptRefusedException refused =
        assertThrows(
            ScriptRefusedException.class,
            () -> moves.markSource(source, TARGET_POOL, "back:" + TRIP));
    assertEquals(Reason.IN_USE, refused.reason());
    assertEquals(null, admin.hget(Keys.queue(source), "mv"), "not marked");
    post(source, "m1", HOUR, null);
    assertEquals(2, StoredMessages.count(admin, source));
    // Another migration (another trip) marks it as usual.
    moves.markSource(source, TARGET_POOL, "back:1800000000000");
    assertMoved(() -> post(source, "m2", HOUR, null));
  }

  @Test
  void aMarkedSourceTakesAMetadataUpdateOnlyFromACallerNamingItsTarget() {
    queues.create(source, Map.of("a", 1));
    moves.markSource(source, TARGET_POOL);

    assertMoved(() -> queues.update(source, Map.of("a", 2), MetadataUpdate.MERGE, "pool-c"));
    assertEquals(
        Map.of("a", 2L, "b", "x"),
        queues
            .update(source, Map.of("a", 2, "b", "x"), MetadataUpdate.MERGE, TARGET_POOL)
            .metadata());
    assertEquals(
        Map.of("c", true),
        queues.update(source, Map.of("c", true), MetadataUpdate.REPLACE, TARGET_POOL).metadata());
    assertEquals(TARGET_POOL, admin.hget(Keys.queue(source), "mv"), "still marked");

    moves.prepareTarget(target, TRIP, moves.markSource(source, TARGET_POOL));
    assertTrue(moves.finish(source, TARGET_POOL).done());
    ScriptRefusedException gone =
        assertThrows(
            ScriptRefusedException.class,
            () -> queues.update(source, Map.of("a", 3), MetadataUpdate.MERGE, TARGET_POOL));
    assertEquals(Reason.NOT_FOUND, gone.reason(), "a finished source is not revived");
    assertEquals(Map.of("mv", TARGET_POOL), admin.hgetAll(Keys.queue(source)));
  }

  private static void assertMoved(Runnable call) {
    ScriptRefusedException refused = assertThrows(ScriptRefusedException.class, call::run);
    assertEquals(Reason.MOVED, refused.reason());
    assertEquals(TARGET_POOL, refused.getMessage());
  }

  @Test
  void aCrashAfterTakeOrAfterPutReplaysWithoutLossOrDuplicate() {
    for (int i = 0; i < 5; i++) {
      post(source, "m" + i, HOUR, null);
    }
    switchTo(moves, source, moves, target);

    TransitBatch first = moves.take(source, TARGET_POOL, 3, 1 << 20);
    assertFalse(first.replayed());
    // Deleted in the source now, a message in transit would still arrive: the caller retries.
    assertMoved(() -> messages.delete(source, List.of(first.ids().get(0)), ""));
    assertEquals(1, messages.delete(source, List.of("m4", "unknown"), ""), "m4 was not in transit");
    // Crash after take: the next take returns the same batch and takes nothing more.
    TransitBatch again = moves.take(source, TARGET_POOL, 3, 1 << 20);
    assertTrue(again.replayed());
    assertEquals(first.ids(), again.ids());
    assertEquals(1, again.left(), "m3; m4 was deleted");
    assertEquals(3, moves.put(target, TRIP, REMEMBER, again));

    // Crash after put: replayed, stored again as nothing, even for a message consumed meanwhile.
    String consumed = claims.create(target, "c", HOUR, Duration.ZERO, 1).messages().get(0).id();
    assertEquals(1, messages.delete(target, List.of(consumed), "c"));
    TransitBatch replay = moves.take(source, TARGET_POOL, 3, 1 << 20);
    assertEquals(first.ids(), replay.ids());
    assertEquals(0, moves.put(target, TRIP, REMEMBER, replay));
    assertEquals(3, moves.ack(source, replay.ids()));
    assertEquals(0, moves.ack(source, replay.ids()), "a late ack forgets nothing else");

    TransitBatch rest = moves.take(source, TARGET_POOL, 3, 1 << 20);
    assertFalse(rest.replayed());
    assertEquals(List.of("m3"), rest.ids());
    assertEquals(1, moves.put(target, TRIP, REMEMBER, rest));
    moves.ack(source, rest.ids());

    assertEquals(List.of("m1", "m2", "m3"), StoredMessages.inOrder(admin, target));
    assertTrue(moves.finish(source, TARGET_POOL).done());
  }

  @Test
  void deletingAQueueMidStepHandsItsTransitToTheCollector() {
    post(source, "m0", HOUR, null);
    switchTo(moves, source, moves, target);
    moves.take(source, TARGET_POOL, 10, 1 << 20);
    long transitExpiry = admin.pttl(Keys.queue(source) + ":mv:m:m0");
    assertTrue(transitExpiry > 0, "in transit, no index times it: " + transitExpiry);

    queues.delete(source);
    while (queues.purgeTrash(100)) {}

    assertFalse(admin.exists(Keys.queue(source) + ":mv:m:m0"), "purged as trash");
    assertFalse(admin.exists(Keys.queue(source) + ":mv"));
  }

  @Test
  void belowRankKeepsClaimsAndPopsUnderIt() {
    for (int i = 0; i < 6; i++) {
      post(source, "m" + i, HOUR, null);
    }
    List<StoredMessage> claimed =
        claims.create(source, "c", HOUR, Duration.ZERO, 10, 3L).messages();
    assertEquals(List.of(1L, 2L), claimed.stream().map(StoredMessage::rank).toList());
    assertEquals(List.of(), messages.pop(source, 10, 3L));
    assertEquals(
        List.of(3L, 4L), messages.pop(source, 10, 5L).stream().map(StoredMessage::rank).toList());
    assertEquals(
        List.of("m4", "m5"), messages.pop(source, 10).stream().map(StoredMessage::id).toList());
  }

  @Test
  void aStepIsBoundedWhateverItIsAsked() {
    List<MessageToPost> batch = new ArrayList<>();
    for (int i = 0; i < 1100; i++) {
      batch.add(new MessageToPost("m" + i, new byte[100], Map.of(), HOUR, null));
    }
    messages.post(source, "", batch.subList(0, 550), HOUR, 1 << 20);
    messages.post(source, "", batch.subList(550, 1100), HOUR, 1 << 20);
    switchTo(moves, source, moves, target);

    assertEquals(1, moves.take(source, TARGET_POOL, 1000, 0).messages().size(), "one at least");
    moves.ack(source, moves.take(source, TARGET_POOL, 0, 0).ids());
    assertEquals(3, moves.take(source, TARGET_POOL, 1000, 300).messages().size(), "by bytes");
    moves.ack(source, moves.take(source, TARGET_POOL, 0, 0).ids());
    for (String budget : List.of("-5", "abc", "1e12", "nan", "")) {
      Object reply =
          scripts.call(
              Script.MIGRATIONS_TAKE,
              List.of(Keys.bytes(Keys.queue(source))),
              List.of(Keys.bytes(TARGET_POOL), Keys.bytes(budget), Keys.bytes("1000000000")));
      TransitBatch taken = TransitBatch.decode(reply);
      assertTrue(taken.messages().size() <= QueueMoves.MAX_BATCH, budget);
      moves.ack(source, taken.ids());
    }
    assertThrows(
        ScriptRefusedException.class,
        () -> moves.take(source, "other' .. KEYS[1] .. '", 10, 100),
        "a name is data, and it must be the marked one");
    moves.prepareTarget(target, "x".repeat(100_000), moves.markSource(source, TARGET_POOL));
    assertEquals(64, admin.hget(Keys.queue(target), "mi").length(), "trip cut to 64 bytes");
  }

  @Test
  void aCancelPreparesTheSourceAgainAndMovesBack() {
    queues.create(source, Map.of("a", 1));
    post(source, "m0", HOUR, null);
    switchTo(moves, source, moves, target);
    step(moves, source, moves, target);
    queues.update(target, Map.of("a", 2), MetadataUpdate.MERGE);

    // Back: the target is marked moving out, the source prepared with a trip of its own.
    String back = TRIP + "c";
    MovingQueue moving = moves.markSource(target, TARGET_POOL);
    moves.prepareTarget(source, back, moving);
    assertEquals(Map.of("a", 2L), queues.get(source).metadata(), "updates made meanwhile go back");
    post(source, "m1", HOUR, null);
    TransitBatch home = moves.take(target, TARGET_POOL, 10, 1 << 20);
    assertEquals(1, moves.put(source, back, REMEMBER, home));
    moves.ack(target, home.ids());
    assertTrue(moves.finish(target, TARGET_POOL).done());
    assertEquals(List.of("m0", "m1"), StoredMessages.inOrder(admin, source));
    assertEquals(
        Map.of("n", "m0", "k", List.of(1L, 2L)),
        MsgpackValues.decode(admin.hget(Keys.bytes(Keys.queue(source) + ":m:m0"), Keys.bytes("a"))),
        "attributes came back whole");
  }

  @Test
  void aQueueMovesBetweenTwoRedisProcesses() {
    try (RedisServerProcess a = TestRedis.startPrivate();
        RedisServerProcess b = TestRedis.startPrivate();
        UnifiedJedis redisA = new redis.clients.jedis.JedisPooled(a.uri());
        UnifiedJedis redisB = new redis.clients.jedis.JedisPooled(b.uri())) {
      ScriptRegistry poolA = ScriptRegistry.load(redisA);
      ScriptRegistry poolB = ScriptRegistry.load(redisB);
      Messages inA = new Messages(poolA);
      new Queues(redisA, poolA).create(source, Map.of("x", "y"));
      for (int i = 0; i < 7; i++) {
        inA.post(
            source,
            "c",
            List.of(new MessageToPost("m" + i, new byte[] {(byte) i}, Map.of(), HOUR, null)),
            HOUR,
            1024);
      }
      new Claims(poolA).create(source, "held", HOUR, Duration.ZERO, 1);
      Map<String, Map<String, String>> before = new LinkedHashMap<>();
      for (int i = 1; i < 7; i++) {
        before.put("m" + i, snapshot(redisA, source, "m" + i));
      }
      QueueMoves fromA = new QueueMoves(poolA, Durability.IN_MEMORY);
      QueueMoves toB = new QueueMoves(poolB, Durability.IN_MEMORY);

      // The same queue in both: only the pool differs.
      switchTo(fromA, source, toB, source);
      while (step(fromA, source, toB, source).left() > 0) {}
      assertFalse(fromA.finish(source, TARGET_POOL).done(), "m0 is claimed");
      new Claims(poolA).release(source, "held");
      step(fromA, source, toB, source);
      assertTrue(fromA.finish(source, TARGET_POOL).done());

      for (int i = 1; i < 7; i++) {
        assertEquals(before.get("m" + i), snapshot(redisB, source, "m" + i));
      }
      assertEquals(7, StoredMessages.count(redisB, source));
      assertEquals(Map.of("x", "y"), new Queues(redisB, poolB).get(source).metadata());
      assertEquals(7, Long.parseLong(redisB.hget(Keys.queue(source), "sz")));
      assertEquals(0, StoredMessages.count(redisA, source));
    }
  }
}
