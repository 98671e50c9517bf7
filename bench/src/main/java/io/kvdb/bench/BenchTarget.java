package io.kvdb.bench;

import io.kvdb.client.KvdbClient;
import io.kvdb.client.KvdbClientOptions;
import io.kvdb.client.NewPool;
import io.kvdb.client.PoolChange;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.gateway.server.GatewayConfig;
import io.kvdb.lua.redis.LocalCluster;
import io.kvdb.lua.redis.RedisServerProcess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway under measurement: a given one, or one started here on a Redis started here too (so
 * gateway, Redis and load share the machine, as the targets in docs/BENCHMARKS.md assume). That
 * Redis is one server, or with {@code --redis-cluster N} a Redis Cluster of N primaries with {@code
 * --redis-replicas} replicas each (default 1); {@code --redis-binary path} runs the PATH's
 * redis-server instead of the embedded one. With {@code --pools N} it starts N such deployments:
 * the first is the control Redis (pool {@code default}), the others are registered as pools {@code
 * pool-2}... with the same weight, so new queues spread over all N.
 */
final class BenchTarget implements AutoCloseable {
  private static final Duration IDEMPOTENCY_WINDOW = Duration.ofSeconds(2);
  private static final List<String> GATEWAY_FLAGS =
      List.of(
          "--admin-api",
          // A migration ends no sooner than the window after its switch: short enough
          // for --migrate-after to see it end within a run.
          "--idempotency-window-ms",
          Long.toString(IDEMPOTENCY_WINDOW.toMillis()));
  private String address;
  private final List<StartedRedis> redis;
  // In-process (a Gateway) or a child process (a GatewayProcess); null for --target.
  private AutoCloseable gateway;
  private String gatewayDescription;

  /**
   * Unique per run, and as long as a real project's name: every message key carries it, so a
   * 36-character UUID here added 32 bytes to the Redis memory per message the bench reports.
   */
  private final String project =
      "bench-" + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt());

  private final Optional<URI> redisOption;
  private final List<KvdbClient> clients = new ArrayList<>();
  // Apart from clients: the run's clients must all be of its project.
  private final List<KvdbClient> otherClients = new ArrayList<>();

  /** A Redis this bench started and stops: its URL, and what it is for the start line. */
  private record StartedRedis(URI uri, String description, AutoCloseable process) {}

  private BenchTarget(
      String address,
      List<StartedRedis> redis,
      AutoCloseable gateway,
      String gatewayDescription,
      Optional<URI> redisOption) {
    this.address = address;
    this.redis = redis;
    this.gateway = gateway;
    this.gatewayDescription = gatewayDescription;
    this.redisOption = redisOption;
  }

  static BenchTarget open(BenchOptions options) {
    Optional<URI> redisOption = Optional.ofNullable(options.values().get("redis")).map(URI::create);
    if (options.target().isPresent()) {
      if (options.gatewayJar().isPresent()) {
        throw new IllegalArgumentException("--target and --gateway-jar exclude each other");
      }
      String address = options.target().get();
      return new BenchTarget(address, List.of(), null, "gateway at " + address, redisOption);
    }
    int pools = options.integer("pools", 1);
    if (pools < 1 || pools > 16) {
      throw new IllegalArgumentException("--pools is 1..16, not " + pools);
    }
    List<StartedRedis> redis = new ArrayList<>();
    BenchTarget target;
    try {
      for (int i = 0; i < pools; i++) {
        redis.add(startRedis(options));
      }
      URI control = redis.get(0).uri();
      Optional<String> jar = options.gatewayJar();
      if (jar.isPresent()) {
        GatewayProcess gateway = GatewayProcess.start(Path.of(jar.get()), control, GATEWAY_FLAGS);
        target =
            new BenchTarget(
                "127.0.0.1:" + gateway.port(), redis, gateway, gateway.describe(), redisOption);
      } else {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--redis", control.toString()));
        args.addAll(GATEWAY_FLAGS);
        Gateway gateway = Gateway.start(GatewayConfig.parse(args.toArray(String[]::new)));
        String address = "127.0.0.1:" + gateway.port();
        target =
            new BenchTarget(
                address, redis, gateway, "in-process gateway (" + address + ")", redisOption);
      }
    } catch (RuntimeException e) {
      redis.forEach(started -> closeQuietly(started.process()));
      throw e;
    }
    try {
      target.registerPools();
    } catch (RuntimeException e) {
      target.close();
      throw e;
    }
    return target;
  }

  /**
   * Replaces the gateway by a fresh child process of {@code jar} on Redis emptied (every primary of
   * every deployment started here), its pools registered again: a round of an A/B comparison
   * inherits neither the queues nor the warm JIT of the round before.
   */
  void restartGateway(Path jar) {
    if (redis.isEmpty() || !(gateway instanceof GatewayProcess)) {
      throw new IllegalStateException("only a child gateway on a Redis of the bench restarts");
    }
    clients.forEach(KvdbClient::close);
    clients.clear();
    otherClients.forEach(KvdbClient::close);
    otherClients.clear();
    closeQuietly(gateway);
    gateway = null;
    redis.forEach(started -> RedisNodes.discover(started.uri()).flushPrimaries());
    GatewayProcess started = GatewayProcess.start(jar, redis.get(0).uri(), GATEWAY_FLAGS);
    gateway = started;
    address = "127.0.0.1:" + started.port();
    gatewayDescription = started.describe();
    registerPools();
  }

  /**
   * Registers every Redis started here but the first as a pool, weighing as much as default, each
   * (default too) serving a flavor of its own, {@code only-<pool>}, so that a run can put its
   * queues in the pools in turn instead of at random ({@link #flavorOfQueue}).
   */
  private void registerPools() {
    if (redis.size() == 1) {
      return;
    }
    KvdbClient admin = clientOf("bench-admin");
    for (int i = 0; i < redis.size(); i++) {
      String flavor = "only-" + poolName(i);
      admin.admin().flavors().create(flavor, false);
      if (i == 0) {
        admin.admin().pools().update("default", PoolChange.flavor(flavor));
      } else {
        admin
            .admin()
            .pools()
            .create(
                NewPool.of(poolName(i), redis.get(i).uri().toString())
                    .withWeight(1)
                    .withFlavor(flavor));
      }
    }
  }

  /**
   * The {@code _flavor} that puts queue number {@code index} of a run in pool {@code index} mod
   * pools; empty with one pool.
   */
  Optional<String> flavorOfQueue(int index) {
    return redis.size() > 1
        ? Optional.of("only-" + poolName(index % redis.size()))
        : Optional.empty();
  }

  private static String poolName(int index) {
    return index == 0 ? "default" : "pool-" + (index + 1);
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
    return redis.isEmpty() ? redisOption : Optional.of(redis.get(0).uri());
  }

  /**
   * Every Redis deployment the bench can see, by pool name: those started here ({@code default}
   * first), or the one of {@code --redis}.
   */
  Map<String, URI> redisDeployments() {
    Map<String, URI> deployments = new LinkedHashMap<>();
    if (redis.isEmpty()) {
      redisOption.ifPresent(uri -> deployments.put("default", uri));
    }
    for (int i = 0; i < redis.size(); i++) {
      deployments.put(poolName(i), redis.get(i).uri());
    }
    return deployments;
  }

  /** What {@code RedisReport} samples: every deployment of this run. */
  RedisReport redisReport() {
    return new RedisReport(redisDeployments());
  }

  /**
   * The CPU of the bench's own process and of a child gateway; an in-process gateway's is the
   * bench's, and one at {@code --target} is not measured.
   */
  CpuSampler cpuSampler() {
    List<ProcessCpu> processes = new ArrayList<>(List.of(ProcessCpu.ofThisProcess()));
    String note = "";
    if (gateway instanceof GatewayProcess child) {
      processes.add(new ProcessCpu("gateway", child.handle()));
    } else if (gateway != null) {
      note = "bench includes the in-process gateway";
    } else {
      note = "the gateway at --target is not measured";
    }
    return new CpuSampler(processes, note);
  }

  /**
   * A run of the options' warm-up ({@link BenchOptions#warmup}) and duration (seconds, {@code
   * defaultDuration} unless given), reporting Redis and the processes' CPU.
   */
  LoadRun loadRun(BenchOptions options, int defaultDuration) {
    return new LoadRun(options.warmup(), options.seconds("duration", defaultDuration), System.out)
        .reportingRedis(redisReport())
        .reportingCpu(cpuSampler());
  }

  /** The project every client of this run works in. */
  String project() {
    return project;
  }

  String describe() {
    return redis.isEmpty()
        ? gatewayDescription
        : gatewayDescription
            + " on "
            + redis.get(0).description()
            + (redis.size() > 1 ? ", with " + (redis.size() - 1) + " more pools like it" : "");
  }

  /** A client of another project than this run's, closed with the target. */
  KvdbClient clientOf(String otherProject) {
    KvdbClient client =
        KvdbClient.create(
            KvdbClientOptions.newBuilder().setTarget(address).setProject(otherProject).build());
    otherClients.add(client);
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
    otherClients.forEach(KvdbClient::close);
    if (gateway != null) {
      closeQuietly(gateway);
    }
    redis.forEach(started -> closeQuietly(started.process()));
  }

  private static void closeQuietly(AutoCloseable process) {
    try {
      process.close();
    } catch (Exception e) {
      System.err.println("could not stop " + process + ": " + e);
    }
  }
}
