package io.kvdb.gateway;

import io.kvdb.gateway.server.Gateway;
import io.kvdb.gateway.server.GatewayConfig;

/** {@code java -jar kvdb-gateway.jar [flags]}: runs a gateway until SIGTERM or Ctrl-C. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    GatewayConfig config;
    try {
      config = GatewayConfig.parse(System.getenv(), args);
    } catch (GatewayConfig.HelpRequested help) {
      System.out.print(GatewayConfig.usage());
      return;
    } catch (IllegalArgumentException invalid) {
      System.err.println(invalid.getMessage() + "; see --help");
      System.exit(2);
      return;
    }
    Gateway gateway;
    try {
      gateway = Gateway.start(config);
    } catch (RuntimeException failed) {
      System.err.println("kvdb-gateway did not start: " + explain(failed));
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "kvdb-shutdown"));
    gateway.awaitTermination();
  }

  /** The failure and its causes on one line, each cause only where it adds something. */
  private static String explain(Throwable failure) {
    StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
    for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
        text.append(": ").append(cause.getMessage());
      }
    }
    return text.toString().replaceAll("\\s*\\R\\s*", " ");
  }
}
