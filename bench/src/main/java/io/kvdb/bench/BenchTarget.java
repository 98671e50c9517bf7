package io.kvdb.bench;

import io.kvdb.client.KvdbClient;
import io.kvdb.client.KvdbClientOptions;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.gateway.server.GatewayConfig;
import io.kvdb.lua.redis.RedisServerProcess;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The gateway under measurement: a given one, or one started here with an embedded Redis (so
 * gateway, Redis and load share the machine, as the targets in docs/BENCHMARKS.md assume).
 */
final class BenchTarget implements AutoCloseable {
  private final String address;
  private final RedisServerProcess redis;
  private final Gateway gateway;
  private final String project = "bench-" + UUID.randomUUID();
  private final Optional<URI> redisOption;
  private final List<KvdbClient> clients = new ArrayList<>();

  private BenchTarget(
      String address, RedisServerProcess redis, Gateway gateway, Optional<URI> redisOption) {
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
    RedisServerProcess redis = RedisServerProcess.startEmbedded();
    Gateway gateway =
        Gateway.start(GatewayConfig.parse("--port", "0", "--redis", redis.uri().toString()));
    return new BenchTarget("127.0.0.1:" + gateway.port(), redis, gateway, redisOption);
  }

  /** The Redis behind the gateway, when known: the embedded one, or {@code --redis URL}. */
  Optional<URI> redisUri() {
    return redis != null ? Optional.of(redis.uri()) : redisOption;
  }

  String describe() {
    return gateway == null
        ? "gateway at " + address
        : "in-process gateway on an embedded Redis (" + address + ")";
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
      redis.close();
    }
  }
}
