package io.kvdb.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.kvdb.lua.redis.RedisServerProcess;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.lua.testing.TestRedis;
import io.kvdb.proto.v1.GetQueueRequest;
import io.kvdb.proto.v1.QueueServiceGrpc;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** A gateway whose Redis goes away answers UNAVAILABLE and reports NOT_SERVING. */
class RedisOutageTest {
  @Test
  void losingRedisMakesCallsUnavailableAndHealthNotServing() throws Exception {
    RedisServerProcess redis = TestRedis.startPrivate();
    GatewayConfig config =
        GatewayConfig.parse(
            "--port", "0", "--redis-timeout-ms", "300", "--redis", redis.uri().toString());
    try (Gateway gateway = Gateway.start(config)) {
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
      try {
        var health = HealthGrpc.newBlockingStub(channel);
        assertEquals(
            ServingStatus.SERVING,
            health.check(HealthCheckRequest.getDefaultInstance()).getStatus());

        redis.close();

        var queues = QueueServiceGrpc.newBlockingStub(channel);
        StatusRuntimeException error =
            Assertions.assertThrows(
                StatusRuntimeException.class,
                () -> queues.getQueue(GetQueueRequest.newBuilder().setName("q").build()));
        assertEquals(Status.Code.UNAVAILABLE, error.getStatus().getCode(), error.toString());
        Eventually.await(
            "health turns NOT_SERVING",
            () ->
                health.check(HealthCheckRequest.getDefaultInstance()).getStatus()
                    == ServingStatus.NOT_SERVING);
      } finally {
        channel.shutdownNow();
      }
    } finally {
      redis.close();
    }
  }
}
