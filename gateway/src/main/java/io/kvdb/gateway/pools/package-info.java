/**
 * Pools and flavors at the gateway: the administrators' {@code PoolService} and {@code
 * FlavorService} (served with {@code --admin-api} only) and what a gateway knows of reaching each
 * pool ({@link io.kvdb.gateway.pools.PoolHealth}).
 */
package io.kvdb.gateway.pools;
