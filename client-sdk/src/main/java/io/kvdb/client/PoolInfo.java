package io.kvdb.client;

import io.kvdb.proto.StructValues;
import io.kvdb.proto.v1.Pool;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A pool as the gateway shows it: {@code uri} without credentials, {@code queues} placed in it,
 * whether the gateway reached it at its last look, its topology ({@code standalone}, {@code
 * cluster} or {@code sentinel}), and when it was registered (empty for "default" until updated).
 */
public record PoolInfo(
    String name,
    String uri,
    int weight,
    String flavor,
    Map<String, Object> options,
    long queues,
    boolean serving,
    String topology,
    Optional<Instant> createTime) {
  public PoolInfo {
    options = Map.copyOf(options);
  }

  static PoolInfo of(Pool pool) {
    return new PoolInfo(
        pool.getName(),
        pool.getUri(),
        pool.getWeight(),
        pool.getFlavor(),
        StructValues.toMap(pool.getOptions()),
        pool.getQueues(),
        pool.getServing(),
        pool.getTopology(),
        pool.hasCreateTime()
            ? Optional.of(ProtoTimes.instant(pool.getCreateTime()))
            : Optional.empty());
  }
}
