package io.kvdb.gateway.pools;

/** How this gateway reaches each pool, for Pool.serving and the flavors' capabilities. */
public interface PoolHealth {
  /** The pool's reach; for a pool it never reached, not serving. Never throws for Redis. */
  PoolReach reach(String pool);
}
