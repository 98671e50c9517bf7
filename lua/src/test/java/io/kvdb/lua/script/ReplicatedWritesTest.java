package io.kvdb.lua.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.lua.Keys;
import io.kvdb.lua.claims.Claims;
import io.kvdb.lua.locks.LockRef;
import io.kvdb.lua.locks.Locks;
import io.kvdb.lua.messages.MessageToPost;
import io.kvdb.lua.messages.Messages;
import io.kvdb.lua.messages.Messages.IdempotencyKey;
import io.kvdb.lua.messages.Messages.PostOutcome;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.queues.Queues;
import io.kvdb.lua.redis.RedisConnector;
import io.kvdb.lua.redis.RedisServerProcess;
import io.kvdb.lua.redis.RedisServerProcess.ExtraArguments;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.lua.testing.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

/**
 * Replicated durability on a private primary and its replica: a replicated write is acknowledged
 * only once the replica has it, and a replica that cannot confirm (frozen with SIGSTOP) makes the
 * write fail as unconfirmed instead of being acknowledged; writes that need no replica go on.
 */
class ReplicatedWritesTest {
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration SHORT_WAIT = Duration.ofMillis(200);

  /** Long enough for a replica on a busy machine, for the writes that must be confirmed. */
  private static final Duration LONG_WAIT = Duration.ofSeconds(10);

  private static RedisServerProcess primary;
  private static RedisServerProcess replica;
  private static UnifiedJedis redis;
  private static UnifiedJedis replicaReader;
  private static ScriptRegistry scripts;

  private final String project = "replicated-" + UUID.randomUUID();

  @BeforeAll
  static void startPrimaryAndReplica(@TempDir Path dir) {
    // The full sync writes an RDB file: into the test's own folder, not the working directory.
    String folder = dir.toString();
    primary =
        TestRedis.startPrivate(
            ExtraArguments.options("--dir", folder, "--repl-diskless-sync-delay", "0"));
    replica =
        TestRedis.startPrivate(
            ExtraArguments.options(
                "--dir", folder, "--replicaof", "127.0.0.1", Integer.toString(primary.port())));
    redis = RedisConnector.connect(primary.uri(), RedisConnector.Settings.DEFAULT);
    replicaReader = RedisConnector.connect(replica.uri(), RedisConnector.Settings.DEFAULT);
    Eventually.await(
        "the replica is in sync",
        () -> replicaReader.info("replication").contains("master_link_status:up"));
    scripts = ScriptRegistry.load(redis);
  }

  @AfterAll
  static void stop() {
    redis.close();
    replicaReader.close();
    replica.close();
    primary.close();
  }

  @AfterEach
  void replicaRuns() {
    replica.resume();
  }

  @Test
  void aReplicatedPostIsOnTheReplicaWhenItIsAcknowledged() {
    Messages messages = new Messages(scripts, new Durability(false, LONG_WAIT));
    QueueRef queue = replicatedQueue("q");

    PostOutcome outcome = messages.post(queue, "", List.of(message("m1")), HOUR, 1024);

    assertEquals(List.of("m1"), outcome.ids());
    assertTrue(
        replicaReader.exists(Keys.messagePrefix(queue) + "m1"),
        "WAIT returned only once the replica had the message");
  }

  @Test
  void aFrozenReplicaMakesAReplicatedPostUnconfirmedButNotAnInMemoryOne() {
    Messages messages = new Messages(scripts, new Durability(false, SHORT_WAIT));
    QueueRef replicated = replicatedQueue("q");
    QueueRef inMemory = new QueueRef(project, "m");
    IdempotencyKey key = new IdempotencyKey("retry-1", HOUR);

    replica.suspend();
    assertThrows(
        NotReplicatedException.class,
        () -> messages.post(replicated, "", List.of(message("a1")), HOUR, 1024, key));
    assertEquals(
        List.of("b1"), messages.post(inMemory, "", List.of(message("b1")), HOUR, 1024).ids());
    replica.resume();

    Messages patient = new Messages(scripts, new Durability(false, LONG_WAIT));
    PostOutcome retried = patient.post(replicated, "", List.of(message("a2")), HOUR, 1024, key);
    assertEquals(List.of("a1"), retried.ids(), "the retry is told the first post's ids");
    assertTrue(replicaReader.exists(Keys.messagePrefix(replicated) + "a1"));
  }

  @Test
  void claimsAndDeletesOfAReplicatedQueueWaitForTheReplicaToo() {
    Durability hasty = new Durability(false, SHORT_WAIT);
    Messages messages = new Messages(scripts, hasty);
    Claims claims = new Claims(scripts, hasty);
    QueueRef queue = replicatedQueue("q");
    new Messages(scripts, new Durability(false, LONG_WAIT))
        .post(queue, "", List.of(message("c1"), message("c2")), HOUR, 1024);

    replica.suspend();
    assertThrows(
        NotReplicatedException.class,
        () -> claims.create(queue, "claim-1", Duration.ofSeconds(30), Duration.ZERO, 1));
    assertThrows(NotReplicatedException.class, () -> messages.delete(queue, List.of("c2"), ""));
  }

  @Test
  void theGatewayDefaultAppliesToQueuesThatChooseNothing() {
    Durability replicatedByDefault = new Durability(true, SHORT_WAIT);
    Messages messages = new Messages(scripts, replicatedByDefault);
    Queues queues = new Queues(redis, scripts, replicatedByDefault);
    QueueRef unset = new QueueRef(project, "unset");
    QueueRef memory = new QueueRef(project, "memory");
    queues.create(memory, Map.of(Durability.QUEUE_SETTING, Durability.MEMORY));

    replica.suspend();
    assertThrows(
        NotReplicatedException.class,
        () -> messages.post(unset, "", List.of(message("u1")), HOUR, 1024));
    assertEquals(1, messages.post(memory, "", List.of(message("k1")), HOUR, 1024).posted());
  }

  @Test
  void replicatedLocksAreGrantedOnlyOnceAReplicaHasTheFence() {
    LockRef lock = new LockRef(project, "job");
    Locks patient = new Locks(scripts, Locks.FORGET_FENCES_AFTER, new Durability(true, LONG_WAIT));

    long fence = patient.acquire(lock, "t1", Duration.ofSeconds(30), "a").lock().fence();
    assertEquals(
        Long.toString(fence),
        replicaReader.hget(Keys.lockFences(project), "job"),
        "on the replica");
    patient.release(lock, "t1", "");

    Locks hasty = new Locks(scripts, Locks.FORGET_FENCES_AFTER, new Durability(true, SHORT_WAIT));
    replica.suspend();
    assertThrows(
        NotReplicatedException.class, () -> hasty.acquire(lock, "t2", Duration.ofSeconds(30), "b"));
  }

  private QueueRef replicatedQueue(String name) {
    QueueRef queue = new QueueRef(project, name);
    new Queues(redis, scripts, new Durability(false, LONG_WAIT))
        .create(queue, Map.of(Durability.QUEUE_SETTING, Durability.REPLICATED));
    return queue;
  }

  private static MessageToPost message(String id) {
    return new MessageToPost(id, "body".getBytes(), Map.of(), null, null);
  }
}
