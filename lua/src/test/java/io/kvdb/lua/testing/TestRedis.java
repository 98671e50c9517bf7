package io.kvdb.lua.testing;

import io.kvdb.lua.redis.GatewayAcl;
import io.kvdb.lua.redis.LocalCluster;
import io.kvdb.lua.redis.LocalNode;
import io.kvdb.lua.redis.LocalSentinel;
import io.kvdb.lua.redis.RedisAddress;
import io.kvdb.lua.redis.RedisConnector;
import io.kvdb.lua.redis.RedisServerProcess;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;

/**
 * The one real Redis a test JVM uses, chosen by the environment and started once:
 *
 * <ul>
 *   <li>{@code KVDB_TEST_REDIS_URL=redis://...}: that server, as it is;
 *   <li>{@code KVDB_TEST_REDIS=server}: the {@code redis-server} on the PATH (Debian's 7.x in CI),
 *       reached as the ACL user {@code kvdb-test} with only the gateway's rights ({@link
 *       GatewayAcl}); its {@code default} user, the admin, gets a password of its own;
 *   <li>{@code KVDB_TEST_REDIS=cluster}: a {@link LocalCluster} of it, 3 primaries with a replica
 *       each, reached as {@code redis://kvdb-test:<password>@h1:p1,h2:p2,h3:p3}, the same ACL user
 *       on every node (its {@code default} user stays open: the replicas log in as it);
 *   <li>{@code KVDB_TEST_REDIS=sentinel}: a {@link LocalSentinel} of it, a primary, a replica and 3
 *       sentinels, reached as {@code redis-sentinel://h1:p1,h2:p2,h3:p3/kvdb};
 *   <li>{@code KVDB_TEST_REDIS=container}: a Testcontainers {@code redis:7} (needs Docker);
 *   <li>otherwise: the embedded Redis 6.2 shipped in the embedded-redis artifact.
 * </ul>
 *
 * Tests never flush it: each names its own projects and queues, so tests may share a server, even a
 * deployed one. A test class reaches it through {@link WithRedis}. A test that must do what the
 * gateway may not (flush scripts, read {@code INFO commandstats}, look at a key's encoding) asks
 * {@link #admin()}.
 */
public final class TestRedis {
  private static final Logger log = LoggerFactory.getLogger(TestRedis.class);
  private static TestRedis shared;

  /** The ACL user the server and cluster flavours hand the suites. */
  public static final String GATEWAY_USER = "kvdb-test";

  private final URI uri;
  private final URI adminUri;
  private final String description;

  private TestRedis(URI uri, String description) {
    this(uri, uri, description);
  }

  private TestRedis(URI uri, URI adminUri, String description) {
    this.uri = uri;
    this.adminUri = adminUri;
    this.description = description;
  }

  public static synchronized TestRedis shared() {
    if (shared == null) {
      shared = start();
      try (UnifiedJedis redis = shared.connect()) {
        log.info(
            "tests use {} at {}, Redis {}",
            shared.description,
            RedisAddress.parse(shared.uri).redacted(),
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

  /** A new pooled client, with the rights of a gateway; the caller closes it. */
  public UnifiedJedis connect() {
    return RedisConnector.connect(uri, RedisConnector.Settings.DEFAULT);
  }

  /**
   * A new pooled client with every right (the server's {@code default} user), for what a test does
   * beyond a gateway's rights; the caller closes it. Where no ACL user is set up, as {@link
   * #connect()}.
   */
  public UnifiedJedis admin() {
    return RedisConnector.connect(adminUri, RedisConnector.Settings.DEFAULT);
  }

  private static TestRedis start() {
    String url = System.getenv("KVDB_TEST_REDIS_URL");
    if (url != null && !url.isBlank()) {
      return new TestRedis(URI.create(url), "the Redis of KVDB_TEST_REDIS_URL");
    }
    String kind = System.getenv().getOrDefault("KVDB_TEST_REDIS", "embedded");
    return switch (kind) {
      case "server" -> withGatewayUser(RedisServerProcess.startFromPath());
      case "cluster" -> withGatewayUser(LocalCluster.start(RedisServerProcess.pathBinary()));
      case "sentinel" -> fromSentinel(LocalSentinel.start(RedisServerProcess.pathBinary()));
      case "container" -> RedisContainer.start();
      case "embedded", "" -> fromProcess(RedisServerProcess.startEmbedded());
      default ->
          throw new IllegalStateException(
              "KVDB_TEST_REDIS must be embedded, server, cluster, sentinel or container, not "
                  + kind);
    };
  }

  /**
   * Adds the gateway's ACL user, then locks the admin away behind a password of its own, so a test
   * that needs more than the gateway may have must say so through {@link #admin()}.
   */
  private static TestRedis withGatewayUser(RedisServerProcess server) {
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-redis-stop"));
    String password = randomPassword();
    String adminPassword = randomPassword();
    try (Jedis admin = new Jedis(server.uri())) {
      addGatewayUser(admin, password);
      admin.aclSetUser("default", "resetpass", ">" + adminPassword);
    }
    return new TestRedis(
        withUser(server.uri(), GATEWAY_USER, password),
        withUser(server.uri(), "default", adminPassword),
        server.origin() + " as the ACL user " + GATEWAY_USER);
  }

  /** The same ACL user on every node, replicas too, so it stays valid through a failover. */
  private static TestRedis withGatewayUser(LocalCluster cluster) {
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "test-redis-stop"));
    String password = randomPassword();
    for (LocalNode node : cluster.nodes()) {
      try (Jedis admin = new Jedis("127.0.0.1", node.port())) {
        addGatewayUser(admin, password);
      }
    }
    return new TestRedis(
        withUser(cluster.uri(), GATEWAY_USER, password),
        cluster.uri(),
        cluster.description() + " as the ACL user " + GATEWAY_USER);
  }

  private static void addGatewayUser(Jedis admin, String password) {
    admin.aclSetUser(
        GATEWAY_USER,
        Stream.concat(Stream.of("on", ">" + password), GatewayAcl.RULE_WORDS.stream())
            .toArray(String[]::new));
  }

  private static URI withUser(URI uri, String user, String password) {
    return URI.create(uri.toString().replace("redis://", "redis://" + user + ":" + password + "@"));
  }

  private static String randomPassword() {
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
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
