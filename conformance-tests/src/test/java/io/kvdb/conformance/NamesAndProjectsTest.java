package io.kvdb.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.ListQueuesOptions;
import io.kvdb.proto.StructValues;
import io.kvdb.proto.v1.GetQueueRequest;
import io.kvdb.proto.v1.Queue;
import io.kvdb.proto.v1.QueueServiceGrpc;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which names are queues, and how projects keep their queues apart. */
class NamesAndProjectsTest extends ProjectScopedTest {
  @ParameterizedTest
  @ValueSource(strings = {"a", "A-Z_a.z-0.9", "dotted.name", "-", ".", "..", "ready", "all", "m"})
  void namesOfTheAllowedCharactersAreQueues(String name) {
    assertTrue(queues.create(name).getCreated());
    assertEquals(name, queues.get(name).getName());
  }

  @Test
  void aNameOfSixtyFourCharactersIsTheLongest() {
    queues.create("x".repeat(64));
    Expect.invalid("name", () -> queues.create("x".repeat(65)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "a/b", "a:b", "{tag}", "é", "a*", "tab\t"})
  void otherNamesAreRefusedByEveryCall(String name) {
    Expect.invalid("name", () -> queues.create(name));
    Expect.invalid("name", () -> queues.get(name));
    Expect.invalid(
        "name",
        () -> queues.update(name, Map.of(), io.kvdb.proto.v1.UpdateQueueRequest.Mode.MERGE));
    Expect.invalid("name", () -> queues.delete(name));
    Expect.invalid("name", () -> queues.stats(name));
  }

  @Test
  void namesThatSpellKeySuffixesDoNotTouchOtherQueues() {
    List<String> names = List.of("q", "q.all", "q-claimed", "q.m.1", "claimed", "q_delayed");
    for (String name : names) {
      queues.create(name, Map.of("me", name));
    }
    queues.delete("q");
    for (String name : names.subList(1, names.size())) {
      assertEquals(Map.of("me", name), StructValues.toMap(queues.get(name).getMetadata()));
    }
  }

  @Test
  void aProjectSeesOnlyItsOwnQueues() {
    String otherProject = KvdbTarget.freshProject();
    try (KvdbClient other = KvdbTarget.client(otherProject)) {
      queues.create("shared", Map.of("owner", "first"));
      other.queues().create("shared", Map.of("owner", "second"));
      other.queues().create("private");

      assertEquals(
          Map.of("owner", "first"), StructValues.toMap(queues.get("shared").getMetadata()));
      assertEquals(
          Map.of("owner", "second"),
          StructValues.toMap(other.queues().get("shared").getMetadata()));
      Expect.notFound(() -> queues.get("private"));
      assertEquals(
          List.of("shared"),
          queues.list(ListQueuesOptions.ALL).getQueuesList().stream().map(Queue::getName).toList());

      other.queues().delete("shared");
      assertEquals("shared", queues.get("shared").getName());
    }
  }

  @Test
  void projectIdsFollowTheNameRules() {
    try (KvdbClient longest = KvdbTarget.client("p".repeat(200) + UUID.randomUUID())) {
      assertTrue(longest.queues().create("q").getCreated());
    }
    for (String bad : List.of("p".repeat(257), "a/b", "has space", "{x}")) {
      try (KvdbClient client = KvdbTarget.client(bad)) {
        Expect.invalid("x-project-id", () -> client.queues().create("q"));
      }
    }
  }

  @Test
  void withoutAProjectHeaderTheProjectIsDefault() {
    String name = "no-header-" + UUID.randomUUID();
    ManagedChannel channel =
        ManagedChannelBuilder.forTarget(KvdbTarget.address()).usePlaintext().build();
    try (KvdbClient defaultProject = KvdbTarget.client("default")) {
      defaultProject.queues().create(name, Map.of("via", "default"));
      Queue seen =
          QueueServiceGrpc.newBlockingStub(channel)
              .getQueue(GetQueueRequest.newBuilder().setName(name).build());
      assertEquals(Map.of("via", "default"), StructValues.toMap(seen.getMetadata()));
      defaultProject.queues().delete(name);
    } finally {
      channel.shutdownNow();
    }
  }
}
