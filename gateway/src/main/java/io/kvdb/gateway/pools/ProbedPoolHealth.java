package io.kvdb.gateway.pools;

import io.kvdb.lua.pools.Placement;
import io.kvdb.lua.pools.Pools;
import io.kvdb.lua.redis.RedisAddress;
import io.kvdb.lua.redis.RedisConnector;
import io.kvdb.lua.redis.RedisProbe;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Looks at a pool when asked: a ping and an {@code INFO replication}, over one client per pool URI
 * kept for later looks. "default" is the control Redis. Each look is bounded by the Redis timeout.
 */
public final class ProbedPoolHealth implements PoolHealth, AutoCloseable {
  private static final Pattern REPLICAS = Pattern.compile("(?m)^connected_slaves:(\\d+)");

  private final UnifiedJedis control;
  private final Pools pools;
  private final RedisConnector.Settings settings;
  private final Map<String, UnifiedJedis> clients = new ConcurrentHashMap<>();

  public ProbedPoolHealth(UnifiedJedis control, Pools pools, RedisConnector.Settings settings) {
    this.control = control;
    this.pools = pools;
    this.settings = settings;
  }

  @Override
  public PoolReach reach(String pool) {
    if (pool.equals(Placement.DEFAULT_POOL)) {
      return look(control);
    }
    String uri;
    try {
      uri = pools.get(pool).uri();
    } catch (RuntimeException gone) {
      return new PoolReach(false, "", false);
    }
    try {
      return look(
          clients.computeIfAbsent(uri, u -> RedisConnector.connect(URI.create(u), settings)));
    } catch (RuntimeException unreachable) {
      return new PoolReach(false, topology(RedisAddress.parse(URI.create(uri)).kind()), false);
    }
  }

  private static PoolReach look(UnifiedJedis redis) {
    String topology = topology(redis);
    if (new RedisProbe(redis).ping() != RedisProbe.Answer.READY) {
      return new PoolReach(false, topology, false);
    }
    boolean replicated;
    try {
      Matcher replicas = REPLICAS.matcher(redis.info("replication"));
      replicated = replicas.find() && Integer.parseInt(replicas.group(1)) > 0;
    } catch (RuntimeException refused) {
      replicated = false;
    }
    return new PoolReach(true, topology, replicated);
  }

  private static String topology(UnifiedJedis redis) {
    if (redis instanceof RedisClusterClient) {
      return PoolReach.CLUSTER;
    }
    return redis instanceof RedisSentinelClient ? PoolReach.SENTINEL : PoolReach.STANDALONE;
  }

  private static String topology(RedisAddress.Kind kind) {
    return switch (kind) {
      case NODE -> PoolReach.STANDALONE;
      case CLUSTER -> PoolReach.CLUSTER;
      case SENTINEL -> PoolReach.SENTINEL;
    };
  }

  @Override
  public void close() {
    clients.values().forEach(UnifiedJedis::close);
    clients.clear();
  }
}
