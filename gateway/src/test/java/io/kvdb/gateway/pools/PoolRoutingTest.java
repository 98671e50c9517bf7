package io.kvdb.gateway.pools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.gateway.server.GatewayConfig;
import io.kvdb.lua.Keys;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.redis.RedisServerProcess;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.lua.testing.StoredMessages;
import io.kvdb.lua.testing.TestRedis;
import io.kvdb.proto.v1.ClaimServiceGrpc;
import io.kvdb.proto.v1.CreateClaimRequest;
import io.kvdb.proto.v1.CreateQueueRequest;
import io.kvdb.proto.v1.GetQueueRequest;
import io.kvdb.proto.v1.GetQueueStatsRequest;
import io.kvdb.proto.v1.ListQueuesRequest;
import io.kvdb.proto.v1.MessageServiceGrpc;
import io.kvdb.proto.v1.NewMessage;
import io.kvdb.proto.v1.PostMessagesRequest;
import io.kvdb.proto.v1.Queue;
import io.kvdb.proto.v1.QueueServiceGrpc;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * A gateway over a control Redis and a second Redis registered as the pool {@code blue}: queues are
 * placed by weight, their data lives only in their pool, waits, listings and stats work across
 * pools, a stale placement is corrected by MOVED, and a pool that stops takes only its own queues
 * down.
 */
class PoolRoutingTest {
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
    // A pool taking no queues, in another database of the same server.
    TestPools.register(control, "idle", blueServer.uri().resolve("/1"), 0);
    gateway =
        Gateway.start(
            GatewayConfig.parse(
                "--port",
                "0",
                "--redis",
                controlServer.uri().toString(),
                "--redis-timeout-ms",
                "300",
                "--health-interval-ms",
                "50",
                // Long, so that a placement changed without an announcement stays stale.
                "--catalogue-cache-ms",
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

  @Test
  void newQueuesArePlacedByWeightAndTheirMessagesLiveOnlyInTheirPool() {
    String project = project();
    var queues = QueueServiceGrpc.newBlockingStub(channel).withInterceptors(headers(project));
    var messages = MessageServiceGrpc.newBlockingStub(channel).withInterceptors(headers(project));
    Set<String> used = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      String name = "q" + i;
      Queue created =
          queues.createQueue(CreateQueueRequest.newBuilder().setName(name).build()).getQueue();
      assertNotEquals("idle", created.getPool(), "a pool of weight 0 takes no queue");
      used.add(created.getPool());
      assertEquals(
          created.getPool(),
          queues.getQueue(GetQueueRequest.newBuilder().setName(name).build()).getPool());
      messages.postMessages(post(name, "m"));
      QueueRef queue = new QueueRef(project, name);
      boolean inBlue = created.getPool().equals("blue");
      assertEquals(inBlue, StoredMessages.count(blue, queue) > 0, name + " in blue");
      assertEquals(!inBlue, StoredMessages.count(control, queue) > 0, name + " in default");
    }
    assertEquals(Set.of("default", "blue"), used, "both pools of weight 1 take queues");
  }

  @Test
  void aPostToAMissingQueuePlacesItAndCreatesItThere() {
    String project = project();
    TestPools.place(control, new QueueRef(project, "posted"), "blue");
    MessageServiceGrpc.newBlockingStub(channel)
        .withInterceptors(headers(project))
        .postMessages(post("posted", "m"));
    assertTrue(blue.exists(Keys.queue(new QueueRef(project, "posted"))));
    assertFalse(control.exists(Keys.queue(new QueueRef(project, "posted"))));

    // Unplaced, it gets a placement of its own, and its data is where that placement says.
    MessageServiceGrpc.newBlockingStub(channel)
        .withInterceptors(headers(project))
        .postMessages(post("unplaced", "m"));
    String pool =
        QueueServiceGrpc.newBlockingStub(channel)
            .withInterceptors(headers(project))
            .getQueue(GetQueueRequest.newBuilder().setName("unplaced").build())
            .getPool();
    QueueRef unplaced = new QueueRef(project, "unplaced");
    assertEquals(pool, TestPools.placement(control, unplaced));
    assertEquals(pool.equals("blue"), blue.exists(Keys.queue(unplaced)));
  }

  @Test
  void aQueueInDefaultWithoutAPlacementStaysThere() {
    String project = project();
    QueueRef legacy = new QueueRef(project, "legacy");
    new io.kvdb.lua.queues.Queues(control, io.kvdb.lua.script.ScriptRegistry.load(control))
        .create(legacy, java.util.Map.of());
    var queues = QueueServiceGrpc.newBlockingStub(channel).withInterceptors(headers(project));
    assertEquals(
        "default",
        queues
            .createQueue(CreateQueueRequest.newBuilder().setName("legacy").build())
            .getQueue()
            .getPool());
    MessageServiceGrpc.newBlockingStub(channel)
        .withInterceptors(headers(project))
        .postMessages(post("legacy", "m"));
    assertEquals(1, StoredMessages.count(control, legacy));
    assertEquals(null, TestPools.placement(control, legacy));
  }

  @Test
  void listingsAndStatsSpanPools() {
    String project = project();
    TestPools.place(control, new QueueRef(project, "a"), "blue");
    TestPools.place(control, new QueueRef(project, "b"), "default");
    TestPools.place(control, new QueueRef(project, "c"), "blue");
    var queues = QueueServiceGrpc.newBlockingStub(channel).withInterceptors(headers(project));
    var messages = MessageServiceGrpc.newBlockingStub(channel).withInterceptors(headers(project));
    for (String name : List.of("a", "b", "c")) {
      queues.createQueue(
          CreateQueueRequest.newBuilder()
              .setName(name)
              .setMetadata(
                  Struct.newBuilder()
                      .putFields("label", Value.newBuilder().setStringValue(name).build()))
              .build());
    }
    messages.postMessages(post("a", "1", "2"));
    messages.postMessages(post("b", "1"));

    var listed = queues.listQueues(ListQueuesRequest.newBuilder().setIncludeMetadata(true).build());
    assertEquals(
        List.of("a", "b", "c"), listed.getQueuesList().stream().map(Queue::getName).toList());
    for (Queue queue : listed.getQueuesList()) {
      assertEquals(queue.getName(), queue.getMetadata().getFieldsOrThrow("label").getStringValue());
    }
    assertEquals(
        2, queues.getQueueStats(GetQueueStatsRequest.newBuilder().setName("a").build()).getTotal());
    assertEquals(
        1, queues.getQueueStats(GetQueueStatsRequest.newBuilder().setName("b").build()).getTotal());
  }

  @Test
  void aWaitingClaimWakesAtAPostToAQueueInAnotherPool() throws Exception {
    String project = project();
    TestPools.place(control, new QueueRef(project, "waited"), "blue");
    QueueServiceGrpc.newBlockingStub(channel)
        .withInterceptors(headers(project))
        .createQueue(CreateQueueRequest.newBuilder().setName("waited").build());
    var claims = ClaimServiceGrpc.newFutureStub(channel).withInterceptors(headers(project));
    long started = System.nanoTime();
    var claim =
        claims.createClaim(
            CreateClaimRequest.newBuilder()
                .setQueue("waited")
                .setWait(Duration.newBuilder().setSeconds(20))
                .build());
    Thread.sleep(200);
    assertFalse(claim.isDone(), "the claim waits");
    MessageServiceGrpc.newBlockingStub(channel)
        .withInterceptors(headers(project))
        .postMessages(post("waited", "woken"));
    assertEquals(1, claim.get(10, TimeUnit.SECONDS).getMessagesCount());
    // Long before the 5 s recheck: the announcement of blue's Redis woke it.
    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 4000);
  }

  @Test
  void anAnnouncedPlacementIsFollowedAtOnce() {
    String project = project();
    QueueRef queue = new QueueRef(project, "moving");
    TestPools.place(control, queue, "blue");
    var queues = QueueServiceGrpc.newBlockingStub(channel).withInterceptors(headers(project));
    queues.createQueue(CreateQueueRequest.newBuilder().setName("moving").build());
    GetQueueRequest get = GetQueueRequest.newBuilder().setName("moving").build();
    assertEquals("blue", queues.getQueue(get).getPool());

    new io.kvdb.lua.queues.Queues(control, io.kvdb.lua.script.ScriptRegistry.load(control))
        .create(queue, java.util.Map.of());
    TestPools.place(control, queue, "default");
    control.publish(Keys.PLACEMENT_CHANNEL, project + "/moving");
    Eventually.await(
        "the gateway follows the announcement, well within its 60 s cache time",
        () -> queues.getQueue(get).getPool().equals("default"));
  }

  @Test
  void aStalePlacementIsCorrectedByMovedAndThePostLandsWhereTheQueueLives() {
    String project = project();
    QueueRef queue = new QueueRef(project, "stale");
    TestPools.place(control, queue, "blue");
    var queues = QueueServiceGrpc.newBlockingStub(channel).withInterceptors(headers(project));
    assertEquals(
        "blue",
        queues
            .createQueue(CreateQueueRequest.newBuilder().setName("stale").build())
            .getQueue()
            .getPool());

    // Switched to default without an announcement this gateway heard: its cached placement is
    // stale for 60 s, and blue's queue, marked moving out, refuses growth.
    new io.kvdb.lua.queues.Queues(control, io.kvdb.lua.script.ScriptRegistry.load(control))
        .create(queue, java.util.Map.of());
    TestPools.place(control, queue, "default");
    blue.hset(Keys.queue(queue), "mv", "default");

    MessageServiceGrpc.newBlockingStub(channel)
        .withInterceptors(headers(project))
        .postMessages(post("stale", "m"));
    assertEquals(1, StoredMessages.count(control, queue), "posted where the queue lives");
    assertEquals(0, StoredMessages.count(blue, queue));
    assertEquals(
        "default",
        queues.getQueue(GetQueueRequest.newBuilder().setName("stale").build()).getPool());
  }

  @Test
  void aStoppedPoolMakesOnlyItsQueuesUnavailable() throws Exception {
    String project = project();
    try (RedisServerProcess redServer = TestRedis.startPrivate()) {
      TestPools.register(control, "red", redServer.uri(), 0);
      TestPools.place(control, new QueueRef(project, "in-red"), "red");
      var queues = QueueServiceGrpc.newBlockingStub(channel).withInterceptors(headers(project));
      var health = HealthGrpc.newBlockingStub(channel);
      Eventually.await(
          "red is opened", () -> status(health, "kvdb.pool.red") == ServingStatus.SERVING);
      assertEquals(
          "red",
          queues
              .createQueue(CreateQueueRequest.newBuilder().setName("in-red").build())
              .getQueue()
              .getPool());
      TestPools.place(control, new QueueRef(project, "in-default"), "default");
      queues.createQueue(CreateQueueRequest.newBuilder().setName("in-default").build());

      redServer.close();
      StatusRuntimeException down =
          assertThrows(
              StatusRuntimeException.class,
              () -> queues.getQueue(GetQueueRequest.newBuilder().setName("in-red").build()));
      assertEquals(Status.Code.UNAVAILABLE, down.getStatus().getCode(), down.toString());
      assertEquals(
          "in-default",
          queues.getQueue(GetQueueRequest.newBuilder().setName("in-default").build()).getName());
      Eventually.await(
          "red's health turns NOT_SERVING",
          () -> status(health, "kvdb.pool.red") == ServingStatus.NOT_SERVING);
      assertEquals(ServingStatus.SERVING, status(health, ""));
      assertEquals(ServingStatus.SERVING, status(health, "kvdb.pool.blue"));
      assertEquals(ServingStatus.SERVING, status(health, "kvdb.pool.default"));
    } finally {
      TestPools.forget(control, new QueueRef(project, "in-red"));
      TestPools.unregister(control, "red");
    }
  }

  private static ServingStatus status(HealthGrpc.HealthBlockingStub health, String service) {
    try {
      return health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    } catch (StatusRuntimeException unknown) {
      return ServingStatus.SERVICE_UNKNOWN;
    }
  }

  static PostMessagesRequest post(String queue, String... bodies) {
    PostMessagesRequest.Builder post = PostMessagesRequest.newBuilder().setQueue(queue);
    for (String body : bodies) {
      post.addMessages(NewMessage.newBuilder().setBody(ByteString.copyFromUtf8(body)));
    }
    return post.build();
  }

  static String project() {
    return "pools-" + UUID.randomUUID();
  }

  static io.grpc.ClientInterceptor headers(String project) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("x-project-id", Metadata.ASCII_STRING_MARSHALLER), project);
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }
}
