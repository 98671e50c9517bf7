package io.kvdb.gateway;

import io.kvdb.gateway.server.Gateway;
import io.kvdb.gateway.server.GatewayConfig;

/** {@code java -jar kvdb-gateway.jar [flags]}: runs a gateway until SIGTERM or Ctrl-C. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    GatewayConfig config;
    try {
      config = GatewayConfig.parse(args, System.getenv());
    } catch (GatewayConfig.HelpRequested help) {
      System.out.print(GatewayConfig.USAGE);
      return;
    } catch (IllegalArgumentException invalid) {
      System.err.println(invalid.getMessage());
      System.exit(2);
      return;
    }
    Gateway gateway = Gateway.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "kvdb-shutdown"));
    gateway.awaitTermination();
  }
}
