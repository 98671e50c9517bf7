package io.kvdb.lua.redis;

import java.net.URI;
import java.time.Duration;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Opens the pooled Redis client KVDB talks through, from a {@code redis://} or {@code rediss://}
 * URL with optional user, password and database ({@code redis://user:pass@host:6379/2}). Callers
 * see only {@link UnifiedJedis}, so a cluster client can replace the pool without touching domain
 * code. Every command borrows a connection and returns it at once: none is held across a wait.
 */
public final class RedisConnector {
  private RedisConnector() {}

  /** The pool size and the socket timeout that bounds every command. */
  public record Settings(int poolSize, Duration timeout) {
    public static final Settings DEFAULT = new Settings(64, Duration.ofSeconds(2));
  }

  public static UnifiedJedis connect(URI url, Settings settings) {
    if (!JedisURIHelper.isValid(url)) {
      throw new IllegalArgumentException("not a Redis URL (redis://host:port[/db]): " + url);
    }
    int timeoutMillis = (int) settings.timeout().toMillis();
    DefaultJedisClientConfig config =
        DefaultJedisClientConfig.builder()
            .user(JedisURIHelper.getUser(url))
            .password(JedisURIHelper.getPassword(url))
            .database(JedisURIHelper.getDBIndex(url))
            .ssl(JedisURIHelper.isRedisSSLScheme(url))
            .connectionTimeoutMillis(timeoutMillis)
            .socketTimeoutMillis(timeoutMillis)
            .clientName("kvdb")
            .build();
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(settings.poolSize());
    pool.setMaxIdle(settings.poolSize());
    pool.setMinIdle(Math.min(4, settings.poolSize()));
    pool.setMaxWait(settings.timeout());
    pool.setJmxEnabled(false);
    return new JedisPooled(JedisURIHelper.getHostAndPort(url), config, pool);
  }

  /** The server's version, from {@code INFO server}. */
  public static String serverVersion(UnifiedJedis redis) {
    String info = redis.info("server");
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("redis_version:")) {
        return line.substring("redis_version:".length()).trim();
      }
    }
    return "unknown";
  }
}
