package io.kvdb.gateway.pools;

/** A pool as this gateway last saw it: answering, its topology, whether it has replicas. */
public record PoolReach(boolean serving, String topology, boolean replicated) {}
