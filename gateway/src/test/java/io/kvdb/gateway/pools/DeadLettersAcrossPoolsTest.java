package io.kvdb.gateway.pools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.protobuf.services.HealthStatusManager;
import io.kvdb.gateway.messages.DeadLetterMover;
import io.kvdb.gateway.messages.MessageLimits;
import io.kvdb.lua.Keys;
import io.kvdb.lua.claims.ClaimOutcome;
import io.kvdb.lua.messages.DeadLetter;
import io.kvdb.lua.messages.MessageToPost;
import io.kvdb.lua.pools.Catalogue;
import io.kvdb.lua.pools.Pools;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.redis.RedisConnector;
import io.kvdb.lua.redis.RedisServerProcess;
import io.kvdb.lua.script.Durability;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.StoredMessages;
import io.kvdb.lua.testing.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * A dead-letter queue in another pool than its source gets each letter once: the move into its pool
 * is idempotent, so a drain replayed after a crash before the outbox was acknowledged adds nothing,
 * and the letter is never lost.
 */
class DeadLettersAcrossPoolsTest {
  private static final Duration HOUR = Duration.ofHours(1);

  @Test
  void aReplayedDrainIntoAnotherPoolNeitherLosesNorDuplicates() {
    try (RedisServerProcess controlServer = TestRedis.startPrivate();
        RedisServerProcess blueServer = TestRedis.startPrivate();
        UnifiedJedis control = TestPools.connect(controlServer);
        UnifiedJedis blue = TestPools.connect(blueServer)) {
      ScriptRegistry scripts = ScriptRegistry.load(control);
      TestPools.register(control, "blue", blueServer.uri(), 1);
      try (PoolConnections pools =
          new PoolConnections(
              control,
              scripts,
              new Pools(scripts)::list,
              RedisConnector.Settings.DEFAULT,
              Durability.IN_MEMORY,
              new HealthStatusManager())) {
        QueueRouter router = new QueueRouter(pools, new Catalogue(control, scripts), HOUR);
        DeadLetterMover mover = new DeadLetterMover(router, MessageLimits.DEFAULTS);
        String project = "dlq-pools-" + UUID.randomUUID();
        QueueRef source = new QueueRef(project, "source");
        QueueRef deadLetters = new QueueRef(project, "source-dlq");
        TestPools.place(control, source, "default");
        PoolConnection home = router.placeForCreate(source, "").pool();
        assertEquals("default", home.name());
        home.queues()
            .create(source, Map.of("_max_claim_count", 1, "_dead_letter_queue", "source-dlq"));
        home.messages()
            .post(
                source,
                "",
                List.of(new MessageToPost("letter", "x".getBytes(), Map.of(), null, null)),
                HOUR,
                1024);
        ClaimOutcome first =
            home.claims().create(source, "c1", Duration.ofSeconds(30), Duration.ZERO, 1);
        home.claims().release(source, first.claimId());
        ClaimOutcome second =
            home.claims().create(source, "c2", Duration.ofSeconds(30), Duration.ZERO, 1);
        assertEquals(1, second.deadLettered(), "claimed past its count, the letter goes out");

        // The first half of a drain that crashed before its acknowledgement: the letter is in
        // the dead-letter queue, placed in blue, and still in the source's outbox.
        TestPools.place(control, deadLetters, "blue");
        List<DeadLetter> letters = home.messages().outbox(source, 10);
        assertEquals(1, letters.size());
        PoolConnection target = router.placeForCreate(deadLetters, "").pool();
        assertEquals("blue", target.name());
        target.messages().move(deadLetters, letters, HOUR);

        assertTrue(mover.drain(source), "the replayed drain");
        assertEquals(List.of(), home.messages().outbox(source, 10), "the outbox is empty");
        assertEquals(1, StoredMessages.count(blue, deadLetters), "one letter, once");
        assertFalse(control.exists(Keys.queue(deadLetters)), "nothing in the source's pool");
        assertTrue(mover.drain(source), "a drain of nothing");
        assertEquals(1, StoredMessages.count(blue, deadLetters));
      }
    }
  }
}
