package io.kvdb.client;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.kvdb.proto.v1.Acknowledgement;
import io.kvdb.proto.v1.BrokerServiceGrpc;
import io.kvdb.proto.v1.Delivery;
import io.kvdb.proto.v1.SubscribeRequest;
import io.kvdb.proto.v1.SubscribeResponse;
import io.kvdb.proto.v1.SubscribeStart;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A live subscription, started by {@link BrokerClient#subscriber}, that runs a handler per
 * delivery, one at a time, in delivery order. In a group, a delivery is acknowledged when the
 * handler returns (acknowledgements go back together every 5 ms); one whose handler throws is not,
 * and comes again after the group's ack timeout. If the stream breaks, the subscriber opens a new
 * one, resuming broadcast channels after the last id it handled. Closing it lets the handler finish
 * what it has.
 *
 * <pre>{@code
 * SubscriberOptions workers = SubscriberOptions.newBuilder().setGroup("servers").build();
 * try (Subscriber subscriber = kvdb.broker().subscriber(List.of("scheduler"), workers, job -> run(job))) {
 *   ...
 * }
 * }</pre>
 */
public final class Subscriber implements AutoCloseable {
  /** Handles one delivery; throwing leaves a group delivery unacknowledged. */
  @FunctionalInterface
  public interface Handler {
    void handle(Delivery delivery) throws Exception;
  }

  private static final long RECONNECT_MILLIS = 500;

  /** How long handled group deliveries wait to be acknowledged together. */
  private static final long ACK_FLUSH_MILLIS = 5;

  /** Deliveries received ahead of the handler at most. */
  private static final int BUFFER = 100;

  private final KvdbClient client;
  private final List<String> channels;
  private final SubscriberOptions options;
  private final Handler handler;
  private final Map<String, String> lastIds = new ConcurrentHashMap<>();
  private final ExecutorService handling;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "kvdb-subscriber-reconnect");
            thread.setDaemon(true);
            return thread;
          });
  private final Object sending = new Object();

  /** Handled group deliveries not yet acknowledged, per channel: sent every few milliseconds. */
  private final Map<String, List<String>> pendingAcks = new java.util.HashMap<>();

  private StreamObserver<SubscribeRequest> stream;
  private volatile boolean running = true;

  private Subscriber(
      KvdbClient client, List<String> channels, SubscriberOptions options, Handler handler) {
    this.client = client;
    this.channels = List.copyOf(channels);
    this.options = Objects.requireNonNull(options, "options");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.lastIds.putAll(options.resumeAfter());
    this.handling =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "kvdb-subscriber");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Connects and returns once the gateway confirms the subscription is in place. */
  static Subscriber start(
      KvdbClient client, List<String> channels, SubscriberOptions options, Handler handler) {
    return new Subscriber(client, channels, options, handler).start();
  }

  private Subscriber start() {
    if (options.group().isPresent()) {
      timer.scheduleWithFixedDelay(
          this::flushAcks, ACK_FLUSH_MILLIS, ACK_FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }
    CompletableFuture<Void> subscribed = connect();
    try {
      subscribed.get(client.deadline().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException failed) {
      close();
      throw KvdbException.from(failed.getCause());
    } catch (TimeoutException | InterruptedException notInTime) {
      close();
      throw KvdbException.from(
          Status.DEADLINE_EXCEEDED
              .withDescription("the gateway did not confirm the subscription in time")
              .asRuntimeException());
    }
    return this;
  }

  private CompletableFuture<Void> connect() {
    SubscribeStart.Builder start = SubscribeStart.newBuilder().addAllChannels(channels);
    if (options.group().isPresent()) {
      start
          .setGroup(options.group().get())
          .setMaxUnacked(options.maxUnacked())
          .setAckTimeout(ProtoDurations.of(options.ackTimeout()))
          .setMaxDeliveries(options.maxDeliveries());
    } else {
      start.putAllAfterIds(lastIds);
    }
    Deliveries deliveries = new Deliveries();
    synchronized (sending) {
      stream = BrokerServiceGrpc.newStub(client.channel()).subscribe(deliveries);
      stream.onNext(SubscribeRequest.newBuilder().setStart(start).build());
    }
    return deliveries.subscribed;
  }

  private void handle(Delivery delivery) {
    try {
      handler.handle(delivery);
    } catch (Exception failed) {
      return;
    }
    lastIds.put(delivery.getChannel(), delivery.getId());
    if (options.group().isPresent()) {
      synchronized (sending) {
        pendingAcks
            .computeIfAbsent(delivery.getChannel(), channel -> new java.util.ArrayList<>())
            .add(delivery.getId());
      }
    }
  }

  /** Sends the acknowledgements gathered since the last flush, one message per channel. */
  private void flushAcks() {
    synchronized (sending) {
      if (stream != null) {
        pendingAcks.forEach(
            (channel, ids) ->
                stream.onNext(
                    SubscribeRequest.newBuilder()
                        .setAck(Acknowledgement.newBuilder().setChannel(channel).addAllIds(ids))
                        .build()));
      }
      pendingAcks.clear();
    }
  }

  private void broke(Throwable error) {
    Status status = Status.fromThrowable(error);
    if (status.getCode() == Status.Code.OUT_OF_RANGE) {
      // Messages were trimmed before this subscriber got them: say so, then resume after the
      // last trimmed id, which gets everything the channel still keeps.
      options.onGap().accept(channels, status);
      resumePoint(error).ifPresent(resume -> lastIds.put(resume[0], resume[1]));
    }
    if (running) {
      // Reconnect on the handling thread, after the deliveries of the broken stream it still
      // has queued: only then are the last ids handled the place to resume, not before them.
      timer.schedule(
          () -> {
            try {
              handling.execute(
                  () -> {
                    if (running) {
                      connect();
                    }
                  });
            } catch (RejectedExecutionException closing) {
              // Closed meanwhile.
            }
          },
          RECONNECT_MILLIS,
          TimeUnit.MILLISECONDS);
    }
  }

  /** The channel and id from a FELL_BEHIND error's ErrorInfo, if it has them. */
  private static java.util.Optional<String[]> resumePoint(Throwable error) {
    com.google.rpc.Status details = io.grpc.protobuf.StatusProto.fromThrowable(error);
    if (details == null) {
      return java.util.Optional.empty();
    }
    for (com.google.protobuf.Any detail : details.getDetailsList()) {
      try {
        if (detail.is(com.google.rpc.ErrorInfo.class)) {
          Map<String, String> metadata =
              detail.unpack(com.google.rpc.ErrorInfo.class).getMetadataMap();
          if (metadata.containsKey("channel") && metadata.containsKey("resume_after")) {
            return java.util.Optional.of(
                new String[] {metadata.get("channel"), metadata.get("resume_after")});
          }
        }
      } catch (com.google.protobuf.InvalidProtocolBufferException unreadable) {
        return java.util.Optional.empty();
      }
    }
    return java.util.Optional.empty();
  }

  /** The last id handled per broadcast channel: where a new subscriber could resume. */
  public Map<String, String> lastIds() {
    return Map.copyOf(lastIds);
  }

  /** Stops receiving, lets the handler finish what it has, and closes the stream. */
  @Override
  public void close() {
    running = false;
    handling.shutdown();
    try {
      handling.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timer.shutdownNow();
    flushAcks();
    synchronized (sending) {
      if (stream != null) {
        stream.onCompleted();
        stream = null;
      }
    }
  }

  /**
   * Receives with gRPC flow control: at most {@link #BUFFER} deliveries are requested ahead of the
   * handler, so a slow handler slows the gateway's reads instead of growing memory here.
   */
  private final class Deliveries
      implements ClientResponseObserver<SubscribeRequest, SubscribeResponse> {
    final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    private ClientCallStreamObserver<SubscribeRequest> call;

    @Override
    public void beforeStart(ClientCallStreamObserver<SubscribeRequest> requestStream) {
      call = requestStream;
      requestStream.disableAutoRequestWithInitial(BUFFER);
    }

    @Override
    public void onNext(SubscribeResponse response) {
      if (response.hasSubscribed()) {
        // Where a broadcast channel starts: a reconnect before any delivery resumes from here.
        response.getSubscribed().getPositionsMap().forEach(lastIds::putIfAbsent);
        subscribed.complete(null);
        call.request(1);
      } else if (running) {
        Delivery delivery = response.getDelivery();
        handling.execute(
            () -> {
              handle(delivery);
              call.request(1);
            });
      }
    }

    @Override
    public void onError(Throwable error) {
      if (!subscribed.completeExceptionally(error)) {
        broke(error);
      }
    }

    @Override
    public void onCompleted() {
      broke(
          Status.UNAVAILABLE
              .withDescription("the gateway ended the subscription")
              .asRuntimeException());
    }
  }
}
