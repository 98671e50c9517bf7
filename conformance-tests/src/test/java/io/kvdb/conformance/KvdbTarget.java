package io.kvdb.conformance;

import io.kvdb.client.KvdbClient;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.gateway.server.GatewayConfig;
import io.kvdb.lua.testing.TestRedis;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway under test: the one named by {@code -Dkvdb.target=host:port}, or else one started
 * in-process (real Netty, real port) on the test Redis, once per JVM. Tests only speak gRPC to
 * it, and each uses projects of its own, so the suite runs unchanged against a deployed gateway.
 */
final class KvdbTarget {
  private static final Logger log = LoggerFactory.getLogger(KvdbTarget.class);
  private static String address;

  private KvdbTarget() {}

  static synchronized String address() {
    if (address == null) {
      String given = System.getProperty("kvdb.target", "");
      address = given.isBlank() ? startInProcess() : given;
      log.info("conformance suite targets {}", address);
    }
    return address;
  }

  /** A client of a project no other test uses. */
  static KvdbClient newClient() {
    return client(freshProject());
  }

  static KvdbClient client(String project) {
    return KvdbClient.builder().target(address()).project(project).build();
  }

  static String freshProject() {
    return "conf-" + UUID.randomUUID();
  }

  private static String startInProcess() {
    GatewayConfig config = GatewayConfig.defaults().withPort(0).withRedis(TestRedis.shared().uri());
    Gateway gateway = Gateway.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "conformance-gateway-stop"));
    return "127.0.0.1:" + gateway.port();
  }
}
