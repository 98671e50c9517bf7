package io.kvdb.fault;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.ClaimServiceGrpc;
import io.kvdb.proto.v1.ConsumeRequest;
import io.kvdb.proto.v1.ConsumeResponse;
import io.kvdb.proto.v1.ConsumeStart;
import io.kvdb.proto.v1.CreateClaimRequest;
import io.kvdb.proto.v1.DeleteMessagesRequest;
import io.kvdb.proto.v1.GetMessagesRequest;
import io.kvdb.proto.v1.Message;
import io.kvdb.proto.v1.MessageIds;
import io.kvdb.proto.v1.MessageServiceGrpc;
import io.kvdb.proto.v1.NewMessage;
import io.kvdb.proto.v1.PostMessagesRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Load on one queue through a {@link Fleet}: producers posting with acknowledgement, consumers on
 * Consume streams that ack what they get, and consumers that claim and delete, each after a short
 * handling time so that a fault always finds messages held. It remembers every post the gateway
 * answered OK and every delivery, so that after a fault it can count the acknowledged posts lost
 * and the repeats at-least-once does not allow.
 */
final class QueueLoad implements AutoCloseable {
  private static final int WORKERS_PER_KIND = 2;
  private static final int MESSAGES_PER_POST = 5;
  private static final int MAX_CALLS_PER_WORKER = 5_000;
  private static final java.time.Duration CALL_DEADLINE = java.time.Duration.ofSeconds(3);

  private final Fleet fleet;
  private final String queue;
  private final java.time.Duration claimTtl;
  private final Outcomes outcomes = new Outcomes();

  /** The posts alone, also counted in {@link #outcomes}: when posting works again after a fault. */
  private final Outcomes posts = new Outcomes();

  private final Deliveries deliveries = new Deliveries();
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final ExecutorService workers = Executors.newCachedThreadPool();

  /** Settles Consume deliveries after their handling time, off the stream's callback thread. */
  private final ScheduledExecutorService handlers = Executors.newSingleThreadScheduledExecutor();

  private final List<CompletableFuture<Void>> producers = new ArrayList<>();
  private final List<CompletableFuture<Void>> consumers = new ArrayList<>();
  private volatile boolean producing = true;
  private volatile boolean consuming = true;

  private QueueLoad(Fleet fleet, String queue, java.time.Duration claimTtl) {
    this.fleet = fleet;
    this.queue = queue;
    this.claimTtl = claimTtl;
  }

  /** Starts two workers of each kind, spread over the fleet's gateways. */
  static QueueLoad start(Fleet fleet, String queue, java.time.Duration claimTtl) {
    QueueLoad load = new QueueLoad(fleet, queue, claimTtl);
    for (int i = 0; i < WORKERS_PER_KIND; i++) {
      int index = i;
      load.producers.add(CompletableFuture.runAsync(() -> load.produce(index), load.workers));
      load.consumers.add(
          CompletableFuture.runAsync(() -> load.consumeStreams(index), load.workers));
      load.consumers.add(
          CompletableFuture.runAsync(() -> load.claimAndDelete(index), load.workers));
    }
    return load;
  }

  String queue() {
    return queue;
  }

  Outcomes outcomes() {
    return outcomes;
  }

  Outcomes posts() {
    return posts;
  }

  /**
   * From now on, the first successes after this instant measure recovery, of calls and of posts.
   */
  void fault() {
    outcomes.fault();
    posts.fault();
  }

  Deliveries deliveries() {
    return deliveries;
  }

  int acknowledgedPosts() {
    return acknowledged.size();
  }

  /**
   * Stops posting, waits (bounded) until every acknowledged post was delivered, then stops
   * consuming.
   */
  void drain(java.time.Duration bound) {
    producing = false;
    join(producers);
    long deadline = System.nanoTime() + bound.toNanos();
    while (!undelivered().isEmpty() && System.nanoTime() < deadline) {
      RedisNode.pause(50);
    }
    consuming = false;
    join(consumers);
  }

  /** Acknowledged posts that were never delivered and are not stored either. */
  List<String> lost(Channel live) {
    List<String> undelivered = undelivered();
    List<String> lost = new ArrayList<>();
    for (int from = 0; from < undelivered.size(); from += 100) {
      List<String> chunk = undelivered.subList(from, Math.min(undelivered.size(), from + 100));
      Set<String> stored = ConcurrentHashMap.newKeySet();
      try {
        MessageServiceGrpc.newBlockingStub(live)
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .getMessages(GetMessagesRequest.newBuilder().setQueue(queue).addAllIds(chunk).build())
            .getMessagesList()
            .forEach(message -> stored.add(message.getId()));
      } catch (StatusRuntimeException failure) {
        if (failure.getStatus().getCode() != Status.Code.NOT_FOUND) {
          throw failure;
        }
      }
      chunk.stream().filter(id -> !stored.contains(id)).forEach(lost::add);
    }
    return lost;
  }

  /** One line of figures; repeats are judged by the claim TTL less {@code slack}. */
  String figures(java.time.Duration slack) {
    return "acknowledged posts="
        + acknowledged.size()
        + " delivered="
        + deliveries.messages()
        + " repeats="
        + deliveries.repeats()
        + " unexplained repeats="
        + deliveries.unexplainedRepeats(claimTtl, slack).size()
        + " UNKNOWN/INTERNAL="
        + outcomes.unknownOrInternal()
        + " recovery ms="
        + outcomes.recoveryMillis()
        + " statuses="
        + outcomes.summary();
  }

  java.time.Duration claimTtl() {
    return claimTtl;
  }

  @Override
  public void close() {
    producing = false;
    consuming = false;
    workers.shutdownNow();
    handlers.shutdownNow();
  }

  private List<String> undelivered() {
    return acknowledged.stream().filter(id -> !deliveries.has(id)).toList();
  }

  private void produce(int index) {
    int gateway = index;
    for (int call = 0; producing && call < MAX_CALLS_PER_WORKER; call++) {
      PostMessagesRequest.Builder request = PostMessagesRequest.newBuilder().setQueue(queue);
      for (int m = 0; m < MESSAGES_PER_POST; m++) {
        request.addMessages(
            NewMessage.newBuilder()
                .setBody(ByteString.copyFromUtf8("p" + index + "-" + call + "-" + m))
                .setTtl(Duration.newBuilder().setSeconds(600)));
      }
      long start = System.nanoTime();
      try {
        List<String> ids =
            MessageServiceGrpc.newBlockingStub(fleet.channel(gateway))
                .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .postMessages(request.build())
                .getMessageIdsList();
        acknowledged.addAll(ids);
        outcomes.ok(start);
        posts.ok(start);
      } catch (StatusRuntimeException failure) {
        outcomes.failed("PostMessages", failure);
        posts.failed("PostMessages", failure);
        gateway = Fleet.next(gateway, failure);
      }
      RedisNode.pause(10);
    }
  }

  private void claimAndDelete(int index) {
    int gateway = index;
    CreateClaimRequest request =
        CreateClaimRequest.newBuilder()
            .setQueue(queue)
            .setLimit(10)
            .setTtl(duration(claimTtl))
            .setGrace(Duration.getDefaultInstance())
            .setWait(Duration.newBuilder().setNanos(200_000_000))
            .build();
    for (int call = 0; consuming && call < MAX_CALLS_PER_WORKER; call++) {
      ClaimServiceGrpc.ClaimServiceBlockingStub claims =
          ClaimServiceGrpc.newBlockingStub(fleet.channel(gateway));
      long start = System.nanoTime();
      Claim claim;
      try {
        claim =
            claims
                .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .createClaim(request);
        outcomes.ok(start);
      } catch (StatusRuntimeException failure) {
        outcomes.failed("CreateClaim", failure);
        gateway = Fleet.next(gateway, failure);
        RedisNode.pause(20);
        continue;
      }
      if (claim.getMessagesCount() == 0) {
        continue;
      }
      String source = "claim " + claim.getId();
      List<String> ids = claim.getMessagesList().stream().map(Message::getId).toList();
      ids.forEach(id -> deliveries.delivered(id, source));
      RedisNode.pause(Figures.HANDLING.toMillis());
      start = System.nanoTime();
      try {
        MessageServiceGrpc.newBlockingStub(fleet.channel(gateway))
            .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
            .deleteMessages(
                DeleteMessagesRequest.newBuilder()
                    .setQueue(queue)
                    .addAllIds(ids)
                    .setClaimId(claim.getId())
                    .build());
        outcomes.ok(start);
        deliveries.settled(ids, source);
      } catch (StatusRuntimeException failure) {
        outcomes.failed("DeleteMessages", failure);
        gateway = Fleet.next(gateway, failure);
      }
    }
  }

  private void consumeStreams(int index) {
    int gateway = index;
    for (int stream = 0; consuming && stream < MAX_CALLS_PER_WORKER; stream++) {
      ConsumeStream consume =
          new ConsumeStream("consume " + index + "." + stream + " via " + gateway);
      long start = System.nanoTime();
      ClaimServiceGrpc.newStub(fleet.channel(gateway)).consume(consume);
      consume.open(
          ConsumeStart.newBuilder()
              .setQueue(queue)
              .setTtl(duration(claimTtl))
              .setGrace(Duration.getDefaultInstance())
              .setMaxBatch(10)
              .build(),
          start);
      Throwable end = consume.awaitEnd(() -> consuming);
      if (end != null) {
        outcomes.failed("Consume", end);
        gateway = Fleet.next(gateway, end);
        RedisNode.pause(50);
      }
    }
  }

  /** One Consume stream that acks whatever it gets and grants the credit back. */
  private final class ConsumeStream
      implements ClientResponseObserver<ConsumeRequest, ConsumeResponse> {
    private static final int CREDIT = 20;
    private final String source;
    private final CompletableFuture<Throwable> ended = new CompletableFuture<>();
    private ClientCallStreamObserver<ConsumeRequest> requests;
    private long startNanos;
    private boolean delivered;
    private boolean cancelled;

    ConsumeStream(String source) {
      this.source = source;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ConsumeRequest> requests) {
      this.requests = requests;
    }

    synchronized void open(ConsumeStart start, long startNanos) {
      this.startNanos = startNanos;
      requests.onNext(ConsumeRequest.newBuilder().setStart(start).build());
      requests.onNext(ConsumeRequest.newBuilder().setCredit(CREDIT).build());
    }

    @Override
    public synchronized void onNext(ConsumeResponse response) {
      List<String> ids = response.getMessagesList().stream().map(Message::getId).toList();
      ids.forEach(id -> deliveries.delivered(id, source));
      if (!delivered) {
        delivered = true;
        outcomes.ok(startNanos);
      }
      handlers.schedule(() -> ack(ids), Figures.HANDLING.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void ack(List<String> ids) {
      if (!cancelled && !ended.isDone()) {
        requests.onNext(
            ConsumeRequest.newBuilder().setAck(MessageIds.newBuilder().addAllIds(ids)).build());
        requests.onNext(ConsumeRequest.newBuilder().setCredit(ids.size()).build());
      }
    }

    @Override
    public void onError(Throwable failure) {
      deliveries.ended(source);
      ended.complete(failure);
    }

    @Override
    public void onCompleted() {
      deliveries.ended(source);
      ended.complete(
          Status.OK.withDescription("the gateway ended the stream").asRuntimeException());
    }

    /**
     * Waits for the stream to end, or cancels it once {@code keepGoing} turns false; the failure,
     * or null when cancelled.
     */
    Throwable awaitEnd(java.util.function.BooleanSupplier keepGoing) {
      while (keepGoing.getAsBoolean()) {
        try {
          return ended.get(100, TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillOpen) {
          // Poll the stop flag again.
        } catch (InterruptedException | ExecutionException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      synchronized (this) {
        cancelled = true;
        requests.cancel("load over", null);
      }
      deliveries.ended(source);
      return null;
    }
  }

  private static Duration duration(java.time.Duration duration) {
    return Duration.newBuilder()
        .setSeconds(duration.getSeconds())
        .setNanos(duration.getNano())
        .build();
  }

  private static void join(List<CompletableFuture<Void>> futures) {
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .orTimeout(30, TimeUnit.SECONDS)
        .join();
  }
}
