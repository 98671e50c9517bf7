package io.kvdb.gateway.pools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
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
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.redis.RedisServerProcess;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.lua.testing.TestRedis;
import io.kvdb.proto.v1.CancelMigrationRequest;
import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.ClaimServiceGrpc;
import io.kvdb.proto.v1.CreateClaimRequest;
import io.kvdb.proto.v1.CreateQueueRequest;
import io.kvdb.proto.v1.DeleteClaimRequest;
import io.kvdb.proto.v1.DeleteMessagesRequest;
import io.kvdb.proto.v1.GetMigrationRequest;
import io.kvdb.proto.v1.GetQueueRequest;
import io.kvdb.proto.v1.ListMessagesRequest;
import io.kvdb.proto.v1.ListMessagesResponse;
import io.kvdb.proto.v1.Message;
import io.kvdb.proto.v1.MessageServiceGrpc;
import io.kvdb.proto.v1.MigrateQueueRequest;
import io.kvdb.proto.v1.Migration;
import io.kvdb.proto.v1.NewMessage;
import io.kvdb.proto.v1.PoolServiceGrpc;
import io.kvdb.proto.v1.PostMessagesRequest;
import io.kvdb.proto.v1.QueueServiceGrpc;
import io.kvdb.proto.v1.UpdateClaimRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * Live migration end to end through a gateway: a control Redis (pool {@code default}) and a second
 * Redis registered as {@code blue}; queues start in {@code default} and move to {@code blue}. A
 * live claim held in a pool keeps a migration from ending, which is how the tests stop one midway
 * without timing: its state is then observed, not raced.
 */
class MigrationTest {
  private static final java.time.Duration IDEMPOTENCY_WINDOW = java.time.Duration.ofMillis(1500);

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
    TestPools.register(control, "idle", blueServer.uri().resolve("/1"), 0);
    gateway = startGateway(controlServer);
    channel = open(gateway);
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

  private static Gateway startGateway(RedisServerProcess control) {
    return Gateway.start(
        GatewayConfig.parse(
            "--port",
            "0",
            "--redis",
            control.uri().toString(),
            "--admin-api",
            "--catalogue-cache-ms",
            "200",
            "--migrate-interval-ms",
            "20",
            "--min-claim-ttl-ms",
            "1000",
            "--idempotency-window-ms",
            Long.toString(IDEMPOTENCY_WINDOW.toMillis())));
  }

  private static ManagedChannel open(Gateway gateway) {
    return ManagedChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
  }

  @Test
  void aQuietQueueMovesWithRanksDelaysTtlsClaimsAndMetadata() {
    Api api = new Api(channel, PoolRoutingTest.project(), "quiet");
    api.createInDefault(Map.of("label", "quiet"));
    for (int batch = 0; batch < 10; batch++) {
      PostMessagesRequest.Builder post = PostMessagesRequest.newBuilder().setQueue("quiet");
      for (int i = batch * 50; i < batch * 50 + 50; i++) {
        NewMessage.Builder message =
            NewMessage.newBuilder()
                .setBody(ByteString.copyFromUtf8("m" + i))
                .setTtl(Duration.newBuilder().setSeconds(600 + i));
        if (i % 7 == 0) {
          message.setDelay(Duration.newBuilder().setSeconds(300));
        }
        post.addMessages(message);
      }
      api.messages.postMessages(post.build());
    }
    // Five claimed and released (claim count 1, free again), ten held through the move.
    api.claims.deleteClaim(
        DeleteClaimRequest.newBuilder()
            .setQueue("quiet")
            .setClaimId(api.claim(5, 60).getId())
            .build());
    Claim held = api.claim(10, 60);
    List<Message> before = api.all();
    assertEquals(500, before.size());

    Migration started = api.migrate("blue");
    assertEquals("default", started.getSourcePool());
    assertEquals("blue", started.getTargetPool());
    // Everything free moves; the held claim's messages wait in the source.
    Eventually.await(
        () -> "only the claimed left: " + api.migration(),
        () -> {
          Migration now = api.migration();
          return now.getState() == Migration.State.MOVING
              && now.getMessagesLeft() == 0
              && now.getClaimedLeft() == 10;
        });
    assertEquals(490, api.migration().getMessagesMoved());

    // The live claim made before the move still works: extended, one message deleted, released.
    Claim extended =
        api.claims.updateClaim(
            UpdateClaimRequest.newBuilder()
                .setQueue("quiet")
                .setClaimId(held.getId())
                .setTtl(Duration.newBuilder().setSeconds(120))
                .build());
    assertEquals(120, extended.getTtl().getSeconds());
    String deleted = held.getMessages(0).getId();
    api.messages.deleteMessages(
        DeleteMessagesRequest.newBuilder()
            .setQueue("quiet")
            .addIds(deleted)
            .setClaimId(held.getId())
            .build());
    api.claims.deleteClaim(
        DeleteClaimRequest.newBuilder().setQueue("quiet").setClaimId(held.getId()).build());

    Eventually.await(
        () -> "migration done: " + api.migration(),
        () -> api.migration().getState() == Migration.State.DONE);
    Migration done = api.migration();
    assertEquals(499, done.getMessagesMoved());
    assertTrue(done.hasEndTime());
    assertEquals("blue", TestPools.placement(control, api.queue));
    assertEquals("blue", api.queues().getPool());
    assertEquals(
        "quiet",
        api.queues().getMetadata().getFieldsOrThrow("label").getStringValue(),
        "metadata moved");

    List<Message> after = api.all();
    List<Message> expected = new ArrayList<>();
    for (Message message : before) {
      if (message.getId().equals(deleted)) {
        continue;
      }
      expected.add(
          message.getClaimId().equals(held.getId())
              ? message.toBuilder().clearClaimId().build()
              : message);
    }
    assertEquals(ids(expected), ids(after), "every message, in rank order");
    for (int i = 0; i < after.size(); i++) {
      Message was = expected.get(i);
      Message is = after.get(i);
      assertEquals(was.getBody(), is.getBody(), was.getId());
      assertEquals(was.getTtl(), is.getTtl(), was.getId() + " ttl");
      assertEquals(was.getExpireTime(), is.getExpireTime(), was.getId() + " expiry");
      assertEquals(was.getCreateTime(), is.getCreateTime(), was.getId() + " created");
      assertEquals(was.getClaimCount(), is.getClaimCount(), was.getId() + " claim count");
      if (Integer.parseInt(was.getBody().toStringUtf8().substring(1)) % 7 == 0) {
        assertEquals(was.getVisibleTime(), is.getVisibleTime(), was.getId() + " delay");
      }
    }
    // The held claim took the five released ones again (count 2) and five more; one was deleted.
    assertEquals(5, after.stream().filter(m -> m.getClaimCount() == 1).count(), "claimed once");
    assertEquals(4, after.stream().filter(m -> m.getClaimCount() == 2).count(), "claimed twice");
    assertSourceGone(control, api.queue);
  }

  @Test
  void aQueueMovesUnderLoadLosingNothingAndKeepingEachProducersOrderWithinAClaim()
      throws Exception {
    Api api = new Api(channel, PoolRoutingTest.project(), "busy");
    api.createInDefault(Map.of());
    List<String> backlog = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      backlog.addAll(
          api.messages
              .postMessages(PoolRoutingTest.post("busy", bodies("backlog" + i + "-", 50)))
              .getMessageIdsList());
    }
    Load load = new Load(api, 2, 2);
    load.posted.addAll(backlog);
    try {
      Eventually.await(() -> "the load runs: " + load.failures, () -> load.handled.size() > 20);
      api.migrate("blue");
      Eventually.await(
          () -> "migration done under load: " + api.migration(),
          () -> api.migration().getState() == Migration.State.DONE);
      int postedAtDone = load.posted.size();
      Eventually.await("posts after the move", () -> load.posted.size() > postedAtDone + 20);
    } finally {
      load.stopProducers();
    }
    Eventually.await(
        () -> "every post handled, missing " + load.missing().size(),
        () -> load.missing().isEmpty());
    load.stop();
    assertEquals(List.of(), load.failures, "calls failing under load");
    assertEquals(List.of(), load.earlyRepeats(), "handed out again while its claim was live");
    assertEquals(List.of(), load.fifoBreaks, "a producer's messages out of order in a claim");
    assertTrue(load.posted.size() > 1000 + 20);
    System.out.printf(
        "FIGURES migration-load posted=%d handled=%d repeats=%d moved=%d%n",
        load.posted.size(),
        load.handled.size(),
        load.repeats(),
        api.migration().getMessagesMoved());
    assertEquals("blue", api.queues().getPool());
    assertSourceGone(control, api.queue);
  }

  @Test
  void aCancelledMigrationBringsEverythingBack() {
    Api api = new Api(channel, PoolRoutingTest.project(), "back");
    api.createInDefault(Map.of("label", "back"));
    api.messages.postMessages(PoolRoutingTest.post("back", bodies("m", 100)));
    Claim inSource = api.claim(5, 60);
    api.migrate("blue");
    Eventually.await(
        () -> "the free ones moved: " + api.migration(),
        () -> api.migration().getMessagesLeft() == 0 && api.migration().getClaimedLeft() == 5);
    // The source has no free message left, so this claim is made in the target (on the oldest
    // moved messages) and keeps the cancel from ending.
    api.messages.postMessages(PoolRoutingTest.post("back", bodies("late", 3)));
    Claim inTarget = api.claim(2, 60);
    List<String> everything = new ArrayList<>();
    Set<String> all = new HashSet<>();

    Migration cancelling =
        api.pools.cancelMigration(
            CancelMigrationRequest.newBuilder()
                .setProject(api.queue.project())
                .setQueue("back")
                .build());
    assertEquals(Migration.State.CANCELLING, cancelling.getState());
    Eventually.await(
        () -> "all but the target's claim back: " + api.migration(),
        () -> api.migration().getClaimedLeft() == 2 && api.migration().getMessagesLeft() == 0);
    assertEquals(Migration.State.CANCELLING, api.migration().getState());
    api.claims.deleteClaim(
        DeleteClaimRequest.newBuilder().setQueue("back").setClaimId(inTarget.getId()).build());
    Eventually.await(
        () -> "cancelled: " + api.migration(),
        () -> api.migration().getState() == Migration.State.CANCELLED);

    assertEquals("default", TestPools.placement(control, api.queue));
    assertEquals("default", api.queues().getPool());
    for (Message message : api.all()) {
      everything.add(message.getBody().toStringUtf8());
      all.add(message.getId());
    }
    assertEquals(103, everything.size(), everything.toString());
    assertEquals(103, all.size(), "no message twice");
    // The claim made in the source before the move never left it.
    api.messages.deleteMessages(
        DeleteMessagesRequest.newBuilder()
            .setQueue("back")
            .addIds(inSource.getMessages(0).getId())
            .setClaimId(inSource.getId())
            .build());
    assertSourceGone(blue, api.queue);
    // Cancel is idempotent: again, it answers the cancelled migration.
    assertEquals(
        Migration.State.CANCELLED,
        api.pools
            .cancelMigration(
                CancelMigrationRequest.newBuilder()
                    .setProject(api.queue.project())
                    .setQueue("back")
                    .build())
            .getState());
  }

  @Test
  void cancellingAMigrationThatIsDoneIsRefusedWithAReason() {
    Api api = new Api(channel, PoolRoutingTest.project(), "over");
    api.createInDefault(Map.of());
    api.messages.postMessages(PoolRoutingTest.post("over", bodies("m", 10)));
    api.migrate("blue");
    Eventually.await(
        () -> "done: " + api.migration(), () -> api.migration().getState() == Migration.State.DONE);
    StatusRuntimeException refused =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                api.pools.cancelMigration(
                    CancelMigrationRequest.newBuilder()
                        .setProject(api.queue.project())
                        .setQueue("over")
                        .build()));
    assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode());
    assertTrue(refused.getStatus().getDescription().contains("DONE"), refused.toString());
    assertEquals(Migration.State.DONE, api.migration().getState());
  }

  /**
   * A post made before the switch and retried with its key while the queue is split, or until the
   * key's window has passed, gets the ids it got the first time and stores nothing: the source
   * answers the key, and the migration ends no sooner than the window after it began.
   */
  @Test
  void aKeyedPostRetriedDuringAMigrationIsStoredOnce() {
    Api api = new Api(channel, PoolRoutingTest.project(), "keyed");
    api.createInDefault(Map.of());
    PostMessagesRequest keyed =
        PoolRoutingTest.post("keyed", bodies("k", 10)).toBuilder().setIdempotencyKey("k1").build();
    List<String> first = api.messages.postMessages(keyed).getMessageIdsList();
    Claim held = api.claim(1, 60); // keeps the migration from ending while the retry is made
    api.migrate("blue");
    Eventually.await(
        () -> "moving: " + api.migration(),
        () -> api.migration().getState() == Migration.State.MOVING);

    assertEquals(first, api.messages.postMessages(keyed).getMessageIdsList());
    assertEquals(10, api.stats().getTotal());

    api.claims.deleteClaim(
        DeleteClaimRequest.newBuilder().setQueue("keyed").setClaimId(held.getId()).build());
    Eventually.await(
        () -> "done: " + api.migration(), () -> api.migration().getState() == Migration.State.DONE);
    Migration done = api.migration();
    assertTrue(
        millis(done.getEndTime()) - millis(done.getStartTime()) >= IDEMPOTENCY_WINDOW.toMillis(),
        "ended before the window passed: " + done);
    assertEquals(10, api.stats().getTotal());
  }

  /**
   * The same for a post made to the target while the queue was split and retried after a cancel
   * sent posts back: the target answers its key, and the cancel ends no sooner than the window
   * after posts went back.
   */
  @Test
  void aKeyedPostMadeToTheTargetAndRetriedAfterACancelIsStoredOnce() {
    Api api = new Api(channel, PoolRoutingTest.project(), "keyed-back");
    api.createInDefault(Map.of());
    api.messages.postMessages(PoolRoutingTest.post("keyed-back", bodies("m", 5)));
    Claim held = api.claim(1, 60); // keeps the migration from ending in either direction
    api.migrate("blue");
    Eventually.await(
        () -> "moving: " + api.migration(),
        () -> api.migration().getState() == Migration.State.MOVING);
    PostMessagesRequest keyed =
        PoolRoutingTest.post("keyed-back", bodies("k", 10)).toBuilder()
            .setIdempotencyKey("k2")
            .build();
    List<String> first = api.messages.postMessages(keyed).getMessageIdsList();

    Instant cancelled = Instant.now();
    api.pools.cancelMigration(
        CancelMigrationRequest.newBuilder()
            .setProject(api.queue.project())
            .setQueue("keyed-back")
            .build());
    assertEquals(first, api.messages.postMessages(keyed).getMessageIdsList());
    api.claims.deleteClaim(
        DeleteClaimRequest.newBuilder().setQueue("keyed-back").setClaimId(held.getId()).build());
    Eventually.await(
        () -> "cancelled: " + api.migration(),
        () -> api.migration().getState() == Migration.State.CANCELLED);
    assertTrue(
        millis(api.migration().getEndTime()) - cancelled.toEpochMilli()
            >= IDEMPOTENCY_WINDOW.toMillis(),
        "ended before the window passed: " + api.migration());
    assertEquals(15, api.stats().getTotal());
  }

  @Test
  void anotherGatewayTakesOverTheJobOfOneThatClosed() throws InterruptedException {
    // A control Redis of its own, so that the first gateway on it surely runs the job.
    try (RedisServerProcess ownControl = TestRedis.startPrivate();
        UnifiedJedis own = TestPools.connect(ownControl)) {
      TestPools.register(own, "blue", blueServer.uri(), 1);
      Gateway first = startGateway(ownControl);
      ManagedChannel firstChannel = open(first);
      Api api = new Api(own, firstChannel, PoolRoutingTest.project(), "handed");
      api.createInDefault(Map.of());
      for (int i = 0; i < 4; i++) {
        api.messages.postMessages(PoolRoutingTest.post("handed", bodies("m" + i + "-", 50)));
      }
      Claim held = api.claim(3, 60);
      List<String> before = ids(api.all());
      api.migrate("blue");
      Eventually.await(
          () -> "the free ones moved: " + api.migration(),
          () -> api.migration().getMessagesLeft() == 0 && api.migration().getMessagesMoved() > 0);
      Gateway second = startGateway(ownControl);
      ManagedChannel secondChannel = open(second);
      try {
        firstChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        first.close();
        Api other = new Api(own, secondChannel, api.queue.project(), "handed");
        other.claims.deleteClaim(
            DeleteClaimRequest.newBuilder().setQueue("handed").setClaimId(held.getId()).build());
        Eventually.await(
            () -> "finished by the other gateway: " + other.migration(),
            () -> other.migration().getState() == Migration.State.DONE);
        assertEquals(before, ids(other.all()), "every message once, in rank order");
        assertEquals(200, other.migration().getMessagesMoved());
        assertEquals("blue", TestPools.placement(own, api.queue));
        assertSourceGone(own, api.queue);
      } finally {
        secondChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        second.close();
      }
    }
  }

  @Test
  void hostileMigrationsAreRefusedNamingTheField() {
    Api api = new Api(channel, PoolRoutingTest.project(), "target");
    api.createInDefault(Map.of());
    assertRefused(Status.Code.NOT_FOUND, "target_pool", () -> api.migrate("nowhere"));
    assertRefused(Status.Code.INVALID_ARGUMENT, "target_pool", () -> api.migrate("default"));
    assertRefused(Status.Code.INVALID_ARGUMENT, "target_pool", () -> api.migrate(""));
    assertRefused(Status.Code.INVALID_ARGUMENT, "target_pool", () -> api.migrate("a b/c"));
    assertRefused(
        Status.Code.INVALID_ARGUMENT, "target_pool", () -> api.migrate("x".repeat(100_000)));
    assertRefused(
        Status.Code.NOT_FOUND,
        "missing",
        () -> new Api(channel, api.queue.project(), "missing").migrate("blue"));
    assertRefused(
        Status.Code.INVALID_ARGUMENT,
        "queue",
        () -> new Api(channel, api.queue.project(), "../q").migrate("blue"));
    assertRefused(
        Status.Code.INVALID_ARGUMENT,
        "project",
        () -> new Api(channel, "bad project", "target").migrate("blue"));
    assertRefused(
        Status.Code.NOT_FOUND,
        "migration",
        () -> new Api(channel, api.queue.project(), "never").migration());

    // Held open by a claim, the migration is running when it is asked for again.
    api.messages.postMessages(PoolRoutingTest.post("target", "m"));
    api.claim(1, 60);
    api.migrate("blue");
    assertRefused(Status.Code.FAILED_PRECONDITION, "migrating", () -> api.migrate("blue"));
    assertRefused(Status.Code.FAILED_PRECONDITION, "migrating", () -> api.migrate("idle"));

    // Weight 0 stops new queues going to a pool, not an administrator moving one there.
    Api drained = new Api(channel, api.queue.project(), "drained");
    drained.createInDefault(Map.of());
    drained.migrate("idle");
    Eventually.await(
        () -> "moved into the pool of weight 0: " + drained.migration(),
        () -> drained.migration().getState() == Migration.State.DONE);
    assertEquals("idle", drained.queues().getPool());
  }

  private static void assertRefused(Status.Code code, String named, Runnable call) {
    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, call::run);
    assertEquals(code, refused.getStatus().getCode(), refused.toString());
    String description = String.valueOf(refused.getStatus().getDescription());
    assertTrue(description.contains(named), description);
    assertTrue(description.length() < 1000, "the message does not echo huge input");
  }

  /**
   * Nothing of the queue is left in the pool but a tombstone holding only its mark, and the id sets
   * of ended claims, which expire with the claim (as in a queue that never moved).
   */
  private static void assertSourceGone(UnifiedJedis pool, QueueRef queue) {
    String hash = Keys.queue(queue);
    Set<String> keys = new HashSet<>(pool.keys(hash + "*"));
    keys.removeIf(key -> key.startsWith(hash + ":c:") && pool.pttl(key) > 0);
    assertTrue(keys.isEmpty() || keys.equals(Set.of(hash)), keys.toString());
    if (!keys.isEmpty()) {
      assertEquals(Set.of("mv"), pool.hkeys(hash), "the tombstone holds only its mark");
    }
  }

  private static long millis(com.google.protobuf.Timestamp time) {
    return time.getSeconds() * 1000 + time.getNanos() / 1_000_000;
  }

  private static String[] bodies(String prefix, int count) {
    String[] bodies = new String[count];
    for (int i = 0; i < count; i++) {
      bodies[i] = prefix + i;
    }
    return bodies;
  }

  private static List<String> ids(List<Message> messages) {
    return messages.stream().map(Message::getId).toList();
  }

  /** One queue's calls through one gateway. */
  private static final class Api {
    final QueueRef queue;
    final QueueServiceGrpc.QueueServiceBlockingStub queueService;
    final MessageServiceGrpc.MessageServiceBlockingStub messages;
    final ClaimServiceGrpc.ClaimServiceBlockingStub claims;
    final PoolServiceGrpc.PoolServiceBlockingStub pools;

    final UnifiedJedis control;

    Api(ManagedChannel channel, String project, String name) {
      this(MigrationTest.control, channel, project, name);
    }

    Api(UnifiedJedis control, ManagedChannel channel, String project, String name) {
      this.control = control;
      this.queue = new QueueRef(project, name);
      this.queueService =
          QueueServiceGrpc.newBlockingStub(channel)
              .withInterceptors(PoolRoutingTest.headers(project));
      this.messages =
          MessageServiceGrpc.newBlockingStub(channel)
              .withInterceptors(PoolRoutingTest.headers(project));
      this.claims =
          ClaimServiceGrpc.newBlockingStub(channel)
              .withInterceptors(PoolRoutingTest.headers(project));
      this.pools = PoolServiceGrpc.newBlockingStub(channel);
    }

    void createInDefault(Map<String, String> metadata) {
      TestPools.place(this.control, queue, "default");
      Struct.Builder struct = Struct.newBuilder();
      metadata.forEach((k, v) -> struct.putFields(k, Value.newBuilder().setStringValue(v).build()));
      queueService.createQueue(
          CreateQueueRequest.newBuilder().setName(queue.name()).setMetadata(struct).build());
    }

    io.kvdb.proto.v1.Queue queues() {
      return queueService.getQueue(GetQueueRequest.newBuilder().setName(queue.name()).build());
    }

    io.kvdb.proto.v1.QueueStats stats() {
      return queueService.getQueueStats(
          io.kvdb.proto.v1.GetQueueStatsRequest.newBuilder().setName(queue.name()).build());
    }

    Claim claim(int limit, int ttlSeconds) {
      return claims.createClaim(
          CreateClaimRequest.newBuilder()
              .setQueue(queue.name())
              .setLimit(limit)
              .setTtl(Duration.newBuilder().setSeconds(ttlSeconds))
              .setGrace(Duration.newBuilder().setSeconds(60))
              .build());
    }

    Migration migrate(String target) {
      return pools.migrateQueue(
          MigrateQueueRequest.newBuilder()
              .setProject(queue.project())
              .setQueue(queue.name())
              .setTargetPool(target)
              .build());
    }

    Migration migration() {
      return pools.getMigration(
          GetMigrationRequest.newBuilder()
              .setProject(queue.project())
              .setQueue(queue.name())
              .build());
    }

    /** Every message, claimed and delayed ones too, in rank order. */
    List<Message> all() {
      List<Message> all = new ArrayList<>();
      String token = "";
      do {
        ListMessagesResponse page =
            messages.listMessages(
                ListMessagesRequest.newBuilder()
                    .setQueue(queue.name())
                    .setPageSize(100)
                    .setPageToken(token)
                    .setEcho(true)
                    .setIncludeClaimed(true)
                    .setIncludeDelayed(true)
                    .build());
        all.addAll(page.getMessagesList());
        token = page.getNextPageToken();
      } while (!token.isEmpty());
      return all;
    }
  }

  /**
   * Producers posting {@code p<n>-<seq>} one by one, and consumers claiming (ttl 2 s) and deleting
   * with the claim id, recording each handout with its claim's expiry.
   */
  private static final class Load {
    private static final int CLAIM_TTL_SECONDS = 2;

    final Set<String> posted = ConcurrentHashMap.newKeySet();
    final Map<String, List<Instant[]>> handouts = new ConcurrentHashMap<>();
    final Set<String> handled = ConcurrentHashMap.newKeySet();
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    final List<String> fifoBreaks = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean producing = new AtomicBoolean(true);
    private final AtomicBoolean consuming = new AtomicBoolean(true);
    private final List<Thread> producers = new ArrayList<>();
    private final List<Thread> consumers = new ArrayList<>();
    private final Api api;

    Load(Api api, int producerCount, int consumerCount) {
      this.api = api;
      for (int p = 0; p < producerCount; p++) {
        String producer = "p" + p;
        producers.add(start(() -> produce(producer)));
      }
      for (int c = 0; c < consumerCount; c++) {
        consumers.add(start(this::consume));
      }
    }

    private static Thread start(Runnable work) {
      Thread thread = new Thread(work);
      thread.setDaemon(true);
      thread.start();
      return thread;
    }

    private void produce(String producer) {
      for (int seq = 0; producing.get(); seq++) {
        String body = producer + "-" + seq;
        try {
          posted.add(
              api.messages
                  .postMessages(PoolRoutingTest.post(api.queue.name(), body))
                  .getMessageIds(0));
        } catch (StatusRuntimeException failure) {
          seq--; // not acknowledged: the same body again, so sequence numbers stay dense
          if (failure.getStatus().getCode() != Status.Code.UNAVAILABLE) {
            failures.add("post " + failure.getStatus());
          }
        }
      }
    }

    private void consume() {
      while (consuming.get()) {
        try {
          Instant asked = Instant.now();
          Claim claim = api.claim(10, CLAIM_TTL_SECONDS);
          if (claim.getMessagesCount() == 0) {
            continue;
          }
          Instant answered = Instant.now();
          Map<String, Integer> lastSeq = new java.util.HashMap<>();
          List<String> ids = new ArrayList<>();
          for (Message message : claim.getMessagesList()) {
            handouts
                .computeIfAbsent(
                    message.getId(), id -> Collections.synchronizedList(new ArrayList<>()))
                .add(new Instant[] {asked, answered});
            ids.add(message.getId());
            String body = message.getBody().toStringUtf8();
            int dash = body.lastIndexOf('-');
            String producer = body.substring(0, dash);
            int seq = Integer.parseInt(body.substring(dash + 1));
            Integer last = lastSeq.put(producer, seq);
            if (last != null && last >= seq) {
              fifoBreaks.add(producer + " " + last + " before " + seq);
            }
          }
          api.messages.deleteMessages(
              DeleteMessagesRequest.newBuilder()
                  .setQueue(api.queue.name())
                  .addAllIds(ids)
                  .setClaimId(claim.getId())
                  .build());
          handled.addAll(ids);
        } catch (StatusRuntimeException failure) {
          if (failure.getStatus().getCode() != Status.Code.UNAVAILABLE) {
            failures.add("consume " + failure.getStatus());
          }
        }
      }
    }

    /** Acknowledged posts not handled yet (the backlog aside, which is counted in handled). */
    Set<String> missing() {
      Set<String> missing = new HashSet<>(posted);
      missing.removeAll(handled);
      return missing;
    }

    int repeats() {
      return handouts.values().stream().mapToInt(h -> h.size() - 1).sum();
    }

    /** Messages handed out again before an earlier claim on them expired. */
    List<String> earlyRepeats() {
      List<String> early = new ArrayList<>();
      handouts.forEach(
          (id, times) -> {
            synchronized (times) {
              for (int i = 1; i < times.size(); i++) {
                // The earlier claim ran at least until it was asked for plus its ttl; the later
                // one was made by the time it was answered.
                if (times.get(i)[1].isBefore(times.get(i - 1)[0].plusSeconds(CLAIM_TTL_SECONDS))) {
                  early.add(id);
                }
              }
            }
          });
      return early;
    }

    void stopProducers() throws InterruptedException {
      producing.set(false);
      for (Thread producer : producers) {
        producer.join(5000);
      }
    }

    void stop() throws InterruptedException {
      stopProducers();
      consuming.set(false);
      for (Thread consumer : consumers) {
        consumer.join(5000);
      }
    }
  }
}
