package io.kvdb.gateway.broker;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kvdb.gateway.api.CallContext;
import io.kvdb.gateway.api.InvalidArgumentException;
import io.kvdb.gateway.api.Names;
import io.kvdb.gateway.api.Unary;
import io.kvdb.gateway.wait.PatientCall;
import io.kvdb.gateway.wait.Wakeups;
import io.kvdb.lua.Keys;
import io.kvdb.lua.broker.Broker;
import io.kvdb.proto.StructValues;
import io.kvdb.proto.v1.BrokerServiceGrpc;
import io.kvdb.proto.v1.PublishRequest;
import io.kvdb.proto.v1.PublishResponse;
import io.kvdb.proto.v1.SubscribeRequest;
import io.kvdb.proto.v1.SubscribeResponse;
import redis.clients.jedis.UnifiedJedis;

/** {@code kvdb.v1.BrokerService}: publish to channels, subscribe to all or one of a group. */
public final class BrokerService extends BrokerServiceGrpc.BrokerServiceImplBase
    implements AutoCloseable {
  static final int MAX_PAYLOAD = 1024 * 1024;

  private final Broker broker;
  private final int retention;
  private final Wakeups publishes;
  private final PatientCall.Runtime runtime;

  public BrokerService(
      Broker broker, int retention, UnifiedJedis redis, PatientCall.Runtime runtime) {
    this.broker = broker;
    this.retention = retention;
    this.publishes = new Wakeups(redis, Keys.BROKER_CHANNEL, true);
    this.runtime = runtime;
  }

  @Override
  public void publish(PublishRequest request, StreamObserver<PublishResponse> observer) {
    Unary.respond(
        observer,
        () -> {
          String channel = Names.channel("channel", request.getChannel());
          if (request.getPayload().size() > MAX_PAYLOAD) {
            throw new InvalidArgumentException(
                "payload", "must be at most " + MAX_PAYLOAD + " bytes");
          }
          Broker.Mode mode =
              switch (request.getMode()) {
                case DELIVERY_MODE_UNSPECIFIED, ALL -> Broker.Mode.ALL;
                case ONE -> Broker.Mode.ONE;
                case UNRECOGNIZED ->
                    throw new InvalidArgumentException("mode", "must be ALL or ONE");
              };
          String id =
              broker.publish(
                  CallContext.project(),
                  channel,
                  mode,
                  request.getPayload().toByteArray(),
                  StructValues.toMap(request.getAttributes()),
                  retention);
          return PublishResponse.newBuilder().setId(id).build();
        });
  }

  @Override
  public StreamObserver<SubscribeRequest> subscribe(StreamObserver<SubscribeResponse> deliveries) {
    return new Subscription(
        broker,
        retention,
        publishes,
        runtime,
        CallContext.project(),
        (ServerCallStreamObserver<SubscribeResponse>) deliveries);
  }

  @Override
  public void close() {
    publishes.close();
  }
}
