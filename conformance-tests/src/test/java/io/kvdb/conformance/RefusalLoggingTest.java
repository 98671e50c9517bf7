package io.kvdb.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.slf4j.LoggerFactory;

/**
 * Every hostile request of {@link HostileInputTest} again, with what the gateway logs captured:
 * through SLF4J (the gateway and Netty) and java.util.logging (grpc-java). Each test may log at
 * most one line per refused request, and none with a stack trace.
 */
class RefusalLoggingTest extends HostileInputTest {
  private final AtomicInteger refused = new AtomicInteger();
  private final ListAppender<ILoggingEvent> logback = new ListAppender<>();
  private final List<String> julLines = new CopyOnWriteArrayList<>();
  private final Handler jul =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          String message = record.getLoggerName() + ": " + record.getMessage();
          julLines.add(record.getThrown() == null ? message : message + "\n" + record.getThrown());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @Override
  List<ClientInterceptor> watchers() {
    return List.of(new RefusalCounter());
  }

  @BeforeEach
  void capture() {
    logback.start();
    root().addAppender(logback);
    LogManager.getLogManager().getLogger("").addHandler(jul);
  }

  @AfterEach
  void assertAtMostOneLinePerRefusal() {
    LogManager.getLogManager().getLogger("").removeHandler(jul);
    root().detachAppender(logback);
    logback.stop();
    List<String> lines = new ArrayList<>(julLines);
    for (ILoggingEvent event : logback.list) {
      String line = event.getLoggerName() + ": " + event.getFormattedMessage();
      lines.add(event.getThrowableProxy() == null ? line : line + "\n" + event.getThrowableProxy());
    }
    for (String line : lines) {
      assertTrue(!line.contains("\n"), "one line, without a stack trace: " + line);
    }
    assertTrue(
        lines.size() <= refused.get(),
        lines.size() + " lines for " + refused.get() + " refused requests: " + lines);
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  /** Counts the calls that end in an error. */
  private final class RefusalCounter implements ClientInterceptor {
    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(
        MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void start(Listener<R> listener, Metadata headers) {
          super.start(
              new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                @Override
                public void onClose(Status status, Metadata trailers) {
                  if (!status.isOk()) {
                    refused.incrementAndGet();
                  }
                  super.onClose(status, trailers);
                }
              },
              headers);
        }
      };
    }
  }
}
