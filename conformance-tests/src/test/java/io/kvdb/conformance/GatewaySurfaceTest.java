package io.kvdb.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.StatusProto;
import io.kvdb.proto.v1.GetQueueRequest;
import io.kvdb.proto.v1.QueueServiceGrpc;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What any gRPC tool sees: health, reflection (grpcurl list), and error details. */
class GatewaySurfaceTest {
  private ManagedChannel channel;

  @BeforeEach
  void connect() {
    channel = ManagedChannelBuilder.forTarget(KvdbTarget.address()).usePlaintext().build();
  }

  @AfterEach
  void close() {
    channel.shutdownNow();
  }

  @Test
  void healthIsServingForTheServerAndEachService() {
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
    for (String service : List.of("", "kvdb.v1.QueueService")) {
      HealthCheckResponse response =
          health.check(HealthCheckRequest.newBuilder().setService(service).build());
      assertEquals(
          HealthCheckResponse.ServingStatus.SERVING,
          response.getStatus(),
          "service '" + service + "'");
    }
  }

  @Test
  void healthOfAnUnknownServiceIsNotFoundHoweverLongItsName() {
    // grpc's health service echoes the name in its message: 10 KiB of it would pass the client's
    // 8 KiB metadata limit and fail the call as INTERNAL, unless the gateway cuts it.
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
    for (String service : List.of("no.Such", "x".repeat(10 * 1024), "日本語".repeat(2000))) {
      StatusRuntimeException refused =
          assertThrows(
              StatusRuntimeException.class,
              () -> health.check(HealthCheckRequest.newBuilder().setService(service).build()));
      assertEquals(Status.Code.NOT_FOUND, refused.getStatus().getCode(), refused.getMessage());
    }
  }

  @Test
  void reflectionListsTheServicesAsGrpcurlWould() throws Exception {

    List<String> names = ServedServices.listed(channel);
    assertTrue(names.contains("kvdb.v1.QueueService"), names.toString());
    assertTrue(names.contains("grpc.health.v1.Health"), names.toString());
  }

  @Test
  void errorsCarryErrorInfoInTheKvdbDomain() throws Exception {
    StatusRuntimeException error =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class,
            () ->
                QueueServiceGrpc.newBlockingStub(channel)
                    .getQueue(
                        GetQueueRequest.newBuilder()
                            .setName("missing-" + UUID.randomUUID())
                            .build()));

    com.google.rpc.Status status = StatusProto.fromThrowable(error);
    ErrorInfo info = null;
    for (Any detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        info = detail.unpack(ErrorInfo.class);
      }
    }
    assertEquals(io.grpc.Status.Code.NOT_FOUND, error.getStatus().getCode());
    assertEquals("kvdb", info.getDomain());
    assertEquals("NOT_FOUND", info.getReason());
  }
}
