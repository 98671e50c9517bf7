package io.kvdb.conformance.broker;

import static io.kvdb.conformance.broker.Brokering.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.client.Subscriber;
import io.kvdb.client.SubscriberOptions;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.v1.Delivery;
import io.kvdb.proto.v1.DeliveryMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** The broker end to end: broadcast to all in order, work shared by a group. */
class BrokerBasicsTest extends ProjectScopedTest {
  private static byte[] text(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> bodies(ConcurrentLinkedQueue<Delivery> got) {
    return got.stream().map(d -> d.getPayload().toStringUtf8()).toList();
  }

  @Test
  void everySubscriberGetsEveryBroadcastInOrder() throws Exception {
    Brokering.Recorder first = new Brokering.Recorder();
    Brokering.Recorder second = new Brokering.Recorder();
    try (Subscriber a = kvdb.broker().subscriber(List.of("config"), first);
        Subscriber b = kvdb.broker().subscriber(List.of("config"), second)) {
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        sent.add("change-" + i);
        kvdb.broker().publish("config", text("change-" + i), DeliveryMode.ALL);
      }
      Brokering.await(
          () -> "both got all: " + first.payloads().size() + " and " + second.payloads().size(),
          () -> first.payloads().size() >= 50 && second.payloads().size() >= 50);
      assertEquals(sent, first.payloads());
      assertEquals(sent, second.payloads());
    }
  }

  @Test
  void aGroupSharesWorkAndEachMessageGoesToOneMember() throws Exception {
    ConcurrentLinkedQueue<Delivery> handled = new ConcurrentLinkedQueue<>();
    List<Subscriber> members = new ArrayList<>();
    try {
      for (int m = 0; m < 3; m++) {
        members.add(
            kvdb.broker()
                .subscriber(
                    List.of("jobs"),
                    SubscriberOptions.newBuilder()
                        .setGroup("workers")
                        .setMaxUnacked(10)
                        .setAckTimeout(Duration.ofSeconds(30))
                        .setMaxDeliveries(5)
                        .build(),
                    handled::add));
      }
      for (int i = 0; i < 200; i++) {
        kvdb.broker().publish("jobs", text("job-" + i), DeliveryMode.ONE);
      }
      await("all handled", () -> new HashSet<>(bodies(handled)).size() == 200);
      assertEquals(200, handled.size(), "none twice");
      assertEquals(200, new HashSet<>(bodies(handled)).size());
    } finally {
      members.forEach(Subscriber::close);
    }
  }

  @Test
  void aMessageAMemberNeverAcknowledgedGoesToAnother() throws Exception {
    ConcurrentLinkedQueue<Delivery> lost = new ConcurrentLinkedQueue<>();
    Subscriber failing =
        kvdb.broker()
            .subscriber(
                List.of("tasks"),
                SubscriberOptions.newBuilder()
                    .setGroup("g")
                    .setMaxUnacked(10)
                    .setAckTimeout(Duration.ofMillis(300))
                    .setMaxDeliveries(5)
                    .build(),
                delivery -> {
                  lost.add(delivery);
                  throw new IllegalStateException("crashes before acknowledging");
                });
    kvdb.broker().publish("tasks", text("t"), DeliveryMode.ONE);
    await("first delivery", () -> !lost.isEmpty());
    failing.close();

    ConcurrentLinkedQueue<Delivery> rescued = new ConcurrentLinkedQueue<>();
    try (Subscriber healthy =
        kvdb.broker()
            .subscriber(
                List.of("tasks"),
                SubscriberOptions.newBuilder()
                    .setGroup("g")
                    .setMaxUnacked(10)
                    .setAckTimeout(Duration.ofMillis(300))
                    .setMaxDeliveries(5)
                    .build(),
                rescued::add)) {
      await("redelivered", () -> !rescued.isEmpty());
      assertEquals("t", rescued.peek().getPayload().toStringUtf8());
      assertTrue(rescued.peek().getDeliveryCount() >= 2);
    }
  }

  @Test
  void aSubscriberResumesAfterTheLastIdItSaw() throws Exception {
    String second;
    kvdb.broker().publish("log", text("one"), DeliveryMode.ALL);
    String firstId = kvdb.broker().publish("log", text("two"), DeliveryMode.ALL);
    second = kvdb.broker().publish("log", text("three"), DeliveryMode.ALL);
    ConcurrentLinkedQueue<Delivery> replayed = new ConcurrentLinkedQueue<>();
    try (Subscriber late =
        kvdb.broker()
            .subscriber(
                List.of("log"),
                SubscriberOptions.newBuilder()
                    .setResumeAfter(java.util.Map.of("log", firstId))
                    .build(),
                replayed::add)) {
      await("replayed", () -> replayed.size() == 1);
      assertEquals(second, replayed.peek().getId());
      kvdb.broker().publish("log", text("four"), DeliveryMode.ALL);
      await("live after replay", () -> replayed.size() == 2);
      assertEquals(List.of("three", "four"), bodies(replayed));
    }
  }
}
