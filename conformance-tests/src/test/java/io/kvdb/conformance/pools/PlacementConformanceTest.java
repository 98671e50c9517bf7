package io.kvdb.conformance.pools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.KvdbClientOptions;
import io.kvdb.client.KvdbException;
import io.kvdb.client.NewPool;
import io.kvdb.client.PoolChange;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.conformance.messages.Messaging;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.lua.redis.RedisServerProcess;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.ErrorReason;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where queues live, seen through the API alone: placement by flavor and weight, a pool that goes
 * down, a dead-letter queue in another pool, and a pool that still holds queues. A gateway of its
 * own on a control Redis of its own, with pools on Redis servers of their own, so that nothing here
 * changes the placement of the rest of the suite.
 */
class PlacementConformanceTest {
  private static RedisServerProcess control;
  private static RedisServerProcess east;
  private static RedisServerProcess west;
  private static RedisServerProcess spare;
  private static Gateway gateway;
  private static ManagedChannel channel;

  private KvdbClient kvdb;

  @BeforeAll
  static void start() {
    control = RedisServerProcess.startEmbedded();
    east = RedisServerProcess.startEmbedded();
    west = RedisServerProcess.startEmbedded();
    spare = RedisServerProcess.startEmbedded();
    gateway =
        KvdbTarget.ownGateway(
            "--admin-api",
            "--redis",
            control.uri().toString(),
            "--catalogue-cache-ms",
            "200",
            "--health-interval-ms",
            "200");
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
    try (KvdbClient admin = client()) {
      admin.admin().flavors().create("placed", false);
      admin.admin().flavors().create("dead", false);
      admin.admin().flavors().create("home", false);
      admin.admin().pools().update("default", PoolChange.flavor("home"));
      admin
          .admin()
          .pools()
          .create(NewPool.of("east", east.uri().toString()).withWeight(1).withFlavor("placed"));
      admin
          .admin()
          .pools()
          .create(NewPool.of("west", west.uri().toString()).withWeight(0).withFlavor("placed"));
      admin
          .admin()
          .pools()
          .create(NewPool.of("spare", spare.uri().toString()).withWeight(1).withFlavor("dead"));
    }
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    gateway.close();
    for (RedisServerProcess redis : List.of(spare, west, east, control)) {
      redis.close();
    }
  }

  @BeforeEach
  void connect() {
    kvdb = client();
  }

  @AfterEach
  void close() {
    kvdb.close();
  }

  private static KvdbClient client() {
    return KvdbClient.create(
        KvdbClientOptions.newBuilder()
            .setTarget("127.0.0.1:" + gateway.port())
            .setProject(KvdbTarget.freshProject())
            .build());
  }

  @Test
  void aQueueGoesToAPoolOfItsFlavorWithWeightAndAWeightOfZeroTakesNone() {
    Set<String> pools = new HashSet<>();
    // Without a flavor a queue may go to any pool of weight > 0, so every queue here names one.
    for (int i = 0; i < 20; i++) {
      pools.add(kvdb.queues().create("f" + i, Map.of("_flavor", "placed")).getQueue().getPool());
    }
    assertEquals(Set.of("east"), pools, "west has weight 0");

    kvdb.admin().pools().update("west", PoolChange.weight(1));
    kvdb.admin().pools().update("east", PoolChange.weight(0));
    try {
      Set<String> later = new HashSet<>();
      for (int i = 0; i < 20; i++) {
        later.add(kvdb.queues().create("g" + i, Map.of("_flavor", "placed")).getQueue().getPool());
      }
      assertEquals(Set.of("west"), later, "new queues only: east keeps what it holds");
      assertEquals("east", kvdb.queues().get("f0").getPool());
    } finally {
      kvdb.admin().pools().update("east", PoolChange.weight(1));
      kvdb.admin().pools().update("west", PoolChange.weight(0));
    }
  }

  @Test
  void aPoolThatGoesDownMakesOnlyItsQueuesUnavailableUntilItIsBack() {
    kvdb.queues().create("out", Map.of("_flavor", "dead"));
    kvdb.queues().create("home", Map.of("_flavor", "home"));
    assertEquals("spare", kvdb.queues().get("out").getPool());
    assertEquals("default", kvdb.queues().get("home").getPool());

    spare.close();
    try {
      KvdbException down =
          assertThrows(KvdbException.class, () -> kvdb.messages().post("out", "lost?"));
      assertEquals(Status.Code.UNAVAILABLE, down.code(), down.toString());
      assertEquals(1, kvdb.messages().post("home", "fine").size());
      Eventually.await(
          "spare's health turns NOT_SERVING",
          () -> health("kvdb.pool.spare") == ServingStatus.NOT_SERVING);
      assertEquals(ServingStatus.SERVING, health(""), "the gateway serves on");
      assertEquals(ServingStatus.SERVING, health("kvdb.pool.default"));
    } finally {
      spare = spare.startAgain();
    }
    Eventually.await(
        "spare serves again", () -> health("kvdb.pool.spare") == ServingStatus.SERVING);
    assertEquals(1, kvdb.messages().post("out", "back").size());
  }

  @Test
  void aDeadLetterQueueInAnotherPoolReceivesEveryLetterOnce() {
    kvdb.queues().create("letters", Map.of("_flavor", "dead"));
    kvdb.queues()
        .create(
            "work",
            Map.of("_flavor", "placed", "_max_claim_count", 1, "_dead_letter_queue", "letters"));
    assertEquals("east", kvdb.queues().get("work").getPool());
    assertEquals("spare", kvdb.queues().get("letters").getPool());
    List<String> posted = kvdb.messages().post("work", "a", "b", "c");

    Claim first = Messaging.claim(kvdb, "work", 3);
    assertEquals(posted, Messaging.ids(first));
    kvdb.claims().release("work", first.getId());
    assertEquals("", Messaging.claim(kvdb, "work", 3).getId(), "each was delivered its most");

    Eventually.await(
        () -> "every letter in letters: " + kvdb.queues().stats("letters"),
        () -> kvdb.queues().stats("letters").getTotal() == 3);
    assertEquals(posted, Messaging.ids(Messaging.claim(kvdb, "letters", 10)));
    assertEquals(0, kvdb.queues().stats("work").getTotal());
  }

  @Test
  void aPoolThatHoldsQueuesIsNotDeleted() {
    RedisServerProcess own = RedisServerProcess.startEmbedded();
    String pool = "own-" + Long.toHexString(System.nanoTime());
    try {
      String flavor = pool + "-f";
      kvdb.admin().flavors().create(flavor, false);
      kvdb.admin()
          .pools()
          .create(NewPool.of(pool, own.uri().toString()).withWeight(1).withFlavor(flavor));
      kvdb.queues().create("kept", Map.of("_flavor", flavor));
      assertEquals(pool, kvdb.queues().get("kept").getPool());

      KvdbException inUse =
          assertThrows(KvdbException.class, () -> kvdb.admin().pools().delete(pool));
      assertEquals(Status.Code.FAILED_PRECONDITION, inUse.code(), inUse.toString());
      assertEquals(ErrorReason.IN_USE, inUse.reason(), inUse.toString());
      assertEquals(pool, kvdb.queues().get("kept").getPool(), "the queue is still there");

      kvdb.queues().delete("kept");
      kvdb.admin().pools().delete(pool);
      kvdb.admin().flavors().delete(flavor);
      assertTrue(kvdb.admin().pools().list().stream().noneMatch(info -> info.name().equals(pool)));
    } finally {
      own.close();
    }
  }

  private static ServingStatus health(String service) {
    try {
      return HealthGrpc.newBlockingStub(channel)
          .check(HealthCheckRequest.newBuilder().setService(service).build())
          .getStatus();
    } catch (StatusRuntimeException unknown) {
      return ServingStatus.SERVICE_UNKNOWN;
    }
  }
}
