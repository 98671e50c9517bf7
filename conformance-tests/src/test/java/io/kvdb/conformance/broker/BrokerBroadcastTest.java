package io.kvdb.conformance.broker;

import static io.kvdb.conformance.broker.Brokering.await;
import static io.kvdb.conformance.broker.Brokering.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.PublishOptions;
import io.kvdb.client.Subscriber;
import io.kvdb.client.SubscriberOptions;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.StructValues;
import io.kvdb.proto.v1.Delivery;
import io.kvdb.proto.v1.DeliveryMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** ALL messages: every live subscriber gets each, in publish order per channel. */
class BrokerBroadcastTest extends ProjectScopedTest {
  @Test
  void everyLiveSubscriberOnAnyClientGetsEveryMessageInOrder() throws Exception {
    Brokering.Recorder[] recorders = {
      new Brokering.Recorder(), new Brokering.Recorder(), new Brokering.Recorder()
    };
    List<KvdbClient> clients = new ArrayList<>();
    List<Subscriber> subscribers = new ArrayList<>();
    try {
      for (Brokering.Recorder recorder : recorders) {
        KvdbClient client = KvdbTarget.client(project);
        clients.add(client);
        subscribers.add(client.broker().subscriber(List.of("news"), recorder));
      }
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        sent.add("n" + i);
        kvdb.broker().publish("news", text("n" + i), DeliveryMode.ALL);
      }
      for (Brokering.Recorder recorder : recorders) {
        await("every subscriber got all 120", () -> recorder.payloads().size() >= 120);
        assertEquals(sent, recorder.payloads());
      }
    } finally {
      subscribers.forEach(Subscriber::close);
      clients.forEach(KvdbClient::close);
    }
  }

  @Test
  void aSubscriberOfSeveralChannelsGetsEachInOrderAndNoOthers() throws Exception {
    Brokering.Recorder both = new Brokering.Recorder();
    Brokering.Recorder onlyA = new Brokering.Recorder();
    try (Subscriber s1 = kvdb.broker().subscriber(List.of("a", "b"), both);
        Subscriber s2 = kvdb.broker().subscriber(List.of("a"), onlyA)) {
      List<String> toA = new ArrayList<>();
      List<String> toB = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        String channel = i % 3 == 0 ? "b" : "a";
        (channel.equals("a") ? toA : toB).add(channel + i);
        kvdb.broker().publish(channel, text(channel + i), DeliveryMode.ALL);
      }
      kvdb.broker().publish("c", text("elsewhere"), DeliveryMode.ALL);
      await(
          "both channels arrived",
          () -> both.payloads("a").size() >= 40 && both.payloads("b").size() >= 20);
      assertEquals(toA, both.payloads("a"));
      assertEquals(toB, both.payloads("b"));
      await("a arrived", () -> onlyA.payloads().size() >= 40);
      assertEquals(toA, onlyA.payloads(), "a subscriber of a alone gets nothing of b or c");
    }
  }

  @Test
  void aDeliveryCarriesThePublishedIdPayloadAttributesAndTime() throws Exception {
    Brokering.Recorder recorder = new Brokering.Recorder();
    try (Subscriber s = kvdb.broker().subscriber(List.of("meta"), recorder)) {
      Struct attributes =
          Struct.newBuilder()
              .putFields("kind", Value.newBuilder().setStringValue("invoice").build())
              .putFields("n", Value.newBuilder().setNumberValue(3).build())
              .build();
      Instant before = Instant.now().minusSeconds(5);
      String id =
          kvdb.broker()
              .publish(
                  "meta",
                  new byte[] {0, 1, 2, (byte) 255},
                  PublishOptions.newBuilder()
                      .setAttributes(StructValues.toMap(attributes))
                      .build());
      String next = kvdb.broker().publish("meta", text("second"), DeliveryMode.ALL);
      assertTrue(
          compareIds(id, next) < 0, "ids increase within a channel: " + id + " then " + next);

      await("delivered", () -> recorder.payloads().size() >= 2);
      Delivery got =
          recorder.got.stream().filter(d -> d.getId().equals(id)).findFirst().orElseThrow();
      assertEquals("meta", got.getChannel());
      assertEquals(ByteString.copyFrom(new byte[] {0, 1, 2, (byte) 255}), got.getPayload());
      assertEquals(attributes, got.getAttributes());
      Instant published =
          Instant.ofEpochSecond(got.getPublishTime().getSeconds(), got.getPublishTime().getNanos());
      assertTrue(
          published.isAfter(before) && published.isBefore(Instant.now().plusSeconds(5)),
          published.toString());
      assertEquals(0, got.getDeliveryCount(), "delivery counts are for groups");
    }
  }

  @Test
  void aSlowSubscriberNeverHoldsBackAnother() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Brokering.Recorder slowGot = new Brokering.Recorder();
    Brokering.Recorder fast = new Brokering.Recorder();
    Subscriber.Handler slow =
        delivery -> {
          slowGot.handle(delivery);
          release.await(20, TimeUnit.SECONDS);
        };
    KvdbClient other = KvdbTarget.client(project);
    try (Subscriber s1 = other.broker().subscriber(List.of("ticks"), slow);
        Subscriber s2 = kvdb.broker().subscriber(List.of("ticks"), fast)) {
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        sent.add("t" + i);
        kvdb.broker().publish("ticks", text("t" + i), DeliveryMode.ALL);
      }
      Brokering.awaitWithin(
          5_000,
          () -> "the fast subscriber got all while the slow one is stuck on its first",
          () -> fast.payloads().size() >= 300);
      assertEquals(sent, fast.payloads());
      assertEquals(List.of("t0"), slowGot.payloads());

      release.countDown();
      await("the slow one catches up", () -> slowGot.payloads().size() >= 300);
      assertEquals(sent, slowGot.payloads());
    } finally {
      release.countDown();
      other.close();
    }
  }

  @Test
  void groupsDoNotSeeBroadcastsNorBroadcastSubscribersWork() throws Exception {
    Brokering.Recorder listener = new Brokering.Recorder();
    Brokering.Recorder worker = new Brokering.Recorder();
    try (Subscriber s = kvdb.broker().subscriber(List.of("mixed"), listener);
        Subscriber w =
            kvdb.broker()
                .subscriber(
                    List.of("mixed"),
                    SubscriberOptions.newBuilder()
                        .setGroup("workers")
                        .setMaxUnacked(100)
                        .setAckTimeout(Duration.ofSeconds(30))
                        .setMaxDeliveries(5)
                        .build(),
                    worker)) {
      for (int i = 0; i < 20; i++) {
        kvdb.broker().publish("mixed", text("all" + i), DeliveryMode.ALL);
        kvdb.broker().publish("mixed", text("one" + i), DeliveryMode.ONE);
      }
      kvdb.broker().publish("mixed", text("all-end"), DeliveryMode.ALL);
      await("broadcasts", () -> listener.payloads().contains("all-end"));
      await("work", () -> worker.payloads().size() >= 20);
      assertTrue(
          listener.payloads().stream().allMatch(p -> p.startsWith("all")),
          listener.payloads().toString());
      assertEquals(21, listener.payloads().size());
      assertTrue(
          worker.payloads().stream().allMatch(p -> p.startsWith("one")),
          worker.payloads().toString());
    }
  }

  @Test
  void channelsAreScopedByProject() throws Exception {
    Brokering.Recorder mine = new Brokering.Recorder();
    try (KvdbClient stranger = KvdbTarget.newClient();
        Subscriber s = kvdb.broker().subscriber(List.of("shared-name"), mine)) {
      stranger.broker().publish("shared-name", text("theirs"), DeliveryMode.ALL);
      kvdb.broker().publish("shared-name", text("ours"), DeliveryMode.ALL);
      await("ours arrived", () -> mine.payloads().contains("ours"));
      assertEquals(List.of("ours"), mine.payloads());
    }
  }

  /** Orders stream ids ("ms-seq") numerically. */
  static int compareIds(String a, String b) {
    String[] x = a.split("-");
    String[] y = b.split("-");
    int byTime = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
    return byTime != 0 ? byTime : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
  }
}
