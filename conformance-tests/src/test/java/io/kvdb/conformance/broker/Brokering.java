package io.kvdb.conformance.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.kvdb.client.Subscriber;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.proto.v1.Acknowledgement;
import io.kvdb.proto.v1.BrokerServiceGrpc;
import io.kvdb.proto.v1.Delivery;
import io.kvdb.proto.v1.SubscribeRequest;
import io.kvdb.proto.v1.SubscribeResponse;
import io.kvdb.proto.v1.SubscribeStart;
import io.kvdb.proto.v1.Subscribed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Shared helpers of the broker tests: recording handlers, liveness probes and raw streams. */
public final class Brokering {
  /** Payloads starting with this are liveness probes, left out of {@link Recorder#payloads}. */
  private Brokering() {}

  public static byte[] text(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  /** Polls until {@code condition} holds (see {@link Eventually}). */
  public static void await(String what, BooleanSupplier condition) {
    Eventually.await(what, condition);
  }

  public static void await(Supplier<String> what, BooleanSupplier condition) {
    Eventually.await(what, condition);
  }

  /** As {@link #await}, within {@code millis}: for claims that something happens promptly. */
  public static void awaitWithin(long millis, Supplier<String> what, BooleanSupplier condition) {
    Eventually.within(java.time.Duration.ofMillis(millis), what, condition);
  }

  /** A subscriber handler that records what it handled, in order. */
  public static final class Recorder implements Subscriber.Handler {
    final List<Delivery> got = new CopyOnWriteArrayList<>();

    @Override
    public void handle(Delivery delivery) throws Exception {
      got.add(delivery);
    }

    /** Payloads other than probes, in the order handled. */
    List<String> payloads() {
      return got.stream().map(d -> d.getPayload().toStringUtf8()).toList();
    }

    List<String> payloads(String channel) {
      return got.stream()
          .filter(d -> d.getChannel().equals(channel))
          .map(d -> d.getPayload().toStringUtf8())
          .toList();
    }
  }

  /** A Subscribe stream spoken raw, on a channel of its own: nothing acks unless told. */
  public static final class RawSubscription
      implements StreamObserver<SubscribeResponse>, AutoCloseable {
    final LinkedBlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    final CompletableFuture<Subscribed> subscribed = new CompletableFuture<>();
    final CompletableFuture<Status> end = new CompletableFuture<>();
    volatile Throwable failure;
    private final ManagedChannel channel;
    private final StreamObserver<SubscribeRequest> requests;

    RawSubscription(String project) {
      this(KvdbTarget.address(), project);
    }

    RawSubscription(String address, String project) {
      channel = ManagedChannelBuilder.forTarget(address).usePlaintext().build();
      Metadata headers = new Metadata();
      headers.put(Metadata.Key.of("x-project-id", Metadata.ASCII_STRING_MARSHALLER), project);
      requests =
          BrokerServiceGrpc.newStub(channel)
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
              .subscribe(this);
    }

    RawSubscription start(SubscribeStart.Builder start) {
      return send(SubscribeRequest.newBuilder().setStart(start).build());
    }

    RawSubscription ack(String channelName, List<String> ids) {
      return send(
          SubscribeRequest.newBuilder()
              .setAck(Acknowledgement.newBuilder().setChannel(channelName).addAllIds(ids))
              .build());
    }

    synchronized RawSubscription send(SubscribeRequest request) {
      requests.onNext(request);
      return this;
    }

    /** The next {@code count} deliveries; fails if they do not come within 10 s. */
    List<Delivery> receive(int count) throws InterruptedException {
      List<Delivery> received = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (received.size() < count) {
        Delivery next =
            deliveries.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        assertNotNull(
            next,
            "only "
                + received.size()
                + " of "
                + count
                + " deliveries came; end: "
                + end.getNow(null));
        received.add(next);
      }
      return received;
    }

    /** Asserts that nothing is delivered for {@code millis} (a negative check needs a window). */
    void expectNothingFor(long millis) throws InterruptedException {
      Delivery unexpected = deliveries.poll(millis, TimeUnit.MILLISECONDS);
      assertEquals(null, unexpected, "nothing more was due");
    }

    /** How the gateway ended the stream (within 10 s). */
    Status ended() throws Exception {
      return end.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void onNext(SubscribeResponse response) {
      if (response.hasSubscribed()) {
        subscribed.complete(response.getSubscribed());
      } else {
        deliveries.add(response.getDelivery());
      }
    }

    @Override
    public void onError(Throwable error) {
      failure = error;
      end.complete(Status.fromThrowable(error));
    }

    @Override
    public void onCompleted() {
      end.complete(Status.OK);
    }

    @Override
    public void close() {
      channel.shutdownNow();
    }
  }

  /** The gateway ended the stream with INVALID_ARGUMENT naming {@code field} in a BadRequest. */
  public static void assertInvalid(String field, RawSubscription stream) throws Exception {
    Status status = stream.ended();
    assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), status.toString());
    assertEquals(List.of(field), badFields(stream.failure), status.toString());
  }

  private static List<String> badFields(Throwable error) throws InvalidProtocolBufferException {
    com.google.rpc.Status status = StatusProto.fromThrowable(error);
    assertNotNull(status, "the status carries details");
    List<String> fields = new ArrayList<>();
    for (Any detail : status.getDetailsList()) {
      if (detail.is(BadRequest.class)) {
        detail
            .unpack(BadRequest.class)
            .getFieldViolationsList()
            .forEach(v -> fields.add(v.getField()));
      }
    }
    return fields;
  }

  public static SubscribeStart.Builder group(String name, int maxUnacked, String... channels) {
    return SubscribeStart.newBuilder()
        .addAllChannels(List.of(channels))
        .setGroup(name)
        .setMaxUnacked(maxUnacked);
  }

  public static List<String> ids(List<Delivery> deliveries) {
    return deliveries.stream().map(Delivery::getId).toList();
  }

  public static List<String> payloads(List<Delivery> deliveries) {
    return deliveries.stream().map(d -> d.getPayload().toStringUtf8()).toList();
  }
}
