package io.kvdb.gateway.pools;

import io.kvdb.lua.Keys;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.redis.RedisConnector;
import io.kvdb.lua.redis.RedisServerProcess;
import java.net.URI;
import redis.clients.jedis.UnifiedJedis;

/** Pools and placements as the tests set them up, in the control Redis. */
final class TestPools {
  private TestPools() {}

  static UnifiedJedis connect(RedisServerProcess server) {
    return RedisConnector.connect(server.uri(), RedisConnector.Settings.DEFAULT);
  }

  /** Registers a pool and announces it. */
  static void register(UnifiedJedis control, String name, URI uri, int weight) {
    control.hset(Keys.pool(name), "u", uri.toString());
    control.hset(Keys.pool(name), "w", Integer.toString(weight));
    control.zadd(Keys.POOL_NAMES, 0, name);
    control.publish(Keys.PLACEMENT_CHANNEL, "pool:" + name);
  }

  static void unregister(UnifiedJedis control, String name) {
    control.zrem(Keys.POOL_NAMES, name);
    control.del(Keys.pool(name));
    control.publish(Keys.PLACEMENT_CHANNEL, "pool:" + name);
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
