package io.kvdb.gateway.pools;

import io.kvdb.lua.Keys;
import io.kvdb.lua.pools.Pools;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.redis.RedisConnector;
import io.kvdb.lua.redis.RedisServerProcess;
import io.kvdb.lua.script.ScriptRegistry;
import java.net.URI;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * Pools and placements as the tests set them up, in the control Redis: pools through {@link Pools},
 * catalogue entries written as they are stored ({@code lua/scripts/lib/pools.lua}), unannounced and
 * uncounted.
 */
final class TestPools {
  private TestPools() {}

  static UnifiedJedis connect(RedisServerProcess server) {
    return RedisConnector.connect(server.uri(), RedisConnector.Settings.DEFAULT);
  }

  /** Registers a pool without a flavor, which is announced. */
  static void register(UnifiedJedis control, String name, URI uri, int weight) {
    pools(control).create(name, uri.toString(), weight, "", Map.of());
  }

  static void unregister(UnifiedJedis control, String name) {
    pools(control).delete(name);
  }

  private static Pools pools(UnifiedJedis control) {
    return new Pools(ScriptRegistry.load(control));
  }

  /** Writes the queue's catalogue entry, announcing nothing. */
  static void place(UnifiedJedis control, QueueRef queue, String pool) {
    control.hset(Keys.placements(queue.project()), queue.name(), pool);
  }

  static void forget(UnifiedJedis control, QueueRef queue) {
    control.hdel(Keys.placements(queue.project()), queue.name());
  }

  /** The queue's catalogue entry, null when it has none. */
  static String placement(UnifiedJedis control, QueueRef queue) {
    return control.hget(Keys.placements(queue.project()), queue.name());
  }
}
