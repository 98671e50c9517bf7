package io.kvdb.lua.redis;

import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Tells whether Redis serves commands: the gateway's health check. A standalone server or a
 * Sentinel-watched primary is pinged. A Redis Cluster is ready while it says every slot has a
 * primary that answers ({@code cluster_state:ok}), as the first node that replies judges it: calls
 * on any key can succeed then, and none can be promised while a slot is without a primary.
 */
public final class RedisProbe {
  /** What a {@code PING} found. Only {@link #READY} means calls can succeed. */
  public enum Answer {
    READY,
    /** Restarting from its AOF or RDB: it refuses every command until the data set is back. */
    LOADING,
    /** Another error reply, such as {@code BUSY} while a script runs too long. */
    REFUSING,
    /** No connection, or none free, within the client's timeout. */
    UNREACHABLE
  }

  private final UnifiedJedis redis;

  public RedisProbe(UnifiedJedis redis) {
    this.redis = redis;
  }

  /** Pings Redis once; bounded by the client's connect, pool and socket timeouts. */
  public Answer ping() {
    if (redis instanceof RedisClusterClient cluster) {
      return askCluster(cluster);
    }
    try {
      redis.ping();
      return Answer.READY;
    } catch (JedisConnectionException unreachable) {
      dropIdleConnections();
      return Answer.UNREACHABLE;
    } catch (JedisDataException refused) {
      String message = refused.getMessage();
      return message != null && message.startsWith("LOADING") ? Answer.LOADING : Answer.REFUSING;
    } catch (RuntimeException noConnection) {
      return Answer.UNREACHABLE;
    }
  }

  private static Answer askCluster(RedisClusterClient cluster) {
    for (ConnectionPool node : cluster.getClusterNodes().values()) {
      try (Connection connection = node.getResource()) {
        String info = RedisConnector.reply(connection, Protocol.Command.CLUSTER, "INFO");
        boolean ok =
            RedisConnector.infoField(info, "cluster_state").map("ok"::equals).orElse(false);
        return ok ? Answer.READY : Answer.REFUSING;
      } catch (JedisDataException refused) {
        String message = refused.getMessage();
        if (message != null && message.startsWith("LOADING")) {
          return Answer.LOADING;
        }
      } catch (RuntimeException unreachable) {
        node.clear();
      }
    }
    return Answer.UNREACHABLE;
  }

  /**
   * The pool's idle connections may all lead to the server that just went away; dropped now, the
   * first calls once Redis is back open fresh ones instead of failing on dead ones.
   */
  private void dropIdleConnections() {
    if (redis instanceof RedisClient pooled) {
      pooled.getPool().clear();
    }
  }
}
