package io.kvdb.gateway.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.gateway.server.GatewayConfig;
import io.kvdb.lua.redis.RedisServerProcess;
import io.kvdb.lua.testing.TestRedis;
import io.kvdb.proto.v1.ClaimServiceGrpc;
import io.kvdb.proto.v1.ConsumeRequest;
import io.kvdb.proto.v1.ConsumeResponse;
import io.kvdb.proto.v1.ConsumeStart;
import io.kvdb.proto.v1.MessageIds;
import io.kvdb.proto.v1.MessageServiceGrpc;
import io.kvdb.proto.v1.NewMessage;
import io.kvdb.proto.v1.PostMessagesRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A Consume stream that breaks because Redis went away ends UNAVAILABLE, never UNKNOWN. */
class ConsumeOutageTest {
  @Test
  void aStreamHoldingMessagesWhenRedisGoesAwayEndsUnavailable() throws Exception {
    RedisServerProcess redis = TestRedis.startPrivate();
    GatewayConfig config =
        GatewayConfig.parse(
            "--port", "0", "--redis-timeout-ms", "300", "--redis", redis.uri().toString());
    try (Gateway gateway = Gateway.start(config)) {
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
      try {
        MessageServiceGrpc.newBlockingStub(channel)
            .postMessages(
                PostMessagesRequest.newBuilder()
                    .setQueue("q")
                    .addMessages(NewMessage.newBuilder().setBody(ByteString.copyFromUtf8("acked")))
                    .addMessages(NewMessage.newBuilder().setBody(ByteString.copyFromUtf8("held")))
                    .build());
        LinkedBlockingQueue<ConsumeResponse> pushes = new LinkedBlockingQueue<>();
        CompletableFuture<Status> end = new CompletableFuture<>();
        StreamObserver<ConsumeRequest> requests =
            ClaimServiceGrpc.newStub(channel)
                .consume(
                    new StreamObserver<>() {
                      @Override
                      public void onNext(ConsumeResponse push) {
                        pushes.add(push);
                      }

                      @Override
                      public void onError(Throwable error) {
                        end.complete(Status.fromThrowable(error));
                      }

                      @Override
                      public void onCompleted() {
                        end.complete(Status.OK);
                      }
                    });
        requests.onNext(
            ConsumeRequest.newBuilder().setStart(ConsumeStart.newBuilder().setQueue("q")).build());
        requests.onNext(ConsumeRequest.newBuilder().setCredit(10).build());
        ConsumeResponse push = pushes.poll(10, TimeUnit.SECONDS);
        String acked = push.getMessages(0).getId();

        redis.close();
        // The ack fails on the missing Redis, and so does giving back the message still held.
        requests.onNext(
            ConsumeRequest.newBuilder().setAck(MessageIds.newBuilder().addIds(acked)).build());

        assertEquals(Status.Code.UNAVAILABLE, end.get(10, TimeUnit.SECONDS).getCode());
      } finally {
        channel.shutdownNow();
      }
    } finally {
      redis.close();
    }
  }
}
