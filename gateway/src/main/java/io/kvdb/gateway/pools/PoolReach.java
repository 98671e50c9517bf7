package io.kvdb.gateway.pools;

/**
 * What this gateway saw of a pool at its last look: whether it answered, its topology ({@code
 * standalone}, {@code cluster} or {@code sentinel}) and whether it has a replica.
 */
public record PoolReach(boolean serving, String topology, boolean replicated) {
  public static final String STANDALONE = "standalone";
  public static final String CLUSTER = "cluster";
  public static final String SENTINEL = "sentinel";
}
