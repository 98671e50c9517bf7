package io.kvdb.lua.redis;

import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/** Tells whether Redis serves commands: the gateway's health check. */
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

  /**
   * The pool's idle connections may all lead to the server that just went away; dropped now, the
   * first calls once Redis is back open fresh ones instead of failing on dead ones.
   */
  private void dropIdleConnections() {
    if (redis instanceof JedisPooled pooled) {
      pooled.getPool().clear();
    }
  }
}
