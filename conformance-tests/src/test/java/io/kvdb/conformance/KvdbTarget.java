package io.kvdb.conformance;

import io.kvdb.client.KvdbClient;
import io.kvdb.client.KvdbClientOptions;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.gateway.server.GatewayConfig;
import io.kvdb.lua.testing.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
    // With the pool and flavor services, so the walks of every rpc reach them too.
    Gateway gateway = ownGateway("--collect-interval-ms", "200", "--admin-api");
    Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "conformance-gateway-stop"));
    return "127.0.0.1:" + gateway.port();
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
