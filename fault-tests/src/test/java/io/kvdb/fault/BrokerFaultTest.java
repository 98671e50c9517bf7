package io.kvdb.fault;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.KvdbClientOptions;
import io.kvdb.proto.v1.Acknowledgement;
import io.kvdb.proto.v1.BrokerServiceGrpc;
import io.kvdb.proto.v1.DeliveryMode;
import io.kvdb.proto.v1.PublishRequest;
import io.kvdb.proto.v1.SubscribeRequest;
import io.kvdb.proto.v1.SubscribeResponse;
import io.kvdb.proto.v1.SubscribeStart;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Scenario 4: a broker group with members on two gateways while one gateway is SIGKILLed.
 * Everything published and acknowledged as published reaches the group; a message is delivered
 * again only after its ack timeout ran out.
 */
class BrokerFaultTest {
  private static final String CHANNEL = "work";
  private static final int MEMBERS = 4;
  private static final int MAX_CALLS = 5_000;
  private static final java.time.Duration ACK_TIMEOUT = java.time.Duration.ofSeconds(1);

  private final Outcomes outcomes = new Outcomes();
  private final Deliveries deliveries = new Deliveries();
  private final Set<String> published = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean publishing = new AtomicBoolean(true);
  private final AtomicBoolean subscribing = new AtomicBoolean(true);

  /** Acks each delivery after its handling time, so the kill finds members holding messages. */
  private final ScheduledExecutorService handlers = Executors.newSingleThreadScheduledExecutor();

  @Test
  void aGroupSpreadOverTwoGatewaysLosesNothingWhenOneDies() {
    String project = Project.fresh("broker");
    ExecutorService threads = Executors.newCachedThreadPool();
    try (RedisNode redis = RedisNode.launch()) {
      List<GatewayNode> gateways = GatewayNode.startAll(redis.uri(), 2);
      try (GatewayNode victim = gateways.get(0);
          GatewayNode survivor = gateways.get(1);
          KvdbClient client =
              KvdbClient.create(
                  KvdbClientOptions.newBuilder()
                      .setChannel(survivor.channel())
                      .setProject(project)
                      .build())) {
        Fleet fleet = new Fleet(gateways, project);
        Seed seed = Seed.plant(client, fleet.channel(1));
        CountDownLatch subscribed = new CountDownLatch(MEMBERS);
        List<CompletableFuture<Void>> members = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
          int index = i;
          members.add(CompletableFuture.runAsync(() -> member(fleet, index, subscribed), threads));
        }
        assertTrue(await(subscribed), "the group's members never all subscribed");
        CompletableFuture<Void> publisher =
            CompletableFuture.runAsync(() -> publish(fleet), threads);

        RedisNode.pause(Figures.LOAD.toMillis());
        outcomes.fault();
        victim.kill();
        Scenarios.awaitRecovery(outcomes);
        RedisNode.pause(Figures.LOAD.toMillis());
        publishing.set(false);
        publisher.orTimeout(30, TimeUnit.SECONDS).join();
        long deadline = System.nanoTime() + ACK_TIMEOUT.plus(Figures.DRAIN).toNanos();
        while (!undelivered().isEmpty() && System.nanoTime() < deadline) {
          RedisNode.pause(50);
        }
        subscribing.set(false);
        CompletableFuture.allOf(members.toArray(CompletableFuture[]::new))
            .orTimeout(30, TimeUnit.SECONDS)
            .join();

        List<String> lost = undelivered();
        List<String> early = deliveries.repeatsBeforeHold(ACK_TIMEOUT, Figures.SLACK);
        List<String> damage = seed.damage(client, fleet.channel(1));
        Figures.print(
            "broker-group",
            "redis "
                + redis.version()
                + " published="
                + published.size()
                + " delivered="
                + deliveries.messages()
                + " redeliveries="
                + deliveries.repeats()
                + " before the ack timeout="
                + early.size()
                + " lost="
                + lost.size()
                + " UNKNOWN/INTERNAL="
                + outcomes.unknownOrInternal()
                + " recovery ms="
                + outcomes.recoveryMillis()
                + " statuses="
                + outcomes.summary()
                + " seed intact="
                + damage.isEmpty());
        assertAll(
            () ->
                assertEquals(
                    List.of(), Scenarios.firstFew(lost), "published messages the group never got"),
            () ->
                assertEquals(
                    List.of(), Scenarios.firstFew(early), "redeliveries before the ack timeout"),
            () ->
                assertEquals(List.of(), outcomes.examples(), "calls answered UNKNOWN or INTERNAL"),
            () -> assertEquals(List.of(), damage, "data created before the kill"),
            () -> assertTrue(survivor.serving(), "the surviving gateway no longer serves"));
      }
    } finally {
      publishing.set(false);
      subscribing.set(false);
      threads.shutdownNow();
      handlers.shutdownNow();
    }
  }

  private List<String> undelivered() {
    return published.stream().filter(id -> !deliveries.has(id)).toList();
  }

  private void publish(Fleet fleet) {
    int gateway = 0;
    for (int call = 0; publishing.get() && call < MAX_CALLS; call++) {
      long start = System.nanoTime();
      try {
        published.add(
            BrokerServiceGrpc.newBlockingStub(fleet.channel(gateway))
                .withDeadlineAfter(3, TimeUnit.SECONDS)
                .publish(
                    PublishRequest.newBuilder()
                        .setChannel(CHANNEL)
                        .setMode(DeliveryMode.ONE)
                        .setPayload(ByteString.copyFromUtf8("job-" + call))
                        .build())
                .getId());
        outcomes.ok(start);
      } catch (StatusRuntimeException failure) {
        outcomes.failed("Publish", failure);
        gateway = Fleet.next(gateway, failure);
      }
      RedisNode.pause(10);
    }
  }

  /**
   * One member: a Subscribe stream in the group that acks each delivery; reconnects, moving on from
   * an unreachable gateway.
   */
  private void member(Fleet fleet, int index, CountDownLatch firstSubscribed) {
    int gateway = index;
    SubscribeStart start =
        SubscribeStart.newBuilder()
            .addChannels(CHANNEL)
            .setGroup("workers")
            .setMaxUnacked(10)
            .setMaxDeliveries(100)
            .setAckTimeout(Duration.newBuilder().setSeconds(ACK_TIMEOUT.getSeconds()))
            .build();
    for (int stream = 0; subscribing.get() && stream < MAX_CALLS; stream++) {
      Member member =
          new Member(
              "member " + index + "." + stream + " via " + Math.floorMod(gateway, 2),
              System.nanoTime(),
              firstSubscribed);
      BrokerServiceGrpc.newStub(fleet.channel(gateway)).subscribe(member);
      member.open(start);
      Throwable end = member.awaitEnd();
      if (end != null) {
        outcomes.failed("Subscribe", end);
        gateway = Fleet.next(gateway, end);
        RedisNode.pause(50);
      }
    }
  }

  private final class Member
      implements ClientResponseObserver<SubscribeRequest, SubscribeResponse> {
    private final String source;
    private final long startNanos;
    private final CountDownLatch subscribed;
    private final CompletableFuture<Throwable> ended = new CompletableFuture<>();
    private ClientCallStreamObserver<SubscribeRequest> requests;
    private boolean cancelled;

    Member(String source, long startNanos, CountDownLatch subscribed) {
      this.source = source;
      this.startNanos = startNanos;
      this.subscribed = subscribed;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SubscribeRequest> requests) {
      this.requests = requests;
    }

    synchronized void open(SubscribeStart start) {
      requests.onNext(SubscribeRequest.newBuilder().setStart(start).build());
    }

    @Override
    public synchronized void onNext(SubscribeResponse response) {
      if (response.hasSubscribed()) {
        outcomes.ok(startNanos);
        subscribed.countDown();
        return;
      }
      String id = response.getDelivery().getId();
      deliveries.delivered(id, source);
      handlers.schedule(() -> ack(id), Figures.HANDLING.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void ack(String id) {
      if (!cancelled && !ended.isDone()) {
        requests.onNext(
            SubscribeRequest.newBuilder()
                .setAck(Acknowledgement.newBuilder().setChannel(CHANNEL).addIds(id))
                .build());
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
          io.grpc.Status.OK.withDescription("the gateway ended the stream").asRuntimeException());
    }

    Throwable awaitEnd() {
      while (subscribing.get()) {
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

  private static boolean await(CountDownLatch latch) {
    try {
      return latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
