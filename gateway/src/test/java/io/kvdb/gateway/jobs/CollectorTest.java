package io.kvdb.gateway.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.protobuf.services.HealthStatusManager;
import io.kvdb.gateway.messages.DeadLetterMover;
import io.kvdb.gateway.messages.MessageLimits;
import io.kvdb.gateway.pools.PoolConnections;
import io.kvdb.gateway.pools.QueueRouter;
import io.kvdb.lua.Keys;
import io.kvdb.lua.claims.Claims;
import io.kvdb.lua.messages.MessageToPost;
import io.kvdb.lua.messages.Messages;
import io.kvdb.lua.pools.Catalogue;
import io.kvdb.lua.pools.Pools;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.queues.Queues;
import io.kvdb.lua.quotas.Quotas;
import io.kvdb.lua.redis.RedisConnector;
import io.kvdb.lua.script.Durability;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.lua.testing.StoredMessages;
import io.kvdb.lua.testing.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** One queue the collector cannot handle never stops it from collecting the others. */
@WithRedis
class CollectorTest {
  private static final Duration HOUR = Duration.ofHours(1);

  @Test
  void aFailingQueueIsCountedAndTheRoundGoesOnToTheQueuesAfterIt(
      UnifiedJedis redis, ScriptRegistry scripts) {
    Queues queues = new Queues(redis, scripts);
    Messages messages = new Messages(scripts);
    Claims claims = new Claims(scripts);
    PoolConnections pools =
        new PoolConnections(
            redis,
            scripts,
            new Pools(scripts)::list,
            RedisConnector.Settings.DEFAULT,
            Durability.IN_MEMORY,
            new HealthStatusManager());
    QueueRouter router = new QueueRouter(pools, new Catalogue(redis, scripts), HOUR);
    Collector collector =
        new Collector(
            pools,
            router,
            new DeadLetterMover(router, MessageLimits.DEFAULTS),
            new Quotas(redis, scripts));
    String project = "collector-" + UUID.randomUUID();

    QueueRef brokenIndex = new QueueRef(project, "a1");
    queues.create(brokenIndex, Map.of());
    redis.set(Keys.queue(brokenIndex) + ":expiry", "not an index");

    QueueRef brokenTarget = new QueueRef(project, "a2");
    queues.create(brokenTarget, Map.of("_max_claim_count", 1, "_dead_letter_queue", "a2-dlq"));
    redis.set(Keys.queue(new QueueRef(project, "a2-dlq")), "not a queue");
    deadLetterOne(messages, claims, brokenTarget);

    QueueRef healthy = new QueueRef(project, "b");
    queues.create(healthy, Map.of("_max_claim_count", 1, "_dead_letter_queue", "b-dlq"));
    deadLetterOne(messages, claims, healthy);
    messages.post(
        healthy,
        "",
        List.of(new MessageToPost("short", "x".getBytes(), Map.of(), Duration.ofMillis(20), null)),
        HOUR,
        1024);
    Eventually.clockPasses(System.currentTimeMillis() + 40);

    collector.run();

    assertTrue(collector.failures() >= 2, "both broken queues counted: " + collector.failures());
    assertEquals(0, StoredMessages.count(redis, healthy), "the queue after them was collected");
    assertEquals(0, redis.zcard(Keys.queue(healthy) + ":dlq"), "and its dead letter moved");
    assertEquals(1, StoredMessages.count(redis, new QueueRef(project, "b-dlq")));
    assertEquals(
        1, redis.zcard(Keys.queue(brokenTarget) + ":dlq"), "a letter that cannot move waits");

    // Other suites may share this Redis (KVDB_TEST_REDIS_URL): leave no broken queue to them.
    redis.del(Keys.queue(brokenIndex) + ":expiry");
    redis.del(Keys.queue(new QueueRef(project, "a2-dlq")));
    queues.delete(brokenIndex);
    queues.delete(brokenTarget);
  }

  /** Delivers one message once and parks it in the queue's outbox, leaving the move undone. */
  private static void deadLetterOne(Messages messages, Claims claims, QueueRef queue) {
    messages.post(
        queue,
        "",
        List.of(new MessageToPost("poison", "x".getBytes(), Map.of(), null, null)),
        HOUR,
        1024);
    claims.release(
        queue, claims.create(queue, "first", Duration.ofSeconds(60), Duration.ZERO, 1).claimId());
    assertEquals(
        1, claims.create(queue, "second", Duration.ofSeconds(60), Duration.ZERO, 1).deadLettered());
  }
}
