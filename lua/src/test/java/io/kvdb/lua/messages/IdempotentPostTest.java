package io.kvdb.lua.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.lua.Keys;
import io.kvdb.lua.messages.Messages.IdempotencyKey;
import io.kvdb.lua.messages.Messages.PostOutcome;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.queues.Queues;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.Admin;
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

/** messages/post with an idempotency key: once per key, queue incarnation and window. */
@WithRedis
class IdempotentPostTest {
  private static final Duration HOUR = Duration.ofHours(1);
  private static final IdempotencyKey KEY = new IdempotencyKey("order:42", Duration.ofMinutes(5));
  private final QueueRef queue = new QueueRef("idem-" + UUID.randomUUID(), "q");
  private final UnifiedJedis redis;
  private final UnifiedJedis admin;
  private final Messages messages;
  private final Queues queues;

  IdempotentPostTest(UnifiedJedis redis, @Admin UnifiedJedis admin, ScriptRegistry scripts) {
    this.redis = redis;
    this.admin = admin;
    this.messages = new Messages(scripts);
    this.queues = new Queues(redis, scripts);
  }

  /** A batch with ids no other post has, as the gateway makes them. */
  private static List<MessageToPost> batch(int count) {
    List<MessageToPost> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(
          new MessageToPost(UUID.randomUUID().toString(), "body".getBytes(), Map.of(), HOUR, null));
    }
    return batch;
  }

  private PostOutcome post(QueueRef to, List<MessageToPost> batch, IdempotencyKey key) {
    return messages.post(to, "client", batch, HOUR, 256 * 1024, key);
  }

  private long stored(QueueRef in) {
    return StoredMessages.count(redis, in);
  }

  @Test
  void aRepeatStoresNothingAndAnswersTheFirstIds() {
    List<MessageToPost> first = batch(3);
    PostOutcome posted = post(queue, first, KEY);
    assertEquals(3, posted.posted());
    assertEquals(first.stream().map(MessageToPost::id).toList(), posted.ids());

    PostOutcome repeated = post(queue, batch(2), KEY);

    assertEquals(0, repeated.posted());
    assertEquals(posted.ids(), repeated.ids(), "the ids of the first post, whatever the batch");
    assertEquals(3, stored(queue));
  }

  @Test
  void anotherQueueWithTheSameKeyIsIndependent() {
    QueueRef other = new QueueRef(queue.project(), "other");
    PostOutcome here = post(queue, batch(1), KEY);
    PostOutcome there = post(other, batch(1), KEY);

    assertEquals(1, there.posted());
    assertNotEquals(here.ids(), there.ids());
    assertEquals(1, stored(other));
  }

  @Test
  void afterTheWindowTheKeyPostsAgain() {
    IdempotencyKey brief = new IdempotencyKey("brief", Duration.ofMillis(50));
    post(queue, batch(1), brief);
    Eventually.await(
        "the record expires", () -> !redis.exists(Keys.idempotencyRecord(queue, "brief")));

    assertEquals(1, post(queue, batch(1), brief).posted());
    assertEquals(2, stored(queue));
  }

  @Test
  void aQueueDeletedAndCreatedAgainForgetsTheKeysOfItsEarlierLife() {
    post(queue, batch(1), KEY);
    queues.delete(queue);
    queues.create(queue, Map.of());

    List<MessageToPost> again = batch(1);
    PostOutcome posted = post(queue, again, KEY);

    assertEquals(1, posted.posted(), "a record of the deleted queue is ignored");
    assertEquals(List.of(again.get(0).id()), posted.ids());
    assertEquals(posted.ids(), post(queue, batch(1), KEY).ids(), "and the new one is kept");
  }

  @Test
  void movingDeadLettersNeitherReadsNorWritesKeys() {
    PostOutcome posted = post(queue, batch(1), KEY);
    String record = redis.get(Keys.idempotencyRecord(queue, KEY.key()));
    List<DeadLetter> letters =
        List.of(new DeadLetter("dead-1", "source", "x".getBytes(), Map.of(), HOUR, 1));

    assertEquals(1, messages.move(queue, letters, HOUR).posted());
    assertEquals(record, redis.get(Keys.idempotencyRecord(queue, KEY.key())));
    assertEquals(posted.ids(), post(queue, batch(1), KEY).ids());
    assertEquals(2, stored(queue));
  }

  @Test
  void theRecordOfTheLargestBatchStaysSmallAndExpiresWithTheWindow() {
    post(queue, batch(1000), KEY);
    String recordKey = Keys.idempotencyRecord(queue, KEY.key());
    // 36-character UUIDs here; the gateway's ids are 22, so its records are smaller still.
    assertTrue(admin.strlen(recordKey) <= 1001 * 37, "bounded: " + admin.strlen(recordKey));
    long ttl = redis.pttl(recordKey);
    assertTrue(ttl > 0 && ttl <= KEY.window().toMillis(), "expires with the window: " + ttl);
  }
}
