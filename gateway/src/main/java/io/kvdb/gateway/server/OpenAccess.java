package io.kvdb.gateway.server;

import io.kvdb.gateway.auth.AuthSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safe default of {@code --auth none}: it serves loopback only, since any caller that reaches
 * the port may then do everything; {@code --insecure} lifts that, with a warning at every start.
 */
final class OpenAccess {
  private static final Logger log = LoggerFactory.getLogger(OpenAccess.class);

  private OpenAccess() {}

  static void check(GatewayConfig config) {
    AuthSettings auth = config.auth();
    if (auth.mode() != AuthSettings.Mode.NONE) {
      return;
    }
    if (auth.insecure()) {
      log.warn(
          "--auth none with --insecure: every caller that reaches {}:{} may read, change and"
              + " delete everything; use --auth keys or jwt outside development",
          config.host(),
          config.port());
      return;
    }
    if (!isLoopback(config.host())) {
      throw new IllegalStateException(
          "refusing to serve "
              + config.host()
              + " with --auth none: without authentication every caller may do everything, so"
              + " it listens on a loopback --host only (127.0.0.1, ::1, localhost); use --auth"
              + " keys or jwt, or add --insecure to accept the risk");
    }
  }

  /** Whether every address the host names is a loopback one. */
  private static boolean isLoopback(String host) {
    try {
      InetAddress[] addresses = InetAddress.getAllByName(host);
      for (InetAddress address : addresses) {
        if (!address.isLoopbackAddress()) {
          return false;
        }
      }
      return addresses.length > 0;
    } catch (UnknownHostException unknown) {
      return false;
    }
  }
}
