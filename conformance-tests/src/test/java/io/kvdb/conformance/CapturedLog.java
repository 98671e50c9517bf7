package io.kvdb.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import org.slf4j.LoggerFactory;

/**
 * What this JVM logs while it is open, through SLF4J (the in-process gateway, Netty) and
 * java.util.logging (grpc-java), each event as one string: its message, then its throwable on
 * another line.
 */
final class CapturedLog extends Handler implements AutoCloseable {
  private static final String BACKGROUND_JOBS = "io.kvdb.gateway.jobs.";

  private final ListAppender<ILoggingEvent> logback = new ListAppender<>();
  private final List<String> jul = new CopyOnWriteArrayList<>();

  private CapturedLog() {}

  static CapturedLog start() {
    CapturedLog log = new CapturedLog();
    log.logback.start();
    root().addAppender(log.logback);
    LogManager.getLogManager().getLogger("").addHandler(log);
    return log;
  }

  @Override
  public void close() {
    LogManager.getLogManager().getLogger("").removeHandler(this);
    root().detachAppender(logback);
    logback.stop();
  }

  /** Asserts no event spans lines or carries a stack trace, and there are at most {@code most}. */
  void assertAtMostOneLineEach(int most) {
    List<String> events = events();
    for (String event : events) {
      assertTrue(!event.contains("\n"), "one line, without a stack trace: " + event);
    }
    assertTrue(events.size() <= most, events.size() + " events for " + most + ": " + events);
  }

  /**
   * The events of calls and connections. Background jobs are left out: they log on their own
   * schedule (a job moving between this JVM's gateways on a busy machine), whatever the test does.
   */
  List<String> events() {
    List<String> events = new ArrayList<>(jul);
    for (ILoggingEvent event : List.copyOf(logback.list)) {
      if (event.getLoggerName().startsWith(BACKGROUND_JOBS)) {
        continue;
      }
      String line = event.getLoggerName() + ": " + event.getFormattedMessage();
      events.add(
          event.getThrowableProxy() == null ? line : line + "\n" + event.getThrowableProxy());
    }
    return events;
  }

  @Override
  public void publish(LogRecord record) {
    String line = record.getLoggerName() + ": " + record.getMessage();
    jul.add(record.getThrown() == null ? line : line + "\n" + record.getThrown());
  }

  @Override
  public void flush() {}

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
