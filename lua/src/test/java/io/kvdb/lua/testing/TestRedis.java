package io.kvdb.lua.testing;

import io.kvdb.lua.redis.RedisConnector;
import io.kvdb.lua.redis.RedisServerProcess;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The one real Redis a test JVM uses, chosen by the environment and started once:
 *
 * <ul>
 *   <li>{@code KVDB_TEST_REDIS_URL=redis://...}: that server, as it is;
 *   <li>{@code KVDB_TEST_REDIS=server}: the {@code redis-server} on the PATH (Debian's 7.x in CI);
 *   <li>{@code KVDB_TEST_REDIS=container}: a Testcontainers {@code redis:7} (needs Docker);
 *   <li>otherwise: the embedded Redis 6.2 shipped in the embedded-redis artifact.
 * </ul>
 *
 * Tests never flush it: each names its own projects and queues, so tests may share a server, even a
 * deployed one. A test class reaches it through {@link WithRedis}.
 */
public final class TestRedis {
  private static final Logger log = LoggerFactory.getLogger(TestRedis.class);
  private static TestRedis shared;

  private final URI uri;
  private final String description;

  private TestRedis(URI uri, String description) {
    this.uri = uri;
    this.description = description;
  }

  public static synchronized TestRedis shared() {
    if (shared == null) {
      shared = start();
      try (UnifiedJedis redis = shared.connect()) {
        log.info(
            "tests use {} at {}, Redis {}",
            shared.description,
            shared.uri,
            RedisConnector.serverVersion(redis));
      }
    }
    return shared;
  }

  /**
   * A private server of the chosen flavour (Debian's with {@code KVDB_TEST_REDIS=server}, the
   * embedded one otherwise) for a test that must stop its Redis; the caller closes it.
   */
  public static RedisServerProcess startPrivate() {
    return "server".equals(System.getenv("KVDB_TEST_REDIS"))
        ? RedisServerProcess.startFromPath()
        : RedisServerProcess.startEmbedded();
  }

  public URI uri() {
    return uri;
  }

  /** A new pooled client; the caller closes it. */
  public UnifiedJedis connect() {
    return RedisConnector.connect(uri, RedisConnector.Settings.DEFAULT);
  }

  private static TestRedis start() {
    String url = System.getenv("KVDB_TEST_REDIS_URL");
    if (url != null && !url.isBlank()) {
      return new TestRedis(URI.create(url), "the Redis of KVDB_TEST_REDIS_URL");
    }
    String kind = System.getenv().getOrDefault("KVDB_TEST_REDIS", "embedded");
    return switch (kind) {
      case "server" -> fromProcess(RedisServerProcess.startFromPath());
      case "container" -> RedisContainer.start();
      case "embedded", "" -> fromProcess(RedisServerProcess.startEmbedded());
      default ->
          throw new IllegalStateException(
              "KVDB_TEST_REDIS must be embedded, server or container, not " + kind);
    };
  }

  private static TestRedis fromProcess(RedisServerProcess server) {
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-redis-stop"));
    return new TestRedis(server.uri(), server.origin());
  }

  /** Kept apart so Testcontainers classes load only when a container is asked for. */
  private static final class RedisContainer {
    @SuppressWarnings("resource")
    static TestRedis start() {
      var container =
          new org.testcontainers.containers.GenericContainer<>("redis:7-alpine")
              .withExposedPorts(6379);
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "test-redis-stop"));
      URI uri = URI.create("redis://" + container.getHost() + ":" + container.getMappedPort(6379));
      return new TestRedis(uri, "a Testcontainers redis:7-alpine");
    }
  }
}
