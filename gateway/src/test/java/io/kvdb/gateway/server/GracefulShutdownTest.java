package io.kvdb.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Duration;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.lua.testing.TestRedis;
import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.ClaimServiceGrpc;
import io.kvdb.proto.v1.CreateClaimRequest;
import io.kvdb.proto.v1.GetQueueRequest;
import io.kvdb.proto.v1.QueueServiceGrpc;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stopping a gateway lets calls in flight finish, and refuses new ones. */
class GracefulShutdownTest {
  @Test
  void aCallInFlightFinishesWhileTheGatewayStops() throws Exception {
    GatewayConfig config =
        GatewayConfig.parse("--port", "0", "--redis", TestRedis.shared().uri().toString());
    Gateway gateway = Gateway.start(config);
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
    try {
      Eventually.await(
          "the channel is connected", () -> channel.getState(true) == ConnectivityState.READY);
      CreateClaimRequest longPoll =
          CreateClaimRequest.newBuilder()
              .setQueue("shutdown-" + UUID.randomUUID())
              .setWait(Duration.newBuilder().setSeconds(1))
              .build();
      CompletableFuture<Claim> inFlight =
          CompletableFuture.supplyAsync(
              () -> ClaimServiceGrpc.newBlockingStub(channel).createClaim(longPoll));
      Eventually.holdsFor(
          "the long poll is in flight, waiting",
          java.time.Duration.ofMillis(300),
          () -> !inFlight.isDone());

      long stopping = System.nanoTime();
      gateway.close();

      assertEquals(
          "", inFlight.get(5, TimeUnit.SECONDS).getId(), "the waiting claim ran to its end");
      assertTrue(
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping) >= 500,
          "close waited for it");
      StatusRuntimeException refused =
          org.junit.jupiter.api.Assertions.assertThrows(
              StatusRuntimeException.class,
              () ->
                  QueueServiceGrpc.newBlockingStub(channel)
                      .getQueue(GetQueueRequest.newBuilder().setName("q").build()));
      assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());
    } finally {
      channel.shutdownNow();
    }
  }
}
