package io.kvdb.gateway.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.gateway.server.GatewayConfig;
import io.kvdb.lua.testing.TestRedis;
import io.kvdb.proto.v1.ClaimServiceGrpc;
import io.kvdb.proto.v1.ConsumeRequest;
import io.kvdb.proto.v1.ConsumeResponse;
import io.kvdb.proto.v1.ConsumeStart;
import io.kvdb.proto.v1.GetQueueStatsRequest;
import io.kvdb.proto.v1.MessageServiceGrpc;
import io.kvdb.proto.v1.NewMessage;
import io.kvdb.proto.v1.PostMessagesRequest;
import io.kvdb.proto.v1.QueueServiceGrpc;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.RepeatedTest;

/**
 * A gateway that stops cuts its Consume streams, and the messages it had pushed into them (or had
 * just claimed for them) may never have reached the consumer: it gives all of them back before it
 * lets go of Redis, so that they are claimable at once rather than when their claims lapse.
 * Repeated, because the claims under way and the gateway's closing race.
 */
class ConsumeOnStopTest {
  private static final int STREAMS = 8;
  private static final int PUSHED_BEFORE_STOP = 200;

  @RepeatedTest(5)
  void aStoppingGatewayGivesBackEveryMessageItsStreamsHeld() throws Exception {
    String queue = "stop-" + UUID.randomUUID();
    String redis = TestRedis.shared().uri().toString();
    Gateway gateway = start(redis);
    ManagedChannel channel = channel(gateway);
    AtomicBoolean posting = new AtomicBoolean(true);
    Thread producer = new Thread(() -> postWhile(posting, channel, queue));
    try {
      Semaphore pushed = new Semaphore(0);
      for (int i = 0; i < STREAMS; i++) {
        consume(channel, queue, pushed);
      }
      producer.start();
      // Stopped while claims are under way: some are in flight as their streams are cut.
      assertTrue(pushed.tryAcquire(PUSHED_BEFORE_STOP, 10, TimeUnit.SECONDS), "messages pushed");
    } finally {
      gateway.close();
      posting.set(false);
      producer.join();
      channel.shutdownNow();
    }
    try (Gateway next = start(redis)) {
      ManagedChannel after = channel(next);
      try {
        long claimed =
            QueueServiceGrpc.newBlockingStub(after)
                .getQueueStats(GetQueueStatsRequest.newBuilder().setName(queue).build())
                .getClaimed();
        assertEquals(0, claimed, "messages still claimed after the gateway stopped");
      } finally {
        after.shutdownNow();
      }
    }
  }

  private static Gateway start(String redis) {
    return Gateway.start(
        GatewayConfig.parse("--port", "0", "--shutdown-grace-seconds", "0", "--redis", redis));
  }

  private static ManagedChannel channel(Gateway gateway) {
    return ManagedChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
  }

  /** Posts one message at a time, so that every post sets off claims, until the gateway stops. */
  private static void postWhile(AtomicBoolean posting, ManagedChannel channel, String queue) {
    PostMessagesRequest post =
        PostMessagesRequest.newBuilder()
            .setQueue(queue)
            .addMessages(NewMessage.newBuilder().setBody(ByteString.copyFromUtf8("m")))
            .build();
    while (posting.get()) {
      try {
        MessageServiceGrpc.newBlockingStub(channel).postMessages(post);
      } catch (StatusRuntimeException stopped) {
        return;
      }
    }
  }

  /** A stream with credit for more than it will be pushed, that never settles any of it. */
  private static void consume(ManagedChannel channel, String queue, Semaphore pushed) {
    StreamObserver<ConsumeRequest> requests =
        ClaimServiceGrpc.newStub(channel)
            .consume(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ConsumeResponse push) {
                    pushed.release(push.getMessagesCount());
                  }

                  @Override
                  public void onError(Throwable cut) {}

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(
        ConsumeRequest.newBuilder().setStart(ConsumeStart.newBuilder().setQueue(queue)).build());
    requests.onNext(ConsumeRequest.newBuilder().setCredit(100_000).build());
  }
}
