package io.kvdb.client;

import com.google.protobuf.ByteString;
import io.kvdb.proto.v1.BrokerServiceGrpc;
import io.kvdb.proto.v1.DeliveryMode;
import io.kvdb.proto.v1.PublishRequest;
import java.util.List;

/** The broker: publish to channels, and subscribe with a listener that acks and resumes. */
public final class BrokerClient {
  private final KvdbClient client;

  BrokerClient(KvdbClient client) {
    this.client = client;
  }

  /** Publishes to every subscriber (ALL) or to one member of each group (ONE); returns the id. */
  public String publish(String channel, byte[] payload, DeliveryMode mode) {
    return publish(PublishRequest.newBuilder()
        .setChannel(channel).setPayload(ByteString.copyFrom(payload)).setMode(mode).build());
  }

  public String publish(PublishRequest request) {
    return Calls.blocking(() -> client.withDeadline(BrokerServiceGrpc.newBlockingStub(client.channel()))
        .publish(request)).getId();
  }

  /** Every ALL message of the channels from now on, to {@code handler}, in order per channel. */
  public Subscriber subscribe(List<String> channels, Subscriber.Handler handler) {
    return new Subscriber.Builder(client, channels, handler).start();
  }

  /** Settings for a subscription: a group (ONE messages), resume ids, flow control, errors. */
  public Subscriber.Builder subscriber(List<String> channels, Subscriber.Handler handler) {
    return new Subscriber.Builder(client, channels, handler);
  }
}
