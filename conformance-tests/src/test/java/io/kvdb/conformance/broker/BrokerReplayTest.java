package io.kvdb.conformance.broker;

import static io.kvdb.conformance.broker.Brokering.await;
import static io.kvdb.conformance.broker.Brokering.payloads;
import static io.kvdb.conformance.broker.Brokering.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.Status;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.KvdbClientOptions;
import io.kvdb.client.Subscriber;
import io.kvdb.client.SubscriberOptions;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.proto.v1.DeliveryMode;
import io.kvdb.proto.v1.SubscribeStart;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Broadcast replay after the last id seen, within the retention; OUT_OF_RANGE beyond it. */
class BrokerReplayTest extends ProjectScopedTest {
  @Test
  void aSubscriberThatReconnectsWithItsLastIdGetsWhatItMissedThenLiveOnes() throws Exception {
    Brokering.Recorder before = new Brokering.Recorder();
    Map<String, String> last;
    try (Subscriber first = kvdb.broker().subscriber(List.of("log"), before)) {
      kvdb.broker().publish("log", text("seen-1"), DeliveryMode.ALL);
      kvdb.broker().publish("log", text("seen-2"), DeliveryMode.ALL);
      await("seen", () -> before.payloads().size() >= 2);
      last = first.lastIds();
    }
    assertEquals(before.got.get(before.got.size() - 1).getId(), last.get("log"));
    List<String> missed = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      missed.add("missed-" + i);
      kvdb.broker().publish("log", text("missed-" + i), DeliveryMode.ALL);
    }

    Brokering.Recorder after = new Brokering.Recorder();
    try (Subscriber second =
        kvdb.broker()
            .subscriber(
                List.of("log"),
                SubscriberOptions.newBuilder().setResumeAfter(last).build(),
                after)) {
      await("replayed", () -> after.payloads().size() >= 250);
      assertEquals(missed, after.payloads(), "exactly what came after the last id, in order");
      kvdb.broker().publish("log", text("live"), DeliveryMode.ALL);
      await("live after replay", () -> after.payloads().size() >= 251);
      assertEquals("live", after.payloads().get(250));
    }
  }

  @Test
  void eachChannelResumesAfterItsOwnId() throws Exception {
    kvdb.broker().publish("a", text("a1"), DeliveryMode.ALL);
    String a2 = kvdb.broker().publish("a", text("a2"), DeliveryMode.ALL);
    kvdb.broker().publish("a", text("a3"), DeliveryMode.ALL);
    String b1 = kvdb.broker().publish("b", text("b1"), DeliveryMode.ALL);
    kvdb.broker().publish("b", text("b2"), DeliveryMode.ALL);
    try (Brokering.RawSubscription stream = new Brokering.RawSubscription(project)) {
      stream.start(
          SubscribeStart.newBuilder()
              .addChannels("a")
              .addChannels("b")
              .addChannels("c")
              .putAfterIds("a", a2)
              .putAfterIds("b", b1)
              .putAfterIds("c", "0-0"));
      List<String> got = payloads(stream.receive(2));
      assertEquals(List.of("a3", "b2"), got.stream().sorted().toList());
      stream.expectNothingFor(300);
    }
  }

  @Test
  void aSubscriberThatFellBehindTheRetentionIsEndedWithOutOfRange() throws Exception {
    assumeTrue(KvdbTarget.allowsShortTtls(), "needs a gateway of its own with a tiny retention");
    Gateway small = KvdbTarget.ownGateway("--broker-retention", "5");
    String address = "127.0.0.1:" + small.port();
    try (KvdbClient client =
        KvdbClient.create(
            KvdbClientOptions.newBuilder().setTarget(address).setProject(project).build())) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        ids.add(client.broker().publish("feed", text("f" + i), DeliveryMode.ALL));
      }
      try (Brokering.RawSubscription behind = new Brokering.RawSubscription(address, project)) {
        behind.start(
            SubscribeStart.newBuilder().addChannels("feed").putAfterIds("feed", ids.get(2)));
        Status status = behind.ended();
        assertEquals(Status.Code.OUT_OF_RANGE, status.getCode(), status.toString());
        assertTrue(
            status.getDescription().contains("resume after " + ids.get(6)),
            "names where to resume to get all that is kept: " + status);
        assertTrue(behind.deliveries.isEmpty(), "nothing delivered past a gap");
      }
      // Right behind the retention: the 5 kept are replayed.
      try (Brokering.RawSubscription within = new Brokering.RawSubscription(address, project)) {
        within.start(
            SubscribeStart.newBuilder().addChannels("feed").putAfterIds("feed", ids.get(6)));
        assertEquals(List.of("f7", "f8", "f9", "f10", "f11"), payloads(within.receive(5)));
        within.expectNothingFor(200);
        assertTrue(!within.end.isDone(), "still live: " + within.end.getNow(null));
      }
      // The SDK tells its gap listener, then resumes with everything still kept.
      CompletableFuture<Status> gap = new CompletableFuture<>();
      Brokering.Recorder kept = new Brokering.Recorder();
      try (Subscriber sdk =
          client
              .broker()
              .subscriber(
                  List.of("feed"),
                  SubscriberOptions.newBuilder()
                      .setResumeAfter(Map.of("feed", ids.get(0)))
                      .setOnGap((channels, status) -> gap.complete(status))
                      .build(),
                  kept)) {
        assertEquals(Status.Code.OUT_OF_RANGE, gap.get(10, TimeUnit.SECONDS).getCode());
        Brokering.await(
            () -> "kept messages after the gap: " + kept.payloads(),
            () -> kept.payloads().size() >= 5);
        assertEquals(List.of("f7", "f8", "f9", "f10", "f11"), kept.payloads());
      }
    } finally {
      small.close();
    }
  }
}
