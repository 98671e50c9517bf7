package io.kvdb.lua.redis;

import redis.clients.jedis.UnifiedJedis;

/** Tells whether Redis answers at all: the gateway's health check. */
public final class RedisProbe {
  private final UnifiedJedis redis;

  public RedisProbe(UnifiedJedis redis) {
    this.redis = redis;
  }

  /** True when Redis answers {@code PING} within the client's timeout. */
  public boolean answers() {
    try {
      redis.ping();
      return true;
    } catch (RuntimeException unreachable) {
      return false;
    }
  }
}
