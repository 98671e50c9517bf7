package io.kvdb.conformance;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Every hostile request of {@link HostileInputTest} again, with what the gateway logs captured:
 * each test may log at most one line per refused request, and none with a stack trace.
 */
class RefusalLoggingTest extends HostileInputTest {
  private final AtomicInteger refused = new AtomicInteger();
  private CapturedLog log;

  @Override
  List<ClientInterceptor> watchers() {
    return List.of(new RefusalCounter());
  }

  @BeforeEach
  void capture() {
    log = CapturedLog.start();
  }

  @AfterEach
  void atMostOneLinePerRefusal() {
    log.close();
    log.assertAtMostOneLineEach(refused.get());
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
