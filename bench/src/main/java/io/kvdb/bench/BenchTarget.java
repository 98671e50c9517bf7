package io.kvdb.bench;

import io.kvdb.client.KvdbClient;
import io.kvdb.client.KvdbClientOptions;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.gateway.server.GatewayConfig;
import io.kvdb.lua.redis.LocalCluster;
import io.kvdb.lua.redis.RedisServerProcess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The gateway under measurement: a given one, or one started here on a Redis started here too (so
 * gateway, Redis and load share the machine, as the targets in docs/BENCHMARKS.md assume). That
 * Redis is one server, or with {@code --redis-cluster N} a Redis Cluster of N primaries with {@code
 * --redis-replicas} replicas each (default 1); {@code --redis-binary path} runs the PATH's
 * redis-server instead of the embedded one.
 */
final class BenchTarget implements AutoCloseable {
  private final String address;
  private final StartedRedis redis;
  private final Gateway gateway;
  private final String project = "bench-" + UUID.randomUUID();
  private final Optional<URI> redisOption;
  private final List<KvdbClient> clients = new ArrayList<>();

  /** A Redis this bench started and stops: its URL, and what it is for the start line. */
  private record StartedRedis(URI uri, String description, AutoCloseable process) {}

  private BenchTarget(
      String address, StartedRedis redis, Gateway gateway, Optional<URI> redisOption) {
    this.address = address;
    this.redis = redis;
    this.gateway = gateway;
    this.redisOption = redisOption;
  }

  static BenchTarget open(BenchOptions options) {
    Optional<URI> redisOption = Optional.ofNullable(options.values().get("redis")).map(URI::create);
    if (options.target().isPresent()) {
      return new BenchTarget(options.target().get(), null, null, redisOption);
    }
    StartedRedis redis = startRedis(options);
    try {
      Gateway gateway =
          Gateway.start(GatewayConfig.parse("--port", "0", "--redis", redis.uri().toString()));
      return new BenchTarget("127.0.0.1:" + gateway.port(), redis, gateway, redisOption);
    } catch (RuntimeException e) {
      closeQuietly(redis.process());
      throw e;
    }
  }

  private static StartedRedis startRedis(BenchOptions options) {
    String binary = options.text("redis-binary", "embedded");
    int primaries = options.integer("redis-cluster", 0);
    int replicas = options.integer("redis-replicas", 1);
    if (!binary.equals("embedded") && !binary.equals("path")) {
      throw new IllegalArgumentException("--redis-binary is embedded or path, not " + binary);
    }
    if (primaries > 0) {
      Path server =
          binary.equals("path")
              ? RedisServerProcess.pathBinary()
              : RedisServerProcess.embeddedBinary();
      LocalCluster cluster =
          LocalCluster.start(
              server, new LocalCluster.Settings(primaries, replicas, Duration.ofMillis(2000)));
      return new StartedRedis(cluster.uri(), cluster.description(), cluster);
    }
    RedisServerProcess server =
        binary.equals("path")
            ? RedisServerProcess.startFromPath()
            : RedisServerProcess.startEmbedded();
    return new StartedRedis(server.uri(), "one Redis, " + server.origin(), server);
  }

  /** The Redis behind the gateway, when known: the one started here, or {@code --redis URL}. */
  Optional<URI> redisUri() {
    return redis != null ? Optional.of(redis.uri()) : redisOption;
  }

  /** The project every client of this run works in. */
  String project() {
    return project;
  }

  String describe() {
    return gateway == null
        ? "gateway at " + address
        : "in-process gateway (" + address + ") on " + redis.description();
  }

  /** A client of another project than this run's, closed with the target. */
  KvdbClient clientOf(String otherProject) {
    KvdbClient client =
        KvdbClient.create(
            KvdbClientOptions.newBuilder().setTarget(address).setProject(otherProject).build());
    clients.add(client);
    return client;
  }

  /** {@code count} clients (each its own channel) in this run's own project. */
  List<KvdbClient> clients(int count) {
    for (int i = clients.size(); i < count; i++) {
      clients.add(
          KvdbClient.create(
              KvdbClientOptions.newBuilder().setTarget(address).setProject(project).build()));
    }
    return List.copyOf(clients.subList(0, count));
  }

  @Override
  public void close() {
    clients.forEach(KvdbClient::close);
    if (gateway != null) {
      gateway.close();
    }
    if (redis != null) {
      closeQuietly(redis.process());
    }
  }

  private static void closeQuietly(AutoCloseable process) {
    try {
      process.close();
    } catch (Exception e) {
      System.err.println("could not stop the bench's Redis: " + e);
    }
  }
}
