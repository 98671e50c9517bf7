package io.kvdb.gateway.pools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.protobuf.services.HealthStatusManager;
import io.kvdb.gateway.api.InvalidArgumentException;
import io.kvdb.lua.Keys;
import io.kvdb.lua.pools.Catalogue;
import io.kvdb.lua.pools.Flavors;
import io.kvdb.lua.pools.PoolUpdate;
import io.kvdb.lua.pools.Pools;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.redis.RedisConnector;
import io.kvdb.lua.redis.RedisServerProcess;
import io.kvdb.lua.script.Durability;
import io.kvdb.lua.script.Reason;
import io.kvdb.lua.script.ScriptRefusedException;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.TestRedis;
import io.kvdb.proto.v1.PlanRebalanceRequest;
import io.kvdb.proto.v1.RebalancePlan;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * Plans over three real Redis servers, the control one ("default") and the pools blue and green:
 * queues are stored as the gateway stores them (registry, catalogue entry, index by rank in their
 * pool), and the plan must even the pools out by weight, drain pools of weight 0 first, skip
 * migrating queues, keep to its bounds and to the flavor asked for.
 */
class RebalancePlannerTest {
  private static RedisServerProcess controlServer;
  private static RedisServerProcess blueServer;
  private static RedisServerProcess greenServer;
  private static UnifiedJedis control;
  private static UnifiedJedis blue;
  private static UnifiedJedis green;
  private static ScriptRegistry scripts;

  private PoolConnections connections;

  @BeforeAll
  static void start() {
    controlServer = TestRedis.startPrivate();
    blueServer = TestRedis.startPrivate();
    greenServer = TestRedis.startPrivate();
    control = TestPools.connect(controlServer);
    blue = TestPools.connect(blueServer);
    green = TestPools.connect(greenServer);
    scripts = ScriptRegistry.load(control);
  }

  @AfterAll
  static void stop() {
    control.close();
    blue.close();
    green.close();
    controlServer.close();
    blueServer.close();
    greenServer.close();
  }

  @BeforeEach
  void empty() {
    control.flushAll();
    blue.flushAll();
    green.flushAll();
  }

  @AfterEach
  void close() {
    if (connections != null) {
      connections.close();
    }
  }

  @Test
  void anUnevenSpreadIsEvenedOutLargestFirst() {
    pools(Map.of("default", 1, "blue", 1), "");
    store("p", "a", "default", 40);
    store("p", "b", "default", 30);
    store("p", "c", "default", 20);
    store("p", "d", "default", 10);
    store("p", "e", "blue", 2);

    RebalancePlan plan = plan("", 10);

    // Shares of 51 each: the queue nearest half the gap first, then the one that closes it; one
    // more would only swap the excess.
    assertEquals(List.of("a blue 40", "d blue 10"), moves(plan), plan.toString());
    assertEquals(Map.of("default", 100L, "blue", 2L), messages(plan));
    assertEquals(Map.of("default", 50L, "blue", 52L), planned(plan));
    assertFalse(plan.getPartial());
    assertEquals(5, plan.getQueuesExamined());
  }

  @Test
  void anEvenSpreadGivesNoMove() {
    pools(Map.of("default", 1, "blue", 1, "green", 1), "");
    store("p", "a", "default", 10);
    store("p", "b", "blue", 9);
    store("p", "c", "green", 10);
    store("q", "d", "blue", 1);

    RebalancePlan plan = plan("", 10);

    assertEquals(List.of(), moves(plan), plan.toString());
    assertEquals(messages(plan), planned(plan));
  }

  @Test
  void weightsSetTheShares() {
    pools(Map.of("default", 1, "blue", 3), "");
    for (int i = 0; i < 8; i++) {
      store("p", "q" + i, "default", 10);
    }

    RebalancePlan plan = plan("", 10);

    assertEquals(Map.of("default", 20L, "blue", 60L), planned(plan), plan.toString());
    assertEquals(6, plan.getMovesCount());
  }

  @Test
  void aPoolOfWeightZeroIsDrainedFirst() {
    pools(Map.of("default", 1, "blue", 1, "green", 0), "");
    store("p", "far-above", "default", 100);
    store("p", "left-1", "green", 3);
    store("p", "left-2", "green", 5);

    RebalancePlan plan = plan("", 2);

    // Default is further above its share (54 messages), green holds only 8: still green goes
    // first, largest queue first.
    assertEquals(List.of("left-2 blue 5", "left-1 blue 3"), moves(plan), plan.toString());
    assertEquals(0L, planned(plan).get("green"));
    assertEquals(0L, planned(plan("", 10)).get("green"), "never a move into weight 0");
  }

  @Test
  void aMigratingQueueIsLeftOut() {
    pools(Map.of("default", 1, "blue", 1), "");
    store("p", "moving", "default", 50);
    control.hset(Keys.placements("p"), "moving", "default blue");
    store("p", "staying", "default", 10);
    store("p", "small", "default", 4);

    RebalancePlan plan = plan("", 10);

    assertEquals(List.of("staying blue 10"), moves(plan), plan.toString());
    assertEquals(Map.of("default", 14L, "blue", 0L), messages(plan));
  }

  @Test
  void theFlavorChoosesThePools() {
    new Flavors(scripts).create("fast", false);
    pools(Map.of("blue", 1, "green", 1), "fast");
    store("p", "in-default", "default", 500);
    store("p", "b1", "blue", 30);
    store("p", "b2", "blue", 10);

    RebalancePlan fast = plan("fast", 10);
    RebalancePlan plain = plan("", 10);

    assertEquals(List.of("b1 green 30"), moves(fast), fast.toString());
    assertEquals(Map.of("blue", 40L, "green", 0L), messages(fast));
    assertEquals(Map.of("default", 500L), messages(plain), "only default has no flavor");
    assertEquals(List.of(), moves(plain));
    ScriptRefusedException unknown =
        assertThrows(ScriptRefusedException.class, () -> plan("slow", 10));
    assertEquals(Reason.NOT_FOUND, unknown.reason());
    assertTrue(unknown.getMessage().startsWith("flavor:"), unknown.getMessage());
    assertEquals(
        "flavor", assertThrows(InvalidArgumentException.class, () -> plan("a b", 10)).field());
  }

  @Test
  void movesAndQueuesReadAreBounded() {
    pools(Map.of("default", 1, "blue", 1), "");
    for (int i = 0; i < 30; i++) {
      store("p" + i % 3, "q" + i, "default", 1);
    }

    assertEquals(3, plan("", 3).getMovesCount());
    assertEquals(RebalancePlanner.DEFAULT_MOVES, plan("", 0).getMovesCount());
    for (int bad : List.of(-1, 1001)) {
      assertEquals(
          "max_moves", assertThrows(InvalidArgumentException.class, () -> plan("", bad)).field());
    }
    RebalancePlan bounded = planner(12).plan(request("", 10));
    assertTrue(bounded.getPartial(), bounded.toString());
    assertEquals(12, bounded.getQueuesExamined());
    assertFalse(planner(30).plan(request("", 10)).getPartial());
  }

  /** Registers the pools besides "default" (blue, green) with their weights and flavor. */
  private void pools(Map<String, Integer> weights, String flavor) {
    Pools pools = new Pools(scripts);
    weights.forEach(
        (name, weight) -> {
          if (name.equals("default")) {
            pools.update(name, new PoolUpdate(weight, flavor, null));
          } else {
            RedisServerProcess server = name.equals("blue") ? blueServer : greenServer;
            pools.create(name, server.uri().toString(), weight, flavor, Map.of());
          }
        });
  }

  /** A queue as the gateway stores it, with {@code messages} ids in its pool's index by rank. */
  private static void store(String project, String name, String pool, int messages) {
    QueueRef queue = new QueueRef(project, name);
    control.zadd(Keys.PROJECTS, 0, project);
    control.zadd(Keys.queueRegistry(project), 0, name);
    if (!pool.equals("default")) {
      TestPools.place(control, queue, pool);
    }
    UnifiedJedis redis = Map.of("default", control, "blue", blue, "green", green).get(pool);
    Map<String, Double> ids = new HashMap<>();
    for (int i = 0; i < messages; i++) {
      ids.put("m" + i, (double) i);
    }
    redis.zadd(Keys.queue(queue) + ":ready", ids);
  }

  private RebalancePlan plan(String flavor, int maxMoves) {
    return planner(RebalancePlanner.MAX_QUEUES).plan(request(flavor, maxMoves));
  }

  private static PlanRebalanceRequest request(String flavor, int maxMoves) {
    return PlanRebalanceRequest.newBuilder().setFlavor(flavor).setMaxMoves(maxMoves).build();
  }

  private RebalancePlanner planner(int maxQueues) {
    if (connections == null) {
      connections =
          new PoolConnections(
              control,
              scripts,
              new Pools(scripts)::list,
              RedisConnector.Settings.DEFAULT,
              Durability.IN_MEMORY,
              new HealthStatusManager());
    }
    return new RebalancePlanner(
        connections,
        new Pools(scripts),
        new Flavors(scripts),
        new Catalogue(control, scripts),
        maxQueues);
  }

  private static List<String> moves(RebalancePlan plan) {
    return plan.getMovesList().stream()
        .map(move -> move.getQueue() + " " + move.getTargetPool() + " " + move.getMessages())
        .toList();
  }

  private static Map<String, Long> messages(RebalancePlan plan) {
    return plan.getPoolsList().stream()
        .collect(
            Collectors.toMap(RebalancePlan.PoolLoad::getPool, RebalancePlan.PoolLoad::getMessages));
  }

  private static Map<String, Long> planned(RebalancePlan plan) {
    return plan.getPoolsList().stream()
        .collect(
            Collectors.toMap(
                RebalancePlan.PoolLoad::getPool, RebalancePlan.PoolLoad::getPlannedMessages));
  }
}
