package io.kvdb.gateway.pools;

import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A pool this gateway cannot use now (not reached when last tried, or not yet known): its queues'
 * calls answer UNAVAILABLE, as for any Redis out of reach. Names the pool, never its URI (which may
 * hold a password).
 */
public final class PoolUnavailableException extends JedisConnectionException {
  public PoolUnavailableException(String pool, String why) {
    super("pool " + pool + " " + why);
  }
}
