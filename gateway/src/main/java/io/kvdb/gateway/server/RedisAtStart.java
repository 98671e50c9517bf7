package io.kvdb.gateway.server;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The gateway's first steps on Redis (connecting, loading the scripts) wait up to {@link #PATIENCE}
 * for a Redis that is busy (a starved machine answers after the timeout) or still loading its data
 * after a restart; a Redis that refuses the connection or the step fails the start at once.
 */
final class RedisAtStart {
  private static final Logger log = LoggerFactory.getLogger(RedisAtStart.class);
  static final Duration PATIENCE = Duration.ofSeconds(10);

  private RedisAtStart() {}

  static <T> T patiently(String where, Supplier<T> step) {
    long giveUp = System.nanoTime() + PATIENCE.toNanos();
    Duration pause = Duration.ofMillis(100);
    while (true) {
      try {
        return step.get();
      } catch (JedisException failure) {
        if (!isBusyOrLoading(failure) || System.nanoTime() + pause.toNanos() > giveUp) {
          throw failure;
        }
        log.warn(
            "{} is not ready ({}); trying again in {} ms",
            where,
            failure.getMessage(),
            pause.toMillis());
        sleep(pause);
        pause = pause.multipliedBy(2);
      }
    }
  }

  private static boolean isBusyOrLoading(JedisException failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SocketTimeoutException
          || String.valueOf(cause.getMessage()).startsWith("LOADING")) {
        return true;
      }
    }
    return false;
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Redis", interrupted);
    }
  }
}
