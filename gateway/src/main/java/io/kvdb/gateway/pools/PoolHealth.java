package io.kvdb.gateway.pools;

/** Whether this gateway reaches a pool, and what the pool is, at its last look. */
public interface PoolHealth {
  PoolReach reach(String pool);
}
