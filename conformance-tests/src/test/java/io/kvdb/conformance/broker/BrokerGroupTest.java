package io.kvdb.conformance.broker;

import static io.kvdb.conformance.broker.Brokering.await;
import static io.kvdb.conformance.broker.Brokering.group;
import static io.kvdb.conformance.broker.Brokering.ids;
import static io.kvdb.conformance.broker.Brokering.payloads;
import static io.kvdb.conformance.broker.Brokering.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.util.Durations;
import io.grpc.Status;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.KvdbClientOptions;
import io.kvdb.client.KvdbException;
import io.kvdb.client.Subscriber;
import io.kvdb.client.SubscriberOptions;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.proto.v1.Delivery;
import io.kvdb.proto.v1.DeliveryMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * ONE messages: each to exactly one member of each group, pending until acked, then dead-lettered.
 */
class BrokerGroupTest extends ProjectScopedTest {
  @Test
  void eachMessageGoesToExactlyOneMemberAcrossClientsUnderConcurrentPublishing() throws Exception {
    int members = 4;
    int publishers = 4;
    int each = 75;
    Map<String, Integer> times = new ConcurrentHashMap<>();
    Map<String, String> handledBy = new ConcurrentHashMap<>();
    List<KvdbClient> clients = new ArrayList<>();
    List<Subscriber> subscribers = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(publishers);
    try {
      for (int m = 0; m < members; m++) {
        KvdbClient client = KvdbTarget.client(project);
        clients.add(client);
        String member = "m" + m;
        subscribers.add(
            client
                .broker()
                .subscriber(
                    List.of("jobs"),
                    SubscriberOptions.newBuilder()
                        .setGroup("workers")
                        .setMaxUnacked(5)
                        .setAckTimeout(Duration.ofSeconds(30))
                        .setMaxDeliveries(5)
                        .build(),
                    delivery -> {
                      times.merge(delivery.getPayload().toStringUtf8(), 1, Integer::sum);
                      handledBy.put(delivery.getPayload().toStringUtf8(), member);
                    }));
      }
      List<Future<?>> publishing = new ArrayList<>();
      for (int p = 0; p < publishers; p++) {
        int publisher = p;
        publishing.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) {
                    kvdb.broker()
                        .publish("jobs", text("p" + publisher + "-" + i), DeliveryMode.ONE);
                  }
                  return null;
                }));
      }
      for (Future<?> f : publishing) {
        f.get();
      }
      await(
          () -> "all " + publishers * each + " handled, got " + times.size(),
          () -> times.size() == publishers * each);
      assertEquals(
          Map.of(),
          times.entrySet().stream()
              .filter(e -> e.getValue() != 1)
              .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
          "none twice");
      assertTrue(
          new HashSet<>(handledBy.values()).size() > 1,
          "the work was shared: " + new HashSet<>(handledBy.values()));
    } finally {
      pool.shutdownNow();
      subscribers.forEach(Subscriber::close);
      clients.forEach(KvdbClient::close);
    }
  }

  @Test
  void everyGroupGetsEveryMessageIncludingThosePublishedBeforeItsFirstMember() throws Exception {
    List<String> sent = IntStream.range(0, 30).mapToObj(i -> "w" + i).toList();
    for (String body : sent) {
      kvdb.broker().publish("orders", text(body), DeliveryMode.ONE);
    }
    Brokering.Recorder billing = new Brokering.Recorder();
    Brokering.Recorder shipping = new Brokering.Recorder();
    try (Subscriber b =
            kvdb.broker()
                .subscriber(
                    List.of("orders"),
                    SubscriberOptions.newBuilder()
                        .setGroup("billing")
                        .setMaxUnacked(100)
                        .setAckTimeout(Duration.ofSeconds(30))
                        .setMaxDeliveries(5)
                        .build(),
                    billing);
        Subscriber s =
            kvdb.broker()
                .subscriber(
                    List.of("orders"),
                    SubscriberOptions.newBuilder()
                        .setGroup("shipping")
                        .setMaxUnacked(100)
                        .setAckTimeout(Duration.ofSeconds(30))
                        .setMaxDeliveries(5)
                        .build(),
                    shipping)) {
      await(
          "both groups got all",
          () -> billing.payloads().size() >= 30 && shipping.payloads().size() >= 30);
      assertEquals(sent, billing.payloads(), "a lone member gets them in order");
      assertEquals(sent, shipping.payloads());
      assertTrue(billing.got.stream().allMatch(d -> d.getDeliveryCount() == 1));
    }
  }

  @Test
  void aMemberNeverHoldsMoreThanMaxUnacked() throws Exception {
    for (int i = 0; i < 10; i++) {
      kvdb.broker().publish("work", text("j" + i), DeliveryMode.ONE);
    }
    try (Brokering.RawSubscription member = new Brokering.RawSubscription(project)) {
      member.start(group("g", 3, "work"));
      List<Delivery> first = member.receive(3);
      assertEquals(List.of("j0", "j1", "j2"), payloads(first));
      member.expectNothingFor(400);

      member.ack("work", ids(first.subList(0, 2)));
      List<Delivery> next = member.receive(2);
      assertEquals(List.of("j3", "j4"), payloads(next));
      member.expectNothingFor(400);

      member.ack("work", List.of("0-1", first.get(0).getId()));
      member.expectNothingFor(300);
    }
  }

  @Test
  void anUnacknowledgedMessageStaysPendingThenGoesToAnotherMember() throws Exception {
    String id = kvdb.broker().publish("tasks", text("t"), DeliveryMode.ONE);
    try (Brokering.RawSubscription silent = new Brokering.RawSubscription(project);
        Brokering.RawSubscription other = new Brokering.RawSubscription(project)) {
      // The silent member's own ack timeout is long: only the other one takes overdue work.
      silent.start(group("g", 1, "tasks").setAckTimeout(Durations.fromSeconds(3600)));
      Delivery first = silent.receive(1).get(0);
      long delivered = System.nanoTime();
      assertEquals(id, first.getId());
      assertEquals(1, first.getDeliveryCount());

      other.start(group("g", 10, "tasks").setAckTimeout(Durations.fromMillis(300)));
      Delivery second = other.receive(1).get(0);
      long pendingFor = (System.nanoTime() - delivered) / 1_000_000;
      assertTrue(
          pendingFor >= 250,
          "stayed with the silent member until the ack timeout, not " + pendingFor + " ms");
      assertEquals(id, second.getId());
      assertEquals("t", second.getPayload().toStringUtf8());
      assertEquals(2, second.getDeliveryCount());

      other.ack("tasks", List.of(id));
      other.expectNothingFor(800);
      silent.expectNothingFor(100);
    }
  }

  @Test
  void theMessagesOfAMemberThatDiesGoToAnother() throws Exception {
    for (int i = 0; i < 3; i++) {
      kvdb.broker().publish("tasks", text("t" + i), DeliveryMode.ONE);
    }
    Brokering.RawSubscription dying = new Brokering.RawSubscription(project);
    dying.start(group("g", 10, "tasks").setAckTimeout(Durations.fromMillis(200)));
    assertEquals(List.of("t0", "t1", "t2"), payloads(dying.receive(3)));
    dying.close();

    try (Brokering.RawSubscription heir = new Brokering.RawSubscription(project)) {
      heir.start(group("g", 10, "tasks").setAckTimeout(Durations.fromMillis(200)));
      List<Delivery> got = heir.receive(3);
      assertEquals(List.of("t0", "t1", "t2"), payloads(got).stream().sorted().toList());
      assertTrue(got.stream().allMatch(d -> d.getDeliveryCount() == 2), got.toString());
    }
  }

  @Test
  void afterMaxDeliveriesAMessageGoesToTheDeadLetterChannelEvenFromALoneFullMember()
      throws Exception {
    Map<String, Integer> attempts = new ConcurrentHashMap<>();
    Brokering.Recorder dead = new Brokering.Recorder();
    try (Subscriber undertaker =
            kvdb.broker()
                .subscriber(
                    List.of("tasks.dead"),
                    SubscriberOptions.newBuilder()
                        .setGroup("ops")
                        .setMaxUnacked(10)
                        .setAckTimeout(Duration.ofSeconds(30))
                        .setMaxDeliveries(5)
                        .build(),
                    dead);
        Subscriber failing =
            kvdb.broker()
                .subscriber(
                    List.of("tasks"),
                    SubscriberOptions.newBuilder()
                        .setGroup("g")
                        .setMaxUnacked(1)
                        .setAckTimeout(Duration.ofMillis(150))
                        .setMaxDeliveries(2)
                        .build(),
                    delivery -> {
                      attempts.merge(delivery.getPayload().toStringUtf8(), 1, Integer::sum);
                      throw new IllegalStateException("poison");
                    })) {
      kvdb.broker().publish("tasks", text("poison-1"), DeliveryMode.ONE);
      kvdb.broker().publish("tasks", text("poison-2"), DeliveryMode.ONE);
      // Well within the dead-letter subscriber's 5 s recheck: moving a message announces it.
      Brokering.awaitWithin(
          4_000,
          () -> "both dead-lettered: " + dead.payloads() + " after " + attempts,
          () -> dead.payloads().size() >= 2);
      assertEquals(List.of("poison-1", "poison-2"), dead.payloads());
      assertEquals(
          Map.of("poison-1", 2, "poison-2", 2), attempts, "each delivered max_deliveries times");
    }
  }

  @Test
  void retentionNeverTrimsWhatAGroupHasNotAcknowledged() throws Exception {
    assumeTrue(KvdbTarget.allowsShortTtls(), "needs a gateway of its own with a tiny retention");
    Gateway small = KvdbTarget.ownGateway("--broker-retention", "5");
    String address = "127.0.0.1:" + small.port();
    try (KvdbClient client =
            KvdbClient.create(
                KvdbClientOptions.newBuilder().setTarget(address).setProject(project).build());
        Brokering.RawSubscription member = new Brokering.RawSubscription(address, project)) {
      member.start(group("g", 100, "jobs"));
      member.subscribed.get(10, java.util.concurrent.TimeUnit.SECONDS);
      List<String> accepted = new ArrayList<>();
      int refused = 0;
      for (int i = 0; i < 12; i++) {
        try {
          client.broker().publish("jobs", text("j" + i), DeliveryMode.ONE);
          accepted.add("j" + i);
        } catch (KvdbException full) {
          assertEquals(Status.Code.RESOURCE_EXHAUSTED, full.code(), full.getMessage());
          assertTrue(
              full.getMessage().contains("group g"),
              "names the group holding it back: " + full.getMessage());
          refused++;
        }
      }
      List<Delivery> got = member.receive(accepted.size());
      assertEquals(accepted, payloads(got), "every message accepted reaches the group");
      assertEquals(12 - accepted.size(), refused);
      assertTrue(refused > 0, "the channel was full of unacknowledged work");

      member.ack("jobs", ids(got));
      await(
          "acknowledged work makes room",
          () -> {
            try {
              client.broker().publish("jobs", text("after"), DeliveryMode.ONE);
              return true;
            } catch (KvdbException full) {
              return false;
            }
          });
      assertEquals(List.of("after"), payloads(member.receive(1)));
    } finally {
      small.close();
    }
  }

  @Test
  void anAckLetsAFullMemberOfSeveralChannelsTakeTheNextMessageAtOnce() throws Exception {
    kvdb.broker().publish("x", text("x1"), DeliveryMode.ONE);
    kvdb.broker().publish("x", text("x2"), DeliveryMode.ONE);
    kvdb.broker().publish("y", text("y1"), DeliveryMode.ONE);
    try (Brokering.RawSubscription member = new Brokering.RawSubscription(project)) {
      member.start(group("g", 2, "x", "y").setAckTimeout(Durations.fromSeconds(3600)));
      List<Delivery> first = member.receive(2);
      assertEquals(List.of("x1", "x2"), payloads(first), "x filled the member before y was read");
      member.ack("x", List.of(first.get(0).getId()));
      // Well within the 5 s recheck of a parked member: the ack itself makes the next read.
      Delivery next = member.deliveries.poll(2500, java.util.concurrent.TimeUnit.MILLISECONDS);
      assertEquals("y1", next == null ? null : next.getPayload().toStringUtf8());
    }
  }

  @Test
  void aGroupCanSpanSeveralChannels() throws Exception {
    kvdb.broker().publish("x", text("x1"), DeliveryMode.ONE);
    kvdb.broker().publish("y", text("y1"), DeliveryMode.ONE);
    kvdb.broker().publish("x", text("x2"), DeliveryMode.ONE);
    try (Brokering.RawSubscription member = new Brokering.RawSubscription(project)) {
      member.start(group("g", 10, "x", "y"));
      List<Delivery> got = member.receive(3);
      assertEquals(
          List.of("x1", "x2"),
          got.stream()
              .filter(d -> d.getChannel().equals("x"))
              .map(d -> d.getPayload().toStringUtf8())
              .toList());
      assertEquals(
          List.of("y1"),
          got.stream()
              .filter(d -> d.getChannel().equals("y"))
              .map(d -> d.getPayload().toStringUtf8())
              .toList());
    }
  }
}
