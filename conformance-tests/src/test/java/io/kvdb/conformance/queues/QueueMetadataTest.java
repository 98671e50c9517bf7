package io.kvdb.conformance.queues;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvdb.conformance.Expect;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.StructValues;
import io.kvdb.proto.v1.Queue;
import io.kvdb.proto.v1.UpdateQueueRequest.Mode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Queue metadata: merge and replace, the 64 KiB limit, and the reserved keys. */
class QueueMetadataTest extends ProjectScopedTest {
  private static final int LIMIT = 64 * 1024;

  private Map<String, Object> metadataOf(String queue) {
    return StructValues.toMap(queues.get(queue).getMetadata());
  }

  @Test
  void jsonLikeValuesAreStoredAsGiven() {
    Map<String, Object> nested = new HashMap<>();
    nested.put("list", List.of(1.0, "two", false));
    nested.put("map", Map.of("deep", Map.of("er", 0.5)));
    nested.put("nothing", null);

    queues.create("q", nested);

    assertEquals(nested, metadataOf("q"));
  }

  @Test
  void mergeOverwritesTheGivenKeysAndKeepsTheOthers() {
    queues.create("q", Map.of("a", 1, "b", 2));

    Queue merged = queues.update("q", Map.of("b", 20, "c", 30), Mode.MERGE);

    assertEquals(Map.of("a", 1.0, "b", 20.0, "c", 30.0), StructValues.toMap(merged.getMetadata()));
    assertEquals(merged, queues.get("q"));
  }

  @Test
  void aNullValueInAMergeRemovesTheKey() {
    queues.create("q", Map.of("a", 1, "b", 2));
    Map<String, Object> patch = new HashMap<>();
    patch.put("a", null);

    queues.update("q", patch, Mode.MERGE);

    assertEquals(Map.of("b", 2.0), metadataOf("q"));
  }

  @Test
  void anUnspecifiedModeMerges() {
    queues.create("q", Map.of("a", 1));
    queues.update("q", Map.of("b", 2), Mode.MODE_UNSPECIFIED);
    assertEquals(Map.of("a", 1.0, "b", 2.0), metadataOf("q"));
  }

  @Test
  void replaceMakesTheGivenMapTheWholeMetadata() {
    queues.create("q", Map.of("a", 1, "b", 2));
    queues.update("q", Map.of("z", "only"), Mode.REPLACE);
    assertEquals(Map.of("z", "only"), metadataOf("q"));
    queues.update("q", Map.of(), Mode.REPLACE);
    assertEquals(Map.of(), metadataOf("q"));
  }

  @Test
  void updateOfAMissingQueueIsNotFoundAndCreatesNothing() {
    Expect.notFound(() -> queues.update("ghost", Map.of("a", 1), Mode.MERGE));
    Expect.notFound(() -> queues.get("ghost"));
  }

  @Test
  void metadataOverTheLimitIsRefusedOnCreate() {
    Expect.invalid("metadata", () -> queues.create("big", Map.of("blob", "x".repeat(LIMIT))));
    Expect.notFound(() -> queues.get("big"));
  }

  @Test
  void aMergeThatWouldGrowPastTheLimitChangesNothing() {
    Map<String, Object> half = Map.of("first", "x".repeat(LIMIT / 2));
    queues.create("q", half);

    Expect.invalid(
        "metadata", () -> queues.update("q", Map.of("second", "y".repeat(LIMIT / 2)), Mode.MERGE));

    assertEquals(half, metadataOf("q"));
  }

  @Test
  void replaceIsRefusedOverTheLimitToo() {
    queues.create("q", Map.of("kept", true));
    Expect.invalid(
        "metadata", () -> queues.update("q", Map.of("blob", "x".repeat(LIMIT)), Mode.REPLACE));
    assertEquals(Map.of("kept", true), metadataOf("q"));
  }

  @Test
  void validReservedKeysAreStored() {
    Map<String, Object> reserved =
        Map.of(
            "_default_message_ttl", 120.0,
            "_default_message_delay", 0.0,
            "_max_messages_post_size", 65536.0,
            "_max_claim_count", 3.0,
            "_dead_letter_queue", "orders.dead",
            "_dead_letter_queue_messages_ttl", 86400.0,
            "_anything_else", "is stored as given");

    queues.create("q", reserved);

    assertEquals(reserved, metadataOf("q"));
  }

  static List<Arguments> invalidReservedValues() {
    return List.of(
        Arguments.of("_default_message_ttl", 0),
        Arguments.of("_default_message_ttl", 1_209_601),
        Arguments.of("_default_message_ttl", 120.5),
        Arguments.of("_default_message_ttl", "120"),
        Arguments.of("_default_message_delay", -1),
        Arguments.of("_default_message_delay", 901),
        Arguments.of("_max_messages_post_size", 0),
        Arguments.of("_max_messages_post_size", 1_048_577),
        Arguments.of("_max_claim_count", 0),
        Arguments.of("_max_claim_count", true),
        Arguments.of("_dead_letter_queue", "no spaces"),
        Arguments.of("_dead_letter_queue", 7),
        Arguments.of("_dead_letter_queue_messages_ttl", -5),
        Arguments.of("_durability", "disk"),
        Arguments.of("_durability", 2));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("invalidReservedValues")
  void invalidReservedValuesAreRefusedAndNameTheKey(String key, Object value) {
    queues.create("q", Map.of("kept", 1));

    Expect.invalid("metadata." + key, () -> queues.create("other", Map.of(key, value)));
    Expect.invalid("metadata." + key, () -> queues.update("q", Map.of(key, value), Mode.MERGE));
    Expect.invalid("metadata." + key, () -> queues.update("q", Map.of(key, value), Mode.REPLACE));

    Expect.notFound(() -> queues.get("other"));
    assertEquals(Map.of("kept", 1.0), metadataOf("q"));
  }
}
