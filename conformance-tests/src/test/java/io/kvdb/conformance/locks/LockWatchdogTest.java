package io.kvdb.conformance.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.kvdb.client.HeldLock;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.KvdbClientOptions;
import io.kvdb.client.LockOptions;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.proto.v1.LockServiceGrpc;
import io.kvdb.proto.v1.RenewLockRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The lock watchdog renews each lock on its own: one slow renewal holds up no other lock. */
class LockWatchdogTest {
  private static final Duration TTL = Duration.ofMillis(450);
  private static final Duration SLOW_REPLY = Duration.ofSeconds(2);

  @Test
  void aSlowRenewalOfOneLockDelaysNoOther() {
    SlowReplies slowReplies = new SlowReplies("slow");
    ManagedChannel channel =
        ManagedChannelBuilder.forTarget(KvdbTarget.address())
            .usePlaintext()
            .intercept(slowReplies)
            .build();
    List<String> lost = Collections.synchronizedList(new ArrayList<>());
    LockOptions watched =
        LockOptions.newBuilder().setWatchdog((lock, cause) -> lost.add(lock.name())).build();
    try (KvdbClient kvdb =
        KvdbClient.create(
            KvdbClientOptions.newBuilder()
                .setChannel(channel)
                .setProject(KvdbTarget.freshProject())
                .build())) {
      HeldLock slow = kvdb.locks().acquire("slow", TTL, watched);
      List<HeldLock> fast = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        fast.add(kvdb.locks().acquire("fast-" + i, TTL, watched));
      }

      Eventually.await(
          "a renewal of the slow lock is held up", () -> slowReplies.delayed.get() > 0);
      Eventually.holdsFor(
          "every other lock stays held, with its own fence",
          TTL.multipliedBy(3),
          () ->
              fast.stream()
                  .allMatch(
                      lock -> {
                        io.kvdb.proto.v1.Lock seen = kvdb.locks().get(lock.name());
                        return seen.getHeld() && seen.getFence() == lock.fence();
                      }));
      assertEquals(List.of(), lost.stream().filter(name -> !name.equals("slow")).toList());
      fast.forEach(HeldLock::close);
      slow.close();
    } finally {
      slowReplies.timer.shutdownNow();
      channel.shutdownNow();
    }
  }

  /** Holds back, by {@link #SLOW_REPLY}, the replies to renewals of one lock: a slow network. */
  private static final class SlowReplies implements ClientInterceptor {
    private final String name;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger delayed = new AtomicInteger();

    SlowReplies(String name) {
      this.name = name;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(
        MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      ClientCall<Q, R> call = next.newCall(method, options);
      if (!method
          .getFullMethodName()
          .equals(LockServiceGrpc.getRenewMethod().getFullMethodName())) {
        return call;
      }
      return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
        private volatile boolean slow;

        @Override
        public void start(Listener<R> replies, Metadata headers) {
          super.start(
              new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(replies) {
                @Override
                public void onHeaders(Metadata received) {
                  later(() -> super.onHeaders(received));
                }

                @Override
                public void onMessage(R reply) {
                  later(() -> super.onMessage(reply));
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                  later(() -> super.onClose(status, trailers));
                }
              },
              headers);
        }

        @Override
        public void sendMessage(Q request) {
          slow = ((RenewLockRequest) request).getName().equals(name);
          if (slow) {
            delayed.incrementAndGet();
          }
          super.sendMessage(request);
        }

        private void later(Runnable reply) {
          if (slow) {
            timer.schedule(reply, SLOW_REPLY.toMillis(), TimeUnit.MILLISECONDS);
          } else {
            reply.run();
          }
        }
      };
    }
  }
}
