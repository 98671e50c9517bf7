package io.kvdb.lua.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.SafeEncoder;

/**
 * Opens the pooled Redis client KVDB talks through, for any deployment a {@link RedisAddress}
 * names: a standalone server, a Redis Cluster (listed, or found by asking the one node named), or
 * the primary a group of Sentinels watches. Callers see only {@link UnifiedJedis}, so domain code
 * is the same on all three. Every command borrows a connection and returns it at once: none is held
 * across a wait.
 */
public final class RedisConnector {
  /** How often a cluster client reloads the slot map even when no reply told it to. */
  private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(5);

  private RedisConnector() {}

  /**
   * The pool size (per node), the socket timeout that bounds every command, and for a {@code
   * rediss} URL the TLS sockets to use (trusting a CA of its own, presenting a client certificate);
   * without them, the JVM's default trust store.
   */
  public record Settings(int poolSize, Duration timeout, Optional<SSLSocketFactory> tls) {
    public static final Settings DEFAULT = new Settings(64, Duration.ofSeconds(2));

    public Settings(int poolSize, Duration timeout) {
      this(poolSize, timeout, Optional.empty());
    }
  }

  public static UnifiedJedis connect(URI url, Settings settings) {
    RedisAddress address = RedisAddress.parse(url);
    JedisClientConfig nodes =
        clientConfig(address, address.user(), address.password(), address.database(), settings);
    return switch (address.kind()) {
      case NODE ->
          isClusterNode(address.firstNode(), nodes)
              ? cluster(address, nodes, settings)
              : RedisClient.builder()
                  .hostAndPort(address.firstNode())
                  .clientConfig(nodes)
                  .poolConfig(pool(settings))
                  .build();
      case CLUSTER -> cluster(address, nodes, settings);
      case SENTINEL ->
          RedisSentinelClient.builder()
              .masterName(address.masterName().orElseThrow())
              .sentinels(address.nodes())
              .clientConfig(nodes)
              .sentinelClientConfig(
                  clientConfig(
                      address, address.sentinelUser(), address.sentinelPassword(), 0, settings))
              .poolConfig(pool(settings))
              .build();
    };
  }

  /** What kind of deployment a client of {@link #connect} talks to, for the start-up log. */
  public static String topology(UnifiedJedis redis) {
    if (redis instanceof RedisClusterClient cluster) {
      return "a Redis Cluster of " + cluster.getClusterNodes().size() + " nodes";
    }
    if (redis instanceof RedisSentinelClient sentinel) {
      return "the Sentinel-watched primary now at " + sentinel.getCurrentMaster();
    }
    return "a standalone server";
  }

  /** The server's version, from {@code INFO server} (of any node of a cluster). */
  public static String serverVersion(UnifiedJedis redis) {
    return infoField(redis.info("server"), "redis_version").orElse("unknown");
  }

  static Optional<String> infoField(String info, String field) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return Optional.of(line.substring(field.length() + 1).trim());
      }
    }
    return Optional.empty();
  }

  private static RedisClusterClient cluster(
      RedisAddress address, JedisClientConfig nodes, Settings settings) {
    return RedisClusterClient.builder()
        .nodes(address.nodes())
        .clientConfig(nodes)
        .poolConfig(pool(settings))
        // A call in a failover gap fails within about one timeout (the SDK retries idempotent
        // ones), instead of several while the cluster promotes a replica.
        .maxTotalRetriesDuration(settings.timeout())
        .topologyRefreshPeriod(TOPOLOGY_REFRESH)
        .build();
  }

  /** Asks the one node a URL names whether it belongs to a cluster. */
  private static boolean isClusterNode(HostAndPort node, JedisClientConfig config) {
    try (Connection connection = new Connection(node, config)) {
      String info = reply(connection, Protocol.Command.INFO, "cluster");
      return infoField(info, "cluster_enabled").map("1"::equals).orElse(false);
    }
  }

  /** Runs one command on one node and reads its reply as text. */
  static String reply(Connection connection, Protocol.Command command, String... args) {
    Object reply =
        connection.executeCommand(new CommandArguments(command).addObjects((Object[]) args));
    return reply instanceof byte[] bytes ? SafeEncoder.encode(bytes) : String.valueOf(reply);
  }

  private static JedisClientConfig clientConfig(
      RedisAddress address,
      Optional<String> user,
      Optional<String> password,
      int database,
      Settings settings) {
    int timeoutMillis = (int) settings.timeout().toMillis();
    return DefaultJedisClientConfig.builder()
        .user(user.orElse(null))
        .password(password.orElse(null))
        .database(database)
        .ssl(address.tls())
        // Jedis checks the certificate's host name against the node's whenever it is given no
        // SSLParameters of its own.
        .sslSocketFactory(settings.tls().orElse(null))
        .connectionTimeoutMillis(timeoutMillis)
        .socketTimeoutMillis(timeoutMillis)
        .clientName("kvdb")
        .build();
  }

  private static GenericObjectPoolConfig<Connection> pool(Settings settings) {
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(settings.poolSize());
    pool.setMaxIdle(settings.poolSize());
    pool.setMinIdle(Math.min(4, settings.poolSize()));
    pool.setMaxWait(settings.timeout());
    pool.setJmxEnabled(false);
    return pool;
  }
}
