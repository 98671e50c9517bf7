/**
 * Pools, flavors and the catalogue over the {@code pools/*}, {@code flavors/*} and {@code
 * catalogue/*} scripts, all in the control Redis under the one hash tag {@code {pools}} (layout in
 * {@code lua/scripts/lib/pools.lua}).
 */
package io.kvdb.lua.pools;
