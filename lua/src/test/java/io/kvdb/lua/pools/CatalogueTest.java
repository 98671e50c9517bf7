package io.kvdb.lua.pools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.lua.Keys;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.script.Reason;
import io.kvdb.lua.script.ScriptRefusedException;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.WithRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import redis.clients.jedis.UnifiedJedis;

/**
 * The catalogue scripts, over pool and flavor records written here directly. Pools are global to
 * the control Redis, so each test names its own and removes them after.
 */
@WithRedis
class CatalogueTest {
  private final String project = "lua-" + UUID.randomUUID();
  private final String tag = UUID.randomUUID().toString().substring(0, 8);
  private final List<String> pools = new ArrayList<>();
  private final List<String> flavors = new ArrayList<>();
  private final UnifiedJedis redis;
  private final ScriptRegistry scripts;
  private final Catalogue catalogue;

  CatalogueTest(UnifiedJedis redis, ScriptRegistry scripts) {
    this.redis = redis;
    this.scripts = scripts;
    this.catalogue = new Catalogue(redis, scripts);
  }

  @AfterEach
  void removeThePoolsAndFlavors() {
    pools.forEach(
        name -> {
          redis.del(Keys.pool(name));
          redis.zrem(Keys.POOL_NAMES, name);
        });
    flavors.forEach(
        name -> {
          redis.del(Keys.flavor(name));
          redis.zrem(Keys.FLAVOR_NAMES, name);
        });
  }

  @Test
  void aNewQueueGoesToThePoolItsRandomNumberPicksByWeightAndNeverToAWeightOfZero() {
    String flavor = flavor(false);
    String none = pool("a", 0, flavor);
    String light = pool("b", 1, flavor);
    String heavy = pool("c", 3, flavor);

    // Candidates in name order a, b, c: weights 0, 1, 3 share [0, 4) as b [0, 1), c [1, 4).
    assertEquals(light, place("q0", flavor, 0.0).pool());
    assertEquals(light, place("q1", flavor, 0.2).pool());
    assertEquals(heavy, place("q2", flavor, 0.25).pool());
    assertEquals(heavy, place("q3", flavor, 0.999999).pool());
    for (int i = 0; i < 100; i++) {
      assertNotEquals(none, place("r" + i, flavor, i / 100.0).pool());
    }

    assertEquals(0, queues(none));
    assertEquals(2 + 25, queues(light));
    assertEquals(2 + 75, queues(heavy));
  }

  @Test
  void aPlacedQueueKeepsItsPlacementAndIsCountedOnce() {
    String flavor = flavor(false);
    String first = pool("a", 1, flavor);
    String second = pool("b", 1, flavor);

    Placement placed = place("orders", flavor, 0.0);
    Placement again = place("orders", flavor, 0.9);

    assertEquals(Placement.in(first), placed);
    assertEquals(placed, again, "the first placement holds");
    assertEquals(Optional.of(placed), catalogue.find(new QueueRef(project, "orders")));
    assertEquals(1, queues(first));
    assertEquals(0, queues(second));
  }

  @Test
  void twoGatewaysPlacingTheSameQueuesAtOnceAgreeAndCountEachOnce() throws Exception {
    String flavor = flavor(false);
    String first = pool("a", 1, flavor);
    String second = pool("b", 1, flavor);
    int queues = 50;
    Catalogue other = new Catalogue(redis, scripts);
    ExecutorService gateways = Executors.newFixedThreadPool(2);
    try {
      Future<List<Placement>> low = gateways.submit(() -> placeAll(catalogue, queues, flavor, 0.1));
      Future<List<Placement>> high = gateways.submit(() -> placeAll(other, queues, flavor, 0.9));
      assertEquals(low.get(), high.get(), "both gateways see the first placement of each");
    } finally {
      gateways.shutdownNow();
    }
    assertEquals(queues, queues(first) + queues(second));
  }

  private List<Placement> placeAll(Catalogue gateway, int count, String flavor, double random) {
    List<Placement> placed = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      placed.add(gateway.place(new QueueRef(project, "q" + i), flavor, random));
    }
    return placed;
  }

  @Test
  void aQueueWithoutFlavorGoesAmongTheDefaultFlavorsPools() {
    String flavor = flavor(true);
    String pool = pool("a", 5, flavor);

    assertEquals(pool, place("orders", "", 0.0).pool());
  }

  @Test
  void withoutDefaultFlavorAQueueWithoutFlavorMayGoToEveryPoolDefaultFirst() {
    pool("a", 5, "");

    assertEquals(Placement.DEFAULT, place("orders", "", 0.0), "default has weight 1, first");
    assertTrue(catalogue.anyPoolBesidesDefault());
  }

  @Test
  void anUnknownFlavorIsInvalidAndAFlavorWithoutWeightIsALimit() {
    String flavor = flavor(false);
    pool("a", 0, flavor);

    var unknown = assertRefused(Reason.INVALID, () -> place("q", "no-" + tag, 0.5));
    assertTrue(unknown.getMessage().startsWith("metadata "), unknown.getMessage());
    assertRefused(Reason.LIMIT, () -> place("q", flavor, 0.5));
    assertEquals(Optional.empty(), catalogue.find(new QueueRef(project, "q")));
  }

  @Test
  void hostileNamesAreStoredAsTheyAreAndAHugeFlavorIsRefusedShort() {
    String flavor = flavor(false);
    String pool = pool("a", 1, flavor);
    String hostile = "%s* ') .. redis.call('FLUSHALL') -- {pools}\n";

    assertEquals(pool, place(hostile, flavor, 0.1).pool());
    assertEquals(Optional.of(Placement.in(pool)), catalogue.find(new QueueRef(project, hostile)));
    var huge = assertRefused(Reason.INVALID, () -> place("q", "x".repeat(100_000), 0.1));
    assertTrue(huge.getMessage().length() < 200, "the text stays short");
    assertRefused(Reason.INTERNAL, () -> place("q", flavor, 1.0));
  }

  @Test
  void forgettingAQueueDropsItsEntryAndItsCountsAlsoOfTheSourceOfAMigration() {
    String flavor = flavor(false);
    String source = pool("a", 1, flavor);
    String target = pool("b", 0, flavor);
    QueueRef moving = new QueueRef(project, "moving");
    place("moving", flavor, 0.0);
    // As a migration's start would: the entry names the target, and the target counts it too.
    redis.hset(Keys.placements(project), "moving", new Placement(target, source).encode());
    redis.hincrBy(Keys.pool(target), "q", 1);

    catalogue.forget(moving);
    catalogue.forget(moving);

    assertEquals(Optional.empty(), catalogue.find(moving));
    assertEquals(0, queues(source));
    assertEquals(0, queues(target));
  }

  @Test
  void aPlacementReadsBackAsItWasWritten() {
    Placement migrating = new Placement("b", "a");

    assertEquals(migrating, Placement.parse(migrating.encode()));
    assertTrue(migrating.migrating());
    assertEquals(Placement.in("a"), Placement.parse("a"));
    assertEquals("default", Placement.DEFAULT.encode());
  }

  private Placement place(String queue, String flavor, double random) {
    return catalogue.place(new QueueRef(project, queue), flavor, random);
  }

  private String pool(String suffix, int weight, String flavor) {
    String name = "t-" + tag + "-" + suffix;
    redis.hset(
        Keys.pool(name),
        java.util.Map.of(
            "uri", "redis://localhost:1", "w", Integer.toString(weight), "fl", flavor, "q", "0"));
    redis.zadd(Keys.POOL_NAMES, 0, name);
    pools.add(name);
    return name;
  }

  private String flavor(boolean isDefault) {
    String name = "f-" + tag + "-" + flavors.size();
    redis.hset(Keys.flavor(name), java.util.Map.of("cr", "1", "def", isDefault ? "1" : "0"));
    redis.zadd(Keys.FLAVOR_NAMES, 0, name);
    flavors.add(name);
    return name;
  }

  private long queues(String pool) {
    String q = redis.hget(Keys.pool(pool), "q");
    return q == null ? 0 : Long.parseLong(q);
  }

  private static ScriptRefusedException assertRefused(Reason reason, Executable call) {
    var refused = assertThrows(ScriptRefusedException.class, call);
    assertEquals(reason, refused.reason(), refused.getMessage());
    return refused;
  }
}
