package io.kvdb.lua.redis;

/** A redis-server of a {@link LocalCluster} or {@link LocalSentinel}, and its role right now. */
public record LocalNode(int port, Role role) {
  /** As the server reports it; roles change after a failover. */
  public enum Role {
    PRIMARY,
    REPLICA,
    /** Killed, or not answering. */
    DOWN
  }
}
