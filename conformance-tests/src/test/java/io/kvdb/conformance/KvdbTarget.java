package io.kvdb.conformance;

import io.kvdb.client.KvdbClient;
import io.kvdb.client.KvdbClientOptions;
import io.kvdb.client.NewPool;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.gateway.server.GatewayConfig;
import io.kvdb.lua.redis.RedisServerProcess;
import io.kvdb.lua.testing.TestRedis;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway under test: the one named by {@code -Dkvdb.target=host:port}, or else one started
 * in-process (real Netty, real port) on the test Redis, once per JVM. Tests only speak gRPC to it,
 * and each uses projects of its own, so the suite runs unchanged against a deployed gateway.
 */
public final class KvdbTarget {
  private static final Logger log = LoggerFactory.getLogger(KvdbTarget.class);

  /** The shortest message TTL, claim TTL and grace an in-process gateway accepts. */
  public static final Duration SHORT = Duration.ofMillis(200);

  private static String address;
  private static final List<URI> addedPools = new CopyOnWriteArrayList<>();
  private static boolean inProcess;

  private KvdbTarget() {}

  public static synchronized String address() {
    if (address == null) {
      String given = System.getProperty("kvdb.target", "");
      inProcess = given.isBlank();
      address = inProcess ? startInProcess() : given;
      log.info("conformance suite targets {}", address);
    }
    return address;
  }

  /**
   * The Redis servers of the pools this suite added besides its Redis ({@code KVDB_TEST_POOLS}).
   */
  public static List<URI> addedPools() {
    address();
    return List.copyOf(addedPools);
  }

  /** A client of a project no other test uses. */
  public static KvdbClient newClient() {
    return client(freshProject());
  }

  public static KvdbClient client(String project) {
    return KvdbClient.create(
        KvdbClientOptions.newBuilder().setTarget(address()).setProject(project).build());
  }

  public static String freshProject() {
    return "conf-" + UUID.randomUUID();
  }

  /**
   * Whether the gateway accepts {@link #SHORT} TTLs and collects every 200 ms, so tests can watch
   * things expire. A deployed gateway keeps Zaqar's one-minute minimums; such tests skip there.
   */
  public static boolean allowsShortTtls() {
    address();
    return inProcess;
  }

  private static String startInProcess() {
    // With the pool and flavor services, so the walks of every rpc reach them too; keys kept 5 s,
    // since a migration ends no sooner than that after its switch.
    Gateway gateway =
        ownGateway(
            "--collect-interval-ms", "200", "--admin-api", "--idempotency-window-ms", "5000");
    Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "conformance-gateway-stop"));
    String address = "127.0.0.1:" + gateway.port();
    addPools(address, Integer.parseInt(System.getenv().getOrDefault("KVDB_TEST_POOLS", "1")));
    return address;
  }

  /**
   * With {@code KVDB_TEST_POOLS=N}, the two-pool (or N-pool) flavour: N - 1 more Redis servers of
   * the test Redis's kind, registered as pools {@code pool-2}... with the weight of {@code
   * default}, so the suite's queues spread over N deployments at random by weight and every test
   * runs across pools.
   */
  private static void addPools(String address, int pools) {
    if (pools < 2) {
      return;
    }
    try (KvdbClient admin =
        KvdbClient.create(
            KvdbClientOptions.newBuilder().setTarget(address).setProject("conf-admin").build())) {
      for (int i = 2; i <= pools; i++) {
        RedisServerProcess redis = TestRedis.startPrivate();
        Runtime.getRuntime().addShutdownHook(new Thread(redis::close, "conformance-pool-stop"));
        admin.admin().pools().create(NewPool.of("pool-" + i, redis.uri().toString()).withWeight(1));
        addedPools.add(redis.uri());
      }
    }
    log.info("conformance suite spreads its queues over {} pools", pools);
  }

  /**
   * A gateway of the caller's own on the shared Redis, on a free port, with the suite's short
   * minimum TTLs and no background roll-up; {@code flags} come last, so they win.
   */
  public static Gateway ownGateway(String... flags) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--port",
                "0",
                "--redis",
                TestRedis.shared().uri().toString(),
                "--min-message-ttl-ms",
                Long.toString(SHORT.toMillis()),
                "--min-claim-ttl-ms",
                Long.toString(SHORT.toMillis()),
                "--min-claim-grace-ms",
                "0",
                // Tests count what Rollup merges; a background roll-up in between would take
                // their work.
                "--rollup-interval-ms",
                "86400000"));
    args.addAll(List.of(flags));
    return Gateway.start(GatewayConfig.parse(args.toArray(String[]::new)));
  }
}
