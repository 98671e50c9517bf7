package io.kvdb.gateway.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.gateway.server.GatewayConfig;
import io.kvdb.lua.Keys;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.lua.testing.TestRedis;
import io.kvdb.lua.testing.WithRedis;
import io.kvdb.proto.v1.BrokerServiceGrpc;
import io.kvdb.proto.v1.DeliveryMode;
import io.kvdb.proto.v1.PublishRequest;
import io.kvdb.proto.v1.SubscribeRequest;
import io.kvdb.proto.v1.SubscribeResponse;
import io.kvdb.proto.v1.SubscribeStart;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** A group member's stream that ends leaves no Redis consumer behind and loses nothing it held. */
@WithRedis
class SubscriptionEndTest {
  private static Gateway gateway;
  private final UnifiedJedis redis;

  SubscriptionEndTest(UnifiedJedis redis) {
    this.redis = redis;
  }

  @BeforeAll
  static void start() {
    gateway =
        Gateway.start(
            GatewayConfig.parse(
                "--port",
                "0",
                "--rollup-interval-ms",
                "86400000",
                "--redis",
                TestRedis.shared().uri().toString()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void anEndedMemberStreamDeletesItsConsumerAndHandsItsMessagesToTheGroup() throws Exception {
    String project = "sub-end-" + UUID.randomUUID();
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("x-project-id", Metadata.ASCII_STRING_MARSHALLER), project);
    var broker =
        BrokerServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    for (int i = 0; i < 3; i++) {
      broker.publish(
          PublishRequest.newBuilder()
              .setChannel("jobs")
              .setMode(DeliveryMode.ONE)
              .setPayload(ByteString.copyFromUtf8("j" + i))
              .build());
    }
    AtomicInteger delivered = new AtomicInteger();
    StreamObserver<SubscribeRequest> requests =
        BrokerServiceGrpc.newStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
            .subscribe(
                new StreamObserver<SubscribeResponse>() {
                  @Override
                  public void onNext(SubscribeResponse response) {
                    if (response.hasDelivery()) {
                      delivered.incrementAndGet();
                    }
                  }

                  @Override
                  public void onError(Throwable error) {}

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(
        SubscribeRequest.newBuilder()
            .setStart(
                SubscribeStart.newBuilder()
                    .addChannels("jobs")
                    .addChannels("idle")
                    .setGroup("g")
                    .setMaxUnacked(10))
            .build());
    Eventually.await("all three delivered", () -> delivered.get() == 3);
    String stream = Keys.broker(project) + ":one:jobs";
    assertEquals(1, redis.xinfoConsumers(stream, "g").size(), "the member's consumer");

    requests.onCompleted();
    Eventually.await(
        () -> "the member's consumer is gone: " + names(stream),
        () -> names(stream).equals(List.of("(left)")));
    assertEquals(
        3,
        redis.xpending(stream, "g").getTotal(),
        "what it held is still pending, for another member");
    channel.shutdownNow();
  }

  private List<String> names(String stream) {
    return redis.xinfoConsumers(stream, "g").stream().map(c -> c.getName()).toList();
  }
}
