package io.kvdb.conformance.messages;

import static io.kvdb.conformance.messages.Messaging.bodies;
import static io.kvdb.conformance.messages.Messaging.delayed;
import static io.kvdb.conformance.messages.Messaging.ids;
import static io.kvdb.conformance.messages.Messaging.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.Durations;
import io.grpc.Status;
import io.kvdb.client.KvdbClient;
import io.kvdb.conformance.Expect;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.v1.ErrorReason;
import io.kvdb.proto.v1.Message;
import io.kvdb.proto.v1.NewMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Posting: ids in order, what is stored, defaults from the queue, and the limits of a batch. */
class MessagePostTest extends ProjectScopedTest {
  @Test
  void idsComeBackInInputOrderAndFindTheirMessages() {
    Struct attributes =
        Struct.newBuilder()
            .putFields("kind", Value.newBuilder().setStringValue("invoice").build())
            .build();
    List<NewMessage> batch =
        List.of(
            text("first"),
            text("second").toBuilder().setAttributes(attributes).build(),
            NewMessage.newBuilder().setBody(ByteString.copyFrom(new byte[] {0, -1, 7})).build());
    List<String> posted;
    try (KvdbClient poster = Messaging.client(project, "poster-1")) {
      posted = poster.messages().post("jobs", batch);
    }
    assertEquals(3, posted.size());
    assertEquals(3, new HashSet<>(posted).size(), "ids are distinct");

    List<Message> found = kvdb.messages().get("jobs", posted);
    assertEquals(posted, ids(found));
    assertEquals(List.of("first", "second"), bodies(found.subList(0, 2)));
    assertEquals(
        ByteString.copyFrom(new byte[] {0, -1, 7}), found.get(2).getBody(), "bodies are bytes");
    assertEquals(attributes, found.get(1).getAttributes());
    Message first = found.get(0);
    assertEquals("poster-1", first.getClientId());
    assertEquals(
        Duration.ofHours(1).toMillis(), Durations.toMillis(first.getTtl()), "the default ttl");
    assertEquals(0, first.getClaimCount());
    assertEquals("", first.getClaimId());
    assertTrue(!first.hasVisibleTime(), "no delay, no visible time");
    assertEquals(
        Durations.toMillis(first.getTtl()),
        com.google.protobuf.util.Timestamps.between(first.getCreateTime(), first.getExpireTime())
                .getSeconds()
            * 1000);
  }

  @Test
  void postingToAMissingQueueCreatesIt() {
    kvdb.messages().post("fresh", "hello");
    assertTrue(queues.get("fresh").hasCreateTime());
    assertEquals(1, queues.stats("fresh").getTotal());
  }

  @Test
  void aBatchHoldsOneToAThousandMessages() {
    Expect.invalid("messages", () -> kvdb.messages().post("jobs", List.of()));
    List<NewMessage> tooMany = Collections.nCopies(1001, text("x"));
    Expect.invalid("messages", () -> kvdb.messages().post("jobs", tooMany));

    assertEquals(1000, kvdb.messages().post("jobs", tooMany.subList(0, 1000)).size());
    assertEquals(1000, queues.stats("jobs").getTotal());
  }

  @Test
  void aBatchOverThePostSizeLimitIsRefusedWhole() {
    queues.create("small", Map.of("_max_messages_post_size", 100));
    kvdb.messages().post("small", List.of(text("x".repeat(60)), text("y".repeat(40))));

    Expect.failure(
        Status.Code.RESOURCE_EXHAUSTED,
        ErrorReason.LIMIT,
        () -> kvdb.messages().post("small", List.of(text("x".repeat(60)), text("y".repeat(41)))));
    assertEquals(2, queues.stats("small").getTotal(), "nothing of the refused batch was posted");
  }

  @Test
  void theDefaultPostSizeLimitIs256KiB() {
    String half = "x".repeat(128 * 1024);
    kvdb.messages().post("big", half, half);
    Expect.failure(
        Status.Code.RESOURCE_EXHAUSTED,
        ErrorReason.LIMIT,
        () -> kvdb.messages().post("big", half, half + "x"));
    assertEquals(2, queues.stats("big").getTotal());
  }

  @Test
  void ttlAndDelayDefaultToTheQueuesSettings() {
    queues.create("slow", Map.of("_default_message_ttl", 120, "_default_message_delay", 30));
    List<String> posted =
        kvdb.messages()
            .post(
                "slow",
                List.of(
                    text("defaults"),
                    text("own ttl", Duration.ofSeconds(90)),
                    delayed("own delay", Duration.ZERO)));

    List<Message> found = kvdb.messages().get("slow", posted);
    assertEquals(120_000, Durations.toMillis(found.get(0).getTtl()));
    assertEquals(
        30_000,
        com.google.protobuf.util.Timestamps.between(
                    found.get(0).getCreateTime(), found.get(0).getVisibleTime())
                .getSeconds()
            * 1000);
    assertEquals(90_000, Durations.toMillis(found.get(1).getTtl()));
    assertTrue(!found.get(2).hasVisibleTime(), "an explicit zero delay overrides the queue's");

    var stats = queues.stats("slow");
    assertEquals(2, stats.getDelayed());
    assertEquals(1, stats.getFree());
  }

  @Test
  void aDelayNotShorterThanTheTtlIsRefusedNamingTheMessage() {
    NewMessage fine = text("fine");
    NewMessage equal =
        text("equal", Duration.ofSeconds(120)).toBuilder()
            .setDelay(Durations.fromSeconds(120))
            .build();
    Expect.invalid("messages.1.delay", () -> kvdb.messages().post("jobs", List.of(fine, equal)));

    queues.create("delaying", Map.of("_default_message_ttl", 100, "_default_message_delay", 100));
    Expect.invalid("messages.0.delay", () -> kvdb.messages().post("delaying", "by default"));
    assertEquals(0, queues.stats("delaying").getTotal());
  }

  @Test
  void badTtlsAndDelaysNameTheirField() {
    Expect.invalid(
        "messages.0.ttl",
        () -> kvdb.messages().post("jobs", List.of(text("x", Duration.ofMillis(1)))));
    Expect.invalid(
        "messages.1.ttl",
        () -> kvdb.messages().post("jobs", List.of(text("x"), text("y", Duration.ofDays(15)))));
    Expect.invalid(
        "messages.0.delay",
        () -> kvdb.messages().post("jobs", List.of(delayed("x", Duration.ofMinutes(16)))));
    Expect.invalid(
        "messages.0.delay",
        () -> kvdb.messages().post("jobs", List.of(delayed("x", Duration.ofSeconds(-1)))));
  }

  @Test
  void manyPostsKeepFifoOrder() {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.addAll(kvdb.messages().post("order", "a" + i, "b" + i));
    }
    assertEquals(
        all, ids(Messaging.listAll(kvdb, Messaging.listing("order").setPageSize(3).build())));
  }
}
