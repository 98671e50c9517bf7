package io.kvdb.conformance.pools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.kvdb.client.FlavorInfo;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.KvdbClientOptions;
import io.kvdb.client.KvdbException;
import io.kvdb.client.NewPool;
import io.kvdb.client.PoolChange;
import io.kvdb.client.PoolInfo;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.lua.redis.RedisServerProcess;
import io.kvdb.proto.v1.ErrorReason;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import redis.clients.jedis.Jedis;

/**
 * The pool and flavor API through {@code kvdb.admin().pools()} and {@code .flavors()}: a second
 * real Redis registered as a pool, the rules the gateway keeps (fields named, names unique,
 * "default" always there, a flavor in use kept), and nothing served without {@code --admin-api}.
 */
class PoolsConformanceTest {
  private static RedisServerProcess control;
  private static RedisServerProcess second;
  private static Gateway gateway;

  private final String tag = UUID.randomUUID().toString().substring(0, 8);
  private KvdbClient kvdb;

  @BeforeAll
  static void start() {
    control = RedisServerProcess.startEmbedded();
    second = RedisServerProcess.startEmbedded();
    gateway = KvdbTarget.ownGateway("--admin-api", "--redis", control.uri().toString());
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (second != null) {
      second.close();
    }
    if (control != null) {
      control.close();
    }
  }

  @AfterEach
  void closeClient() {
    if (kvdb != null) {
      kvdb.close();
    }
  }

  private KvdbClient kvdb() {
    if (kvdb == null) {
      kvdb =
          KvdbClient.create(
              KvdbClientOptions.newBuilder()
                  .setTarget("127.0.0.1:" + gateway.port())
                  .setProject(KvdbTarget.freshProject())
                  .build());
    }
    return kvdb;
  }

  @Test
  void aSecondRedisIsRegisteredReadListedChangedAndForgotten() {
    var pools = kvdb().admin().pools();
    String flavor = "fast-" + tag;
    kvdb().admin().flavors().create(flavor, false);
    String name = "eu-" + tag;

    PoolInfo created =
        pools.create(
            NewPool.of(name, second.uri().toString())
                .withWeight(5)
                .withFlavor(flavor)
                .withOptions(Map.of("region", "eu")));

    assertEquals(name, created.name());
    assertEquals("redis://" + second.uri().getAuthority(), created.uri());
    assertEquals(5, created.weight());
    assertEquals(flavor, created.flavor());
    assertEquals(Map.of("region", "eu"), created.options());
    assertEquals(0, created.queues());
    assertTrue(created.serving(), created.toString());
    assertEquals("standalone", created.topology());
    assertTrue(created.createTime().isPresent());
    assertTrue(scriptsLoadedOn(second), "CreatePool loaded the scripts on the pool");
    assertEquals(created, pools.get(name));
    List<String> names = pools.list().stream().map(PoolInfo::name).toList();
    assertTrue(names.contains("default") && names.contains(name), names.toString());
    assertEquals(names.stream().sorted().toList(), names, "in name order");
    FlavorInfo served = kvdb().admin().flavors().get(flavor);
    assertEquals(List.of(name), served.pools());
    assertTrue(served.has("serving"), served.toString());
    assertFalse(served.has("cluster"), served.toString());

    PoolInfo drained = pools.update(name, PoolChange.weight(0));
    assertEquals(0, drained.weight());
    assertEquals(flavor, drained.flavor(), "what the change does not name is kept");
    assertEquals(Map.of("region", "eu"), drained.options());
    assertEquals("", pools.update(name, PoolChange.flavor("")).flavor());

    pools.delete(name);
    assertRefused(Status.Code.NOT_FOUND, ErrorReason.NOT_FOUND, () -> pools.get(name));
    assertRefused(Status.Code.NOT_FOUND, ErrorReason.NOT_FOUND, () -> pools.delete(name));
  }

  @Test
  void badPoolsAreRefusedNamingTheirField() {
    var pools = kvdb().admin().pools();
    String uri = second.uri().toString();
    String name = "p-" + tag;

    assertInvalid("pool.name", () -> pools.create(NewPool.of("a b", uri)));
    assertInvalid("pool.name", () -> pools.create(NewPool.of("", uri)));
    assertInvalid("pool.uri", () -> pools.create(NewPool.of(name, "")));
    assertInvalid("pool.uri", () -> pools.create(NewPool.of(name, "http://h:1")));
    assertInvalid("pool.weight", () -> pools.create(NewPool.of(name, uri).withWeight(1001)));
    assertInvalid("pool.weight", () -> pools.create(NewPool.of(name, uri).withWeight(-1)));
    assertInvalid(
        "pool.flavor", () -> pools.create(NewPool.of(name, uri).withFlavor("none-" + tag)));
    assertInvalid(
        "pool.options",
        () -> pools.create(NewPool.of(name, uri).withOptions(Map.of("x", "y".repeat(5000)))));
    assertInvalid("flavor.name", () -> kvdb().admin().flavors().create("x".repeat(65), false));
    assertRefused(Status.Code.NOT_FOUND, ErrorReason.NOT_FOUND, () -> pools.get(name));
  }

  @Test
  void namesAreUniqueAndDefaultAlwaysExists() {
    var pools = kvdb().admin().pools();
    String name = "p-" + tag;
    pools.create(NewPool.of(name, second.uri().toString()));
    String flavor = "f-" + tag;
    kvdb().admin().flavors().create(flavor, false);

    assertRefused(
        Status.Code.ALREADY_EXISTS,
        ErrorReason.EXISTS,
        () -> pools.create(NewPool.of(name, second.uri().toString())));
    assertRefused(
        Status.Code.ALREADY_EXISTS,
        ErrorReason.EXISTS,
        () -> pools.create(NewPool.of("default", second.uri().toString())));
    assertRefused(
        Status.Code.ALREADY_EXISTS,
        ErrorReason.EXISTS,
        () -> kvdb().admin().flavors().create(flavor, true));

    PoolInfo standard = pools.get("default");
    assertEquals("redis://" + control.uri().getAuthority(), standard.uri());
    assertTrue(standard.weight() >= 0, standard.toString());
    assertTrue(standard.serving(), standard.toString());
    assertTrue(pools.list().stream().anyMatch(pool -> pool.name().equals("default")));
    assertRefused(
        Status.Code.FAILED_PRECONDITION, ErrorReason.IN_USE, () -> pools.delete("default"));
    pools.delete(name);
    kvdb().admin().flavors().delete(flavor);
  }

  @Test
  void aFlavorAPoolServesIsKeptAndOneDefaultAtMost() {
    var flavors = kvdb().admin().flavors();
    String first = "a-" + tag;
    String next = "b-" + tag;
    flavors.create(first, true);
    flavors.create(next, false);
    String pool = "p-" + tag;
    kvdb().admin().pools().create(NewPool.of(pool, second.uri().toString()).withFlavor(next));

    assertRefused(Status.Code.FAILED_PRECONDITION, ErrorReason.IN_USE, () -> flavors.delete(next));
    assertTrue(flavors.setDefault(next, true).isDefault());
    assertFalse(flavors.get(first).isDefault(), "the previous default is ordinary now");
    assertEquals(
        1, flavors.list().stream().filter(FlavorInfo::isDefault).count(), "one default at most");

    kvdb().admin().pools().update(pool, PoolChange.flavor(""));
    flavors.delete(next);
    flavors.delete(first);
    kvdb().admin().pools().delete(pool);
    assertRefused(Status.Code.NOT_FOUND, ErrorReason.NOT_FOUND, () -> flavors.get(next));
  }

  @Test
  void oneDeploymentServesOnePoolOnly() {
    var pools = kvdb().admin().pools();
    String one = "one-" + tag;
    pools.create(NewPool.of(one, second.uri().toString()));

    KvdbException twice =
        assertRefused(
            Status.Code.FAILED_PRECONDITION,
            ErrorReason.IN_USE,
            () -> pools.create(NewPool.of("two-" + tag, second.uri().toString())));
    assertEquals("pool.uri", twice.field().orElse(""), twice.getMessage());
    assertRefused(
        Status.Code.FAILED_PRECONDITION,
        ErrorReason.IN_USE,
        () -> pools.create(NewPool.of("control-" + tag, control.uri().toString())));

    pools.delete(one);
    pools.create(NewPool.of("two-" + tag, second.uri().toString()));
    pools.delete("two-" + tag);
  }

  @Test
  void aPoolNothingAnswersAtIsRefusedNamingItsUriWithoutItsPassword() {
    KvdbException refused =
        assertThrows(
            KvdbException.class,
            () ->
                kvdb()
                    .admin()
                    .pools()
                    .create(NewPool.of("gone-" + tag, "redis://kvdb:s3cret-pw@127.0.0.1:1")));

    assertEquals(Status.Code.FAILED_PRECONDITION, refused.code(), refused.getMessage());
    assertEquals("pool.uri", refused.field().orElse(""), refused.getMessage());
    assertFalse(refused.getMessage().contains("s3cret-pw"), refused.getMessage());
    assertRefused(
        Status.Code.NOT_FOUND,
        ErrorReason.NOT_FOUND,
        () -> kvdb().admin().pools().get("gone-" + tag));
  }

  @Test
  void withoutTheFlagNoPoolOrFlavorCallIsServed() {
    try (Gateway plain = KvdbTarget.ownGateway("--redis", control.uri().toString());
        KvdbClient shared =
            KvdbClient.create(
                KvdbClientOptions.newBuilder()
                    .setTarget("127.0.0.1:" + plain.port())
                    .setProject(KvdbTarget.freshProject())
                    .build())) {
      assertEquals(
          Status.Code.UNIMPLEMENTED,
          assertThrows(KvdbException.class, () -> shared.admin().pools().list()).code());
      assertEquals(
          Status.Code.UNIMPLEMENTED,
          assertThrows(KvdbException.class, () -> shared.admin().flavors().list()).code());
    }
  }

  /** Whether the server holds scripts: a fresh one holds none until CreatePool loads them. */
  private static boolean scriptsLoadedOn(RedisServerProcess redis) {
    try (Jedis jedis = new Jedis(redis.uri())) {
      return jedis
          .info("memory")
          .lines()
          .filter(line -> line.startsWith("number_of_cached_scripts:"))
          .anyMatch(line -> Integer.parseInt(line.substring(line.indexOf(':') + 1).trim()) > 0);
    }
  }

  private static void assertInvalid(String field, Executable call) {
    KvdbException refused = assertRefused(Status.Code.INVALID_ARGUMENT, ErrorReason.INVALID, call);
    assertEquals(field, refused.field().orElse(""), refused.getMessage());
  }

  private static KvdbException assertRefused(
      Status.Code code, ErrorReason reason, Executable call) {
    KvdbException error = assertThrows(KvdbException.class, call);
    assertEquals(code, error.code(), error.getMessage());
    assertEquals(reason, error.reason(), error.getMessage());
    return error;
  }
}
