package io.kvdb.client;

import com.google.protobuf.ByteString;
import io.kvdb.proto.StructValues;
import io.kvdb.proto.v1.BrokerServiceGrpc;
import io.kvdb.proto.v1.DeliveryMode;
import io.kvdb.proto.v1.PublishRequest;
import io.kvdb.proto.v1.PublishResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The broker: publish to channels, and {@link Subscriber}s that run a handler per delivery,
 * acknowledge and resume. Each call blocks, and its {@code ...Async} twin returns a {@link
 * CompletableFuture}.
 *
 * <pre>{@code
 * try (Subscriber news = kvdb.broker().subscriber(List.of("news"), delivery -> show(delivery))) {
 *   kvdb.broker().publish("news", payload, DeliveryMode.ALL);
 * }
 * }</pre>
 */
public final class BrokerClient {
  private final KvdbClient client;

  BrokerClient(KvdbClient client) {
    this.client = client;
  }

  /** Publishes to every subscriber (ALL) or to one member of each group (ONE); returns the id. */
  public String publish(String channel, byte[] payload, DeliveryMode mode) {
    return Calls.await(publishAsync(channel, payload, mode));
  }

  public CompletableFuture<String> publishAsync(String channel, byte[] payload, DeliveryMode mode) {
    return publishAsync(channel, payload, PublishOptions.newBuilder().setMode(mode).build());
  }

  /** Publishes as the options say (mode, attributes); returns the id. */
  public String publish(String channel, byte[] payload, PublishOptions options) {
    return Calls.await(publishAsync(channel, payload, options));
  }

  public CompletableFuture<String> publishAsync(
      String channel, byte[] payload, PublishOptions options) {
    PublishRequest request =
        PublishRequest.newBuilder()
            .setChannel(channel)
            .setPayload(ByteString.copyFrom(payload))
            .setMode(options.mode())
            .setAttributes(StructValues.toStruct(options.attributes()))
            .build();
    BrokerServiceGrpc.BrokerServiceStub stub =
        client.unaryStub(BrokerServiceGrpc.newStub(client.channel()));
    return Calls.unary(stub::publish, request).thenApply(PublishResponse::getId);
  }

  /**
   * Starts a {@link Subscriber} of every ALL message of the channels from now on, in order per
   * channel; returns once the gateway confirmed the subscription.
   */
  public Subscriber subscriber(List<String> channels, Subscriber.Handler handler) {
    return subscriber(channels, SubscriberOptions.DEFAULTS, handler);
  }

  /** Starts a {@link Subscriber} as the options say (a group, resume ids, gap listener). */
  public Subscriber subscriber(
      List<String> channels, SubscriberOptions options, Subscriber.Handler handler) {
    return Subscriber.start(client, channels, options, handler);
  }
}
