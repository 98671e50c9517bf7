package io.kvdb.lua.pools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import redis.clients.jedis.UnifiedJedis;

/** The pool and flavor scripts, called directly: each test names its own and removes them. */
@WithRedis
class PoolsTest {
  private final String tag = UUID.randomUUID().toString().substring(0, 8);
  private final List<String> poolNames = new ArrayList<>();
  private final List<String> flavorNames = new ArrayList<>();
  private final UnifiedJedis redis;
  private final Pools pools;
  private final Flavors flavors;
  private final Catalogue catalogue;

  PoolsTest(UnifiedJedis redis, ScriptRegistry scripts) {
    this.redis = redis;
    this.pools = new Pools(scripts);
    this.flavors = new Flavors(scripts);
    this.catalogue = new Catalogue(redis, scripts);
  }

  @AfterEach
  void removeThem() {
    poolNames.forEach(
        name -> {
          redis.del(Keys.pool(name));
          redis.zrem(Keys.POOL_NAMES, name);
        });
    flavorNames.forEach(
        name -> {
          redis.del(Keys.flavor(name));
          redis.zrem(Keys.FLAVOR_NAMES, name);
        });
  }

  @Test
  void aPoolIsCreatedReadListedUpdatedAndDeleted() {
    String flavor = flavor("f", false);
    String name = name("p");

    PoolRecord created = pools.create(name, "redis://h:1", 5, flavor, Map.of("note", "x", "n", 3L));

    assertEquals(
        new PoolRecord(name, "redis://h:1", 5, flavor, Map.of("note", "x", "n", 3L), 0, null),
        new PoolRecord(
            created.name(),
            created.uri(),
            created.weight(),
            created.flavor(),
            created.options(),
            created.queues(),
            null));
    assertNotNull(created.created());
    assertEquals(created, pools.get(name));
    assertTrue(pools.list().contains(created));
    assertEquals("default", pools.list().get(0).name());

    PoolRecord updated = pools.update(name, new PoolUpdate(0, "", null));
    assertEquals(0, updated.weight());
    assertEquals("", updated.flavor());
    assertEquals(created.options(), updated.options(), "options kept");

    pools.delete(name);
    assertRefused(Reason.NOT_FOUND, () -> pools.get(name));
    assertRefused(Reason.NOT_FOUND, () -> pools.delete(name));
    assertRefused(Reason.NOT_FOUND, () -> pools.update(name, new PoolUpdate(1, null, null)));
  }

  @Test
  void badSettingsAreRefusedNamingTheirField() {
    String name = name("p");

    assertInvalid("pool.weight", () -> pools.create(name, "redis://h:1", 1001, "", Map.of()));
    assertInvalid(
        "pool.flavor", () -> pools.create(name, "redis://h:1", 1, "none-" + tag, Map.of()));
    assertInvalid("pool.name", () -> pools.create("a b", "redis://h:1", 1, "", Map.of()));
    assertInvalid(
        "pool.options",
        () -> pools.create(name, "redis://h:1", 1, "", Map.of("big", "x".repeat(5000))));
    assertInvalid("pool.uri", () -> pools.create(name, "", 1, "", Map.of()));
    assertFalse(redis.exists(Keys.pool(name)), "nothing written");

    pools.create(name, "redis://h:1", 1, "", Map.of());
    assertRefused(Reason.EXISTS, () -> pools.create(name, "redis://h:2", 1, "", Map.of()));
    assertRefused(Reason.EXISTS, () -> pools.create("default", "redis://h:2", 1, "", Map.of()));
  }

  @Test
  void aPoolQueuesLiveInCannotBeDeletedNorCanDefault() {
    String flavor = flavor("f", false);
    String name = name("p");
    pools.create(name, "redis://h:1", 1, flavor, Map.of());
    QueueRef queue = new QueueRef("lua-" + UUID.randomUUID(), "q");
    catalogue.place(queue, flavor, 0.5);

    assertEquals(1, pools.get(name).queues());
    assertRefused(Reason.IN_USE, () -> pools.delete(name));
    assertRefused(Reason.IN_USE, () -> pools.delete("default"));
    assertRefused(Reason.IN_USE, () -> flavors.delete(flavor));

    catalogue.forget(queue);
    pools.delete(name);
    flavors.delete(flavor);
    assertRefused(Reason.NOT_FOUND, () -> flavors.get(flavor));
  }

  @Test
  void defaultAlwaysExistsAndItsFirstUpdateWritesItsRecordWithoutUri() {
    PoolRecord before = pools.get("default");
    assertEquals("", before.uri());
    try {
      PoolRecord updated = pools.update("default", new PoolUpdate(7, null, null));
      assertEquals(7, updated.weight());
      assertEquals("", updated.uri());
      assertNotNull(updated.created());
      assertEquals(updated, pools.get("default"));
      assertFalse(redis.zrange(Keys.POOL_NAMES, 0, -1).contains("default"));
    } finally {
      redis.hset(Keys.pool("default"), "w", Integer.toString(before.weight()));
    }
  }

  @Test
  void oneFlavorAtMostIsTheDefaultAndListsShowTheirPools() {
    String first = flavor("a", true);
    String second = flavor("b", false);
    String pool = name("p");
    pools.create(pool, "redis://h:1", 1, second, Map.of());

    assertTrue(flavors.get(first).isDefault());
    FlavorRecord made = flavors.update(second, true);

    assertTrue(made.isDefault());
    assertEquals(List.of(pool), made.pools());
    assertFalse(flavors.get(first).isDefault(), "the previous default is ordinary now");
    List<FlavorRecord> listed =
        flavors.list().stream().filter(f -> flavorNames.contains(f.name())).toList();
    assertEquals(List.of(first, second), listed.stream().map(FlavorRecord::name).toList());
    assertEquals(List.of(pool), listed.get(1).pools());
    assertEquals(List.of(), listed.get(0).pools());
    assertFalse(flavors.update(second, false).isDefault());
    assertRefused(Reason.EXISTS, () -> flavors.create(first, false));
    assertInvalid("flavor.name", () -> flavors.create("x".repeat(65), false));
  }

  private String name(String suffix) {
    String name = "t-" + tag + "-" + suffix;
    poolNames.add(name);
    return name;
  }

  private String flavor(String suffix, boolean isDefault) {
    String name = "f-" + tag + "-" + suffix;
    flavorNames.add(name);
    flavors.create(name, isDefault);
    return name;
  }

  private static void assertInvalid(String field, Executable call) {
    var refused = assertRefused(Reason.INVALID, call);
    assertEquals(field, refused.getMessage().split(" ", 2)[0], refused.getMessage());
  }

  private static ScriptRefusedException assertRefused(Reason reason, Executable call) {
    var refused = assertThrows(ScriptRefusedException.class, call);
    assertEquals(reason, refused.reason(), refused.getMessage());
    return refused;
  }
}
