package io.kvdb.lua.testing;

import io.kvdb.lua.redis.LocalCluster;
import io.kvdb.lua.redis.LocalSentinel;
import io.kvdb.lua.redis.RedisConnector;
import io.kvdb.lua.redis.RedisServerProcess;
import java.net.URI;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The one real Redis a test JVM uses, chosen by the environment and started once:
 *
 * <ul>
 *   <li>{@code KVDB_TEST_REDIS_URL=redis://...}: that server, as it is;
 *   <li>{@code KVDB_TEST_REDIS=server}: the {@code redis-server} on the PATH (Debian's 7.x in CI);
 *   <li>{@code KVDB_TEST_REDIS=cluster}: a {@link LocalCluster} of it, 3 primaries with a replica
 *       each, reached as {@code redis://h1:p1,h2:p2,h3:p3};
 *   <li>{@code KVDB_TEST_REDIS=sentinel}: a {@link LocalSentinel} of it, a primary, a replica and 3
 *       sentinels, reached as {@code redis-sentinel://h1:p1,h2:p2,h3:p3/kvdb};
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
   * A private standalone server for a test that must stop its Redis; the caller closes it. Debian's
   * with {@code KVDB_TEST_REDIS=server}, {@code cluster} or {@code sentinel} (the binary those
   * run), the embedded one otherwise.
   */
  public static RedisServerProcess startPrivate() {
    return startPrivate(RedisServerProcess.ExtraArguments.NONE);
  }

  /** As {@link #startPrivate()}, with options of its own (such as {@code --replicaof}). */
  public static RedisServerProcess startPrivate(RedisServerProcess.ExtraArguments extra) {
    Path binary =
        switch (System.getenv().getOrDefault("KVDB_TEST_REDIS", "embedded")) {
          case "server", "cluster", "sentinel" -> RedisServerProcess.pathBinary();
          default -> RedisServerProcess.embeddedBinary();
        };
    return RedisServerProcess.start(binary, binary.toString(), extra);
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
      case "cluster" -> fromCluster(LocalCluster.start(RedisServerProcess.pathBinary()));
      case "sentinel" -> fromSentinel(LocalSentinel.start(RedisServerProcess.pathBinary()));
      case "container" -> RedisContainer.start();
      case "embedded", "" -> fromProcess(RedisServerProcess.startEmbedded());
      default ->
          throw new IllegalStateException(
              "KVDB_TEST_REDIS must be embedded, server, cluster, sentinel or container, not "
                  + kind);
    };
  }

  private static TestRedis fromCluster(LocalCluster cluster) {
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "test-redis-stop"));
    return new TestRedis(cluster.uri(), cluster.description());
  }

  private static TestRedis fromSentinel(LocalSentinel sentinel) {
    Runtime.getRuntime().addShutdownHook(new Thread(sentinel::close, "test-redis-stop"));
    return new TestRedis(sentinel.uri(), sentinel.description());
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
