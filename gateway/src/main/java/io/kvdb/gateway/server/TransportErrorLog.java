package io.kvdb.gateway.server;

import java.util.List;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * grpc-java logs through java.util.logging, and logs what a peer got wrong in HTTP/2 (a header list
 * past the limit, a connection ended with GOAWAY) with a stack trace. Those are the peer's
 * mistakes, not the gateway's: this logs each in one line, through SLF4J like the rest.
 */
final class TransportErrorLog implements Filter {
  /** Held so that java.util.logging, which keeps loggers only weakly, keeps their filter. */
  private static final List<java.util.logging.Logger> WATCHED =
      Stream.of("io.grpc.netty.NettyServerHandler", "io.grpc.netty.NettyServerTransport")
          .map(java.util.logging.Logger::getLogger)
          .toList();

  private static final SimpleFormatter FORMATTER = new SimpleFormatter();

  private TransportErrorLog() {}

  static void install() {
    WATCHED.forEach(logger -> logger.setFilter(new TransportErrorLog()));
  }

  @Override
  public boolean isLoggable(LogRecord record) {
    Throwable thrown = record.getThrown();
    if (thrown == null) {
      return true;
    }
    Logger log = LoggerFactory.getLogger(record.getLoggerName());
    String message = FORMATTER.formatMessage(record);
    if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
      log.warn("{}: {}", message, thrown.toString());
    } else if (record.getLevel().intValue() >= Level.INFO.intValue()) {
      log.info("{}: {}", message, thrown.toString());
    } else {
      log.debug("{}: {}", message, thrown.toString());
    }
    return false;
  }
}
