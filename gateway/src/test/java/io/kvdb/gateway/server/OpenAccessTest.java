package io.kvdb.gateway.server;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.kvdb.lua.testing.TestRedis;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@code --auth none} serves loopback only, unless {@code --insecure} says otherwise aloud. */
class OpenAccessTest {
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeEach
  void capture() {
    log.start();
    root().addAppender(log);
  }

  @AfterEach
  void release() {
    root().detachAppender(log);
  }

  @Test
  void anOpenGatewayOffLoopbackRefusesToStart() {
    var refused =
        assertThrows(
            IllegalStateException.class,
            () -> Gateway.start(GatewayConfig.parse("--host", "0.0.0.0", "--port", "0")));
    assertTrue(
        refused.getMessage().contains("--auth none") && refused.getMessage().contains("--insecure"),
        refused.getMessage());
  }

  @Test
  void theDefaultStartLineSaysItIsOpenOnLoopback() {
    try (Gateway gateway = start("--port", "0")) {
      assertTrue(
          lines().stream()
              .anyMatch(line -> line.contains("open to every caller (--auth none, loopback only)")),
          lines().toString());
    }
  }

  @Test
  void insecureServesOtherMachinesWithAWarning() {
    try (Gateway gateway = start("--host", "0.0.0.0", "--port", "0", "--insecure")) {
      assertTrue(
          log.list.stream()
              .anyMatch(
                  event ->
                      event.getLevel() == Level.WARN
                          && event.getFormattedMessage().contains("--insecure")),
          lines().toString());
      assertTrue(
          lines().stream().anyMatch(line -> line.contains("(--auth none, --insecure)")),
          lines().toString());
    }
  }

  private static Gateway start(String... flags) {
    String[] all = new String[flags.length + 2];
    System.arraycopy(flags, 0, all, 0, flags.length);
    all[flags.length] = "--redis";
    all[flags.length + 1] = TestRedis.shared().uri().toString();
    return Gateway.start(GatewayConfig.parse(all));
  }

  private List<String> lines() {
    return List.copyOf(log.list).stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
