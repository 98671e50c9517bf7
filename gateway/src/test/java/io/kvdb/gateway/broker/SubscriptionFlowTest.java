package io.kvdb.gateway.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.stub.ServerCallStreamObserver;
import io.kvdb.gateway.wait.PatientCall;
import io.kvdb.gateway.wait.Wakeups;
import io.kvdb.lua.Keys;
import io.kvdb.lua.broker.Broker;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.lua.testing.WithRedis;
import io.kvdb.proto.v1.Delivery;
import io.kvdb.proto.v1.SubscribeRequest;
import io.kvdb.proto.v1.SubscribeResponse;
import io.kvdb.proto.v1.SubscribeStart;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XPendingParams;

/** A Subscription against a client whose readiness the test controls, on a real Redis. */
@WithRedis
class SubscriptionFlowTest {
  private static final int RETENTION = 1000;
  private static UnifiedJedis redis;
  private static Broker broker;
  private static Wakeups publishes;
  private static ScheduledExecutorService timer;
  private static ExecutorService executor;
  private String project;

  @BeforeAll
  static void start(UnifiedJedis shared, ScriptRegistry scripts) {
    redis = shared;
    broker = new Broker(scripts);
    publishes = new Wakeups(redis, Keys.BROKER_CHANNEL, true);
    timer = Executors.newSingleThreadScheduledExecutor();
    executor = Executors.newCachedThreadPool();
  }

  @AfterAll
  static void stop() {
    publishes.close();
    timer.shutdownNow();
    executor.shutdownNow();
  }

  @BeforeEach
  void freshProject() {
    project = "flow-" + UUID.randomUUID();
  }

  /** A client whose transport turns unready after every message until the test says otherwise. */
  private static final class Client extends ServerCallStreamObserver<SubscribeResponse> {
    final List<Delivery> got = new CopyOnWriteArrayList<>();
    final boolean unreadyAfterEach;
    volatile boolean ready = true;
    volatile Runnable onReady = () -> {};

    Client(boolean unreadyAfterEach) {
      this.unreadyAfterEach = unreadyAfterEach;
    }

    void becomeReady() {
      ready = true;
      onReady.run();
    }

    @Override
    public boolean isReady() {
      return ready;
    }

    @Override
    public void setOnReadyHandler(Runnable handler) {
      onReady = handler;
    }

    @Override
    public void onNext(SubscribeResponse response) {
      if (response.hasDelivery()) {
        got.add(response.getDelivery());
        ready = !unreadyAfterEach;
      }
    }

    @Override
    public void onError(Throwable error) {}

    @Override
    public void onCompleted() {}

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public void setOnCancelHandler(Runnable handler) {}

    @Override
    public void setCompression(String compression) {}

    @Override
    public void disableAutoInboundFlowControl() {}

    @Override
    public void request(int count) {}

    @Override
    public void setMessageCompression(boolean enable) {}
  }

  private Subscription subscribe(Client client, SubscribeStart.Builder start) {
    Subscription subscription =
        new Subscription(
            broker,
            RETENTION,
            publishes,
            new PatientCall.Runtime(timer, executor),
            project,
            client);
    subscription.onNext(SubscribeRequest.newBuilder().setStart(start).build());
    return subscription;
  }

  private void publish(String channel, int count, Broker.Mode mode) {
    for (int i = 0; i < count; i++) {
      broker.publish(project, channel, mode, (channel + i).getBytes(), Map.of(), RETENTION);
    }
  }

  @Test
  void aBroadcastReadSendsNothingWhileTheClientIsNotReady() {
    List<String> channels = List.of("a", "b", "c");
    channels.forEach(channel -> publish(channel, 50, Broker.Mode.ALL));
    Client client = new Client(true);
    SubscribeStart.Builder start = SubscribeStart.newBuilder().addAllChannels(channels);
    channels.forEach(channel -> start.putAfterIds(channel, "0-0"));
    Subscription subscription = subscribe(client, start);
    try {
      Eventually.await("the first delivery", () -> client.got.size() >= 1);
      Eventually.holdsFor(
          "nothing more is sent until the client is ready",
          Duration.ofMillis(300),
          () -> client.got.size() == 1);
      Eventually.await(
          () -> "all delivered as the client takes them: " + client.got.size(),
          () -> {
            if (!client.ready) {
              client.becomeReady();
            }
            return client.got.size() >= 150;
          });
      for (String channel : channels) {
        List<String> payloads =
            client.got.stream()
                .filter(d -> d.getChannel().equals(channel))
                .map(d -> d.getPayload().toStringUtf8())
                .toList();
        assertEquals(
            java.util.stream.IntStream.range(0, 50).mapToObj(i -> channel + i).toList(),
            payloads,
            "each channel in order, none twice, none skipped");
      }
    } finally {
      subscription.onCompleted();
    }
  }

  @Test
  void aMemberRemembersABoundedNumberOfIdsWhateverWentOverdue() {
    publish("jobs", 40, Broker.Mode.ONE);
    Client client = new Client(false);
    Subscription member =
        subscribe(
            client,
            SubscribeStart.newBuilder()
                .addChannels("jobs")
                .setGroup("g")
                .setMaxUnacked(5)
                .setAckTimeout(com.google.protobuf.util.Durations.fromMillis(100)));
    String stream = Keys.broker(project) + ":one:jobs";
    try {
      Eventually.await("the member's first deliveries", () -> client.got.size() >= 5);
      // Another member takes over and acknowledges whatever this one holds.
      Eventually.await(
          () -> "all 40 went through the member: " + new HashSet<>(client.got).size(),
          () -> {
            redis
                .xpending(stream, "g", XPendingParams.xPendingParams().count(100))
                .forEach(pending -> redis.xack(stream, "g", pending.getID()));
            return client.got.stream().map(Delivery::getId).distinct().count() == 40;
          });
      int remembered = member.remembered();
      assertTrue(
          remembered <= 10, "at most max_unacked held plus max_unacked overdue, not " + remembered);
    } finally {
      member.onCompleted();
    }
  }
}
