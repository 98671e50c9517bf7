package io.kvdb.gateway.pools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.gateway.server.GatewayConfig;
import io.kvdb.lua.Keys;
import io.kvdb.lua.migrations.MigrationRecord;
import io.kvdb.lua.migrations.Migrations;
import io.kvdb.lua.migrations.QueueMoves;
import io.kvdb.lua.migrations.TransitBatch;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.redis.RedisServerProcess;
import io.kvdb.lua.script.Durability;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.lua.testing.StoredMessages;
import io.kvdb.lua.testing.TestRedis;
import io.kvdb.proto.v1.ClaimServiceGrpc;
import io.kvdb.proto.v1.CreateClaimRequest;
import io.kvdb.proto.v1.CreateQueueRequest;
import io.kvdb.proto.v1.DeleteQueueRequest;
import io.kvdb.proto.v1.GetMessagesRequest;
import io.kvdb.proto.v1.GetMigrationRequest;
import io.kvdb.proto.v1.GetQueueRequest;
import io.kvdb.proto.v1.GetQueueStatsRequest;
import io.kvdb.proto.v1.ListMessagesRequest;
import io.kvdb.proto.v1.ListMessagesResponse;
import io.kvdb.proto.v1.Message;
import io.kvdb.proto.v1.MessageServiceGrpc;
import io.kvdb.proto.v1.MigrateQueueRequest;
import io.kvdb.proto.v1.Migration;
import io.kvdb.proto.v1.PoolServiceGrpc;
import io.kvdb.proto.v1.PopMessagesRequest;
import io.kvdb.proto.v1.Queue;
import io.kvdb.proto.v1.QueueServiceGrpc;
import io.kvdb.proto.v1.QueueStats;
import io.kvdb.proto.v1.UpdateQueueRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * A queue split by a migration (switched, nothing moved: the gateway's migrator waits out a long
 * catalogue cache time before moving) answers pops, lists, gets, stats, GetQueue, updates and
 * deletes as one queue. Message moves the tests need are driven by hand through the scripts.
 */
class SplitQueueCallsTest {
  private static RedisServerProcess controlServer;
  private static RedisServerProcess blueServer;
  private static UnifiedJedis control;
  private static UnifiedJedis blue;
  private static Gateway gateway;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() {
    controlServer = TestRedis.startPrivate();
    blueServer = TestRedis.startPrivate();
    control = TestPools.connect(controlServer);
    blue = TestPools.connect(blueServer);
    TestPools.register(control, "blue", blueServer.uri(), 1);
    gateway =
        Gateway.start(
            GatewayConfig.parse(
                "--port",
                "0",
                "--redis",
                controlServer.uri().toString(),
                "--admin-api",
                // The migrator waits this long after the switch before it moves a message.
                "--catalogue-cache-ms",
                "600000",
                "--migrate-interval-ms",
                "60000"));
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    gateway.close();
    control.close();
    blue.close();
    controlServer.close();
    blueServer.close();
  }

  /** A queue split over two pools: {@code s*} bodies in the source, {@code t*} in the target. */
  private record Split(
      String project, QueueRef queue, String source, String target, Migration migration) {
    UnifiedJedis sourceRedis() {
      return redis(source);
    }

    UnifiedJedis targetRedis() {
      return redis(target);
    }

    QueueServiceGrpc.QueueServiceBlockingStub queues() {
      return QueueServiceGrpc.newBlockingStub(channel)
          .withInterceptors(PoolRoutingTest.headers(project));
    }

    MessageServiceGrpc.MessageServiceBlockingStub messages() {
      return MessageServiceGrpc.newBlockingStub(channel)
          .withInterceptors(PoolRoutingTest.headers(project));
    }
  }

  private static UnifiedJedis redis(String pool) {
    return pool.equals("blue") ? blue : control;
  }

  private static Split split(int inSource, int inTarget) {
    String project = PoolRoutingTest.project();
    QueueRef queue = new QueueRef(project, "q");
    var queues =
        QueueServiceGrpc.newBlockingStub(channel)
            .withInterceptors(PoolRoutingTest.headers(project));
    var messages =
        MessageServiceGrpc.newBlockingStub(channel)
            .withInterceptors(PoolRoutingTest.headers(project));
    Struct metadata =
        Struct.newBuilder().putFields("k", Value.newBuilder().setStringValue("v0").build()).build();
    String source =
        queues
            .createQueue(CreateQueueRequest.newBuilder().setName("q").setMetadata(metadata).build())
            .getQueue()
            .getPool();
    String target = source.equals("blue") ? "default" : "blue";
    for (int i = 1; i <= inSource; i++) {
      messages.postMessages(PoolRoutingTest.post("q", "s" + i));
    }
    Migration migration =
        PoolServiceGrpc.newBlockingStub(channel)
            .migrateQueue(
                MigrateQueueRequest.newBuilder()
                    .setProject(project)
                    .setQueue("q")
                    .setTargetPool(target)
                    .build());
    assertEquals(Migration.State.SWITCHING, migration.getState());
    for (int i = 1; i <= inTarget; i++) {
      messages.postMessages(PoolRoutingTest.post("q", "t" + i));
    }
    Split split = new Split(project, queue, source, target, migration);
    assertEquals(inSource, StoredMessages.count(split.sourceRedis(), queue), "source");
    assertEquals(inTarget, StoredMessages.count(split.targetRedis(), queue), "target");
    return split;
  }

  private static List<String> bodies(List<Message> messages) {
    return messages.stream().map(message -> message.getBody().toStringUtf8()).toList();
  }

  @Test
  void popsTakeTheOldestFirstAcrossTheSplit() {
    Split split = split(2, 2);
    var pop = PopMessagesRequest.newBuilder().setQueue("q");
    assertEquals(
        List.of("s1", "s2", "t1"),
        bodies(split.messages().popMessages(pop.setCount(3).build()).getMessagesList()));
    assertEquals(
        List.of("t2"),
        bodies(split.messages().popMessages(pop.setCount(5).build()).getMessagesList()));
    assertEquals(0, split.messages().popMessages(pop.build()).getMessagesCount());
  }

  @Test
  void popsKeepFifoWhenMovedMessagesInterleaveTheRanks() {
    Split split = split(4, 1);
    // s1 and s2 move to the target (keeping their ranks), s3 and s4 stay in the source.
    moveStep(split, 2);
    assertEquals(3, StoredMessages.count(split.targetRedis(), split.queue()));
    assertEquals(
        List.of("s1", "s2", "s3", "s4", "t1"),
        bodies(
            split
                .messages()
                .popMessages(PopMessagesRequest.newBuilder().setQueue("q").setCount(10).build())
                .getMessagesList()));
  }

  @Test
  void listsMergeBothPoolsByRankPageByPage() {
    Split split = split(3, 3);
    ClaimServiceGrpc.newBlockingStub(channel)
        .withInterceptors(PoolRoutingTest.headers(split.project()))
        .createClaim(
            CreateClaimRequest.newBuilder()
                .setQueue("q")
                .setLimit(1)
                .setTtl(Duration.newBuilder().setSeconds(60))
                .setGrace(Duration.newBuilder().setSeconds(60))
                .build());
    assertEquals(List.of("s2", "s3", "t1", "t2", "t3"), listAll(split, 2, false));
    assertEquals(List.of("s1", "s2", "s3", "t1", "t2", "t3"), listAll(split, 2, true));
    assertEquals(List.of("s1", "s2", "s3", "t1", "t2", "t3"), listAll(split, 100, true));
    assertEquals(List.of("s1", "s2", "s3", "t1", "t2", "t3"), listAll(split, 1, true));
  }

  @Test
  void listsPageThroughRanksThatInterleaveAcrossThePools() {
    Split split = split(4, 1);
    moveStep(split, 2); // the target holds s1, s2 and t1, the source s3 and s4
    for (int pageSize : List.of(1, 2, 3, 10)) {
      assertEquals(List.of("s1", "s2", "s3", "s4", "t1"), listAll(split, pageSize, false));
    }
  }

  @Test
  void aListContinuesAcrossTheMigrationsEnd() {
    Split split = split(3, 2);
    ListMessagesResponse first =
        split
            .messages()
            .listMessages(ListMessagesRequest.newBuilder().setQueue("q").setPageSize(2).build());
    assertEquals(List.of("s1", "s2"), bodies(first.getMessagesList()));
    moveStep(split, 10);
    finish(split);
    assertEquals(split.target(), TestPools.placement(control, split.queue()));
    // The end is announced: this gateway drops the split route.
    Eventually.await(
        "no migration reported",
        () ->
            !split
                .queues()
                .getQueue(GetQueueRequest.newBuilder().setName("q").build())
                .hasMigration());
    ListMessagesResponse second =
        split
            .messages()
            .listMessages(
                ListMessagesRequest.newBuilder()
                    .setQueue("q")
                    .setPageSize(10)
                    .setPageToken(first.getNextPageToken())
                    .build());
    assertEquals(List.of("s3", "t1", "t2"), bodies(second.getMessagesList()));
  }

  @Test
  void getsFindMessagesInEitherPoolInTheOrderAsked() {
    Split split = split(1, 1);
    List<Message> listed =
        split
            .messages()
            .listMessages(ListMessagesRequest.newBuilder().setQueue("q").build())
            .getMessagesList();
    String s1 = listed.get(0).getId();
    String t1 = listed.get(1).getId();
    var got =
        split
            .messages()
            .getMessages(
                GetMessagesRequest.newBuilder().setQueue("q").addIds(t1).addIds(s1).build());
    assertEquals(List.of("t1", "s1"), bodies(got.getMessagesList()));
    assertEquals(
        List.of("s1"),
        bodies(
            split
                .messages()
                .getMessages(GetMessagesRequest.newBuilder().setQueue("q").addIds(s1).build())
                .getMessagesList()));
  }

  @Test
  void statsAreTheSumOfBothPools() {
    Split split = split(2, 3);
    QueueStats stats =
        split.queues().getQueueStats(GetQueueStatsRequest.newBuilder().setName("q").build());
    assertEquals(5, stats.getTotal());
    assertEquals(5, stats.getFree());
    List<Message> listed =
        split
            .messages()
            .listMessages(ListMessagesRequest.newBuilder().setQueue("q").build())
            .getMessagesList();
    assertEquals(listed.get(0).getId(), stats.getOldest().getId());
    assertEquals(listed.get(4).getId(), stats.getNewest().getId());
  }

  @Test
  void getQueueReportsTheTargetAndTheRunningMigration() {
    Split split = split(1, 0);
    Queue queue = split.queues().getQueue(GetQueueRequest.newBuilder().setName("q").build());
    assertEquals(split.target(), queue.getPool());
    assertTrue(queue.hasMigration());
    assertEquals(split.source(), queue.getMigration().getSourcePool());
    assertEquals(split.target(), queue.getMigration().getTargetPool());
    assertEquals(Migration.State.SWITCHING, queue.getMigration().getState());
    assertEquals("v0", queue.getMetadata().getFieldsOrThrow("k").getStringValue());
  }

  @Test
  void updatesReachBothPools() {
    Split split = split(1, 1);
    Struct metadata =
        Struct.newBuilder().putFields("k", Value.newBuilder().setStringValue("v1").build()).build();
    Queue updated =
        split
            .queues()
            .updateQueue(
                UpdateQueueRequest.newBuilder().setName("q").setMetadata(metadata).build());
    assertEquals("v1", updated.getMetadata().getFieldsOrThrow("k").getStringValue());
    assertEquals(split.target(), updated.getPool());
    String key = Keys.queue(split.queue());
    assertEquals(
        split.targetRedis().hget(key, "m:k"), split.sourceRedis().hget(key, "m:k"), "same");
    assertTrue(split.sourceRedis().hget(key, "m:k").contains("v1"), "msgpack of v1");
    assertEquals(split.target(), split.sourceRedis().hget(key, "mv"), "still marked");
  }

  @Test
  void deletingASplitQueueDeletesBothHalvesAndEndsTheMigration() {
    Split split = split(2, 2);
    split.queues().deleteQueue(DeleteQueueRequest.newBuilder().setName("q").build());
    String key = Keys.queue(split.queue());
    assertFalse(split.sourceRedis().exists(key), "source");
    assertFalse(split.targetRedis().exists(key), "target");
    assertEquals(0, StoredMessages.count(split.sourceRedis(), split.queue()));
    assertEquals(0, StoredMessages.count(split.targetRedis(), split.queue()));
    assertNull(TestPools.placement(control, split.queue()), "the catalogue entry goes");
    Migration ended =
        PoolServiceGrpc.newBlockingStub(channel)
            .getMigration(
                GetMigrationRequest.newBuilder().setProject(split.project()).setQueue("q").build());
    assertEquals(Migration.State.DONE, ended.getState());
    assertEquals(0, control.zcard(Keys.MIGRATIONS), "not running");
    StatusRuntimeException gone =
        assertThrows(
            StatusRuntimeException.class,
            () -> split.queues().getQueue(GetQueueRequest.newBuilder().setName("q").build()));
    assertEquals(Status.Code.NOT_FOUND, gone.getStatus().getCode());
  }

  private static List<String> listAll(Split split, int pageSize, boolean includeClaimed) {
    List<String> all = new ArrayList<>();
    String token = "";
    for (int page = 0; page < 20; page++) {
      ListMessagesResponse response =
          split
              .messages()
              .listMessages(
                  ListMessagesRequest.newBuilder()
                      .setQueue("q")
                      .setPageSize(pageSize)
                      .setPageToken(token)
                      .setIncludeClaimed(includeClaimed)
                      .build());
      assertTrue(response.getMessagesCount() <= pageSize);
      all.addAll(bodies(response.getMessagesList()));
      token = response.getNextPageToken();
      if (token.isEmpty()) {
        return all;
      }
    }
    throw new AssertionError("paging did not end: " + all);
  }

  /** One migrator step by hand: up to {@code budget} free messages from source to target. */
  private static void moveStep(Split split, int budget) {
    QueueMoves from = moves(split.sourceRedis());
    TransitBatch batch = from.take(split.queue(), split.target(), budget, 1 << 20);
    moves(split.targetRedis())
        .put(split.queue(), trip(split), java.time.Duration.ofMinutes(10), batch);
    from.ack(split.queue(), batch.ids());
  }

  /** The migrator's last steps by hand: the source's keys go, then the migration ends DONE. */
  private static void finish(Split split) {
    assertTrue(moves(split.sourceRedis()).finish(split.queue(), split.target()).done());
    MigrationRecord.Change ended =
        new Migrations(ScriptRegistry.load(control))
            .end(split.queue(), MigrationRecord.State.DONE, split.source(), split.target());
    assertTrue(ended.applied());
  }

  private static QueueMoves moves(UnifiedJedis redis) {
    return new QueueMoves(ScriptRegistry.load(redis), Durability.IN_MEMORY);
  }

  /** The forward trip's name as the migrator gives it (Migrator.forward). */
  private static String trip(Split split) {
    var start = split.migration().getStartTime();
    return "to:" + (start.getSeconds() * 1000 + start.getNanos() / 1_000_000);
  }
}
