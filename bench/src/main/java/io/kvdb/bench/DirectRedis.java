package io.kvdb.bench;

import io.kvdb.lua.redis.RedisConnector;
import io.kvdb.lua.script.ScriptRegistry;
import java.net.URI;
import java.time.Duration;
import redis.clients.jedis.UnifiedJedis;

/**
 * The Redis behind the gateway, reached as the gateway reaches it (the lua module's connector and
 * script registry) but from the bench's own process: the direct side of {@code --direct}.
 */
final class DirectRedis implements AutoCloseable {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

  private final UnifiedJedis redis;
  private final ScriptRegistry scripts;

  private DirectRedis(UnifiedJedis redis) {
    this.redis = redis;
    this.scripts = ScriptRegistry.load(redis);
  }

  /** A connection pool of at least {@code workers}, so no worker waits for a connection. */
  static DirectRedis open(BenchTarget target, int workers) {
    if (target.flavorOfQueue(0).isPresent()) {
      throw new IllegalArgumentException("--direct works on one Redis deployment, not --pools");
    }
    URI uri =
        target
            .redisUri()
            .orElseThrow(
                () -> new IllegalArgumentException("--direct with --target needs --redis URL"));
    return new DirectRedis(
        RedisConnector.connect(
            uri, new RedisConnector.Settings(Math.max(workers, 8), COMMAND_TIMEOUT)));
  }

  UnifiedJedis redis() {
    return redis;
  }

  ScriptRegistry scripts() {
    return scripts;
  }

  @Override
  public void close() {
    redis.close();
  }
}
