package io.kvdb.lua.queues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.lua.Keys;
import io.kvdb.lua.messages.MessageToPost;
import io.kvdb.lua.messages.Messages;
import io.kvdb.lua.script.Reason;
import io.kvdb.lua.script.ScriptRefusedException;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.WithRedis;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** The queue scripts, called directly (the gateway's validation is not in this path). */
@WithRedis
class QueuesTest {
  private final String project = "lua-" + UUID.randomUUID();
  private final UnifiedJedis redis;
  private final ScriptRegistry scripts;
  private final Queues queues;

  QueuesTest(UnifiedJedis redis, ScriptRegistry scripts) {
    this.redis = redis;
    this.scripts = scripts;
    this.queues = new Queues(redis, scripts);
  }

  private QueueRef queue(String name) {
    return new QueueRef(project, name);
  }

  @Test
  void createIsIdempotentAndKeepsTheFirstMetadata() {
    QueueCreation first = queues.create(queue("orders"), Map.of("color", "red"));
    QueueCreation second = queues.create(queue("orders"), Map.of("color", "blue"));

    assertTrue(first.created());
    assertFalse(second.created());
    assertEquals(Map.of("color", "red"), second.queue().metadata());
    assertEquals(first.queue().createdAt(), second.queue().createdAt());
  }

  @Test
  void getOfAMissingQueueIsNotFound() {
    ScriptRefusedException error =
        assertThrows(ScriptRefusedException.class, () -> queues.get(queue("nope")));
    assertEquals(Reason.NOT_FOUND, error.reason());
  }

  @Test
  void mergeOverwritesNamedKeysAndNullRemoves() {
    queues.create(queue("q"), Map.of("a", 1L, "b", 2L, "c", 3L));
    Map<String, Object> patch = new HashMap<>();
    patch.put("a", 10L);
    patch.put("b", null);
    patch.put("d", List.of("x"));

    QueueInfo merged = queues.update(queue("q"), patch, MetadataUpdate.MERGE);

    assertEquals(Map.of("a", 10L, "c", 3L, "d", List.of("x")), merged.metadata());
    assertEquals(merged, queues.get(queue("q")));
  }

  @Test
  void replaceDropsKeysNotGiven() {
    queues.create(queue("q"), Map.of("a", 1L, "b", 2L));
    QueueInfo replaced = queues.update(queue("q"), Map.of("z", true), MetadataUpdate.REPLACE);
    assertEquals(Map.of("z", true), replaced.metadata());
  }

  @Test
  void anUpdateOverTheLimitChangesNothing() {
    queues.create(queue("q"), Map.of("big", "x".repeat(40_000)));
    Map<String, Object> tooMuch = Map.of("more", "y".repeat(30_000));

    ScriptRefusedException error =
        assertThrows(
            ScriptRefusedException.class,
            () -> queues.update(queue("q"), tooMuch, MetadataUpdate.MERGE));

    assertEquals(Reason.INVALID, error.reason());
    assertTrue(error.getMessage().startsWith("metadata "), error.getMessage());
    assertEquals(Map.of("big", "x".repeat(40_000)), queues.get(queue("q")).metadata());
    // Replacing frees the old space, so the same payload fits.
    assertEquals(tooMuch, queues.update(queue("q"), tooMuch, MetadataUpdate.REPLACE).metadata());
  }

  @Test
  void updateOfAMissingQueueIsNotFoundAndCreatesNothing() {
    ScriptRefusedException error =
        assertThrows(
            ScriptRefusedException.class,
            () -> queues.update(queue("ghost"), Map.of("a", 1L), MetadataUpdate.MERGE));
    assertEquals(Reason.NOT_FOUND, error.reason());
    assertFalse(redis.exists(Keys.queue(queue("ghost"))));
  }

  @Test
  void deleteRemovesTheQueueItsIndexesAndItsListing() {
    queues.create(queue("q"), Map.of());
    String queueKey = Keys.queue(queue("q"));
    redis.zadd(queueKey + ":ready", 1, "m1");

    assertTrue(queues.delete(queue("q")));

    assertFalse(redis.exists(queueKey));
    assertFalse(redis.exists(queueKey + ":ready"));
    assertEquals(List.of(), queues.list(project, "", null, 10, false).queues());
    assertFalse(queues.delete(queue("q")), "a second delete finds nothing and is fine");
  }

  @Test
  void namesThatLookLikeKeySuffixesStayApart() {
    queues.create(queue("a"), Map.of("who", "a"));
    queues.create(queue("a:all"), Map.of("who", "a:all".replace(':', '.')));
    queues.create(queue("a.all"), Map.of("who", "a.all"));

    queues.delete(queue("a"));

    assertEquals("a.all", queues.get(queue("a.all")).metadata().get("who"));
    assertEquals(2, queues.list(project, "", null, 10, false).queues().size());
  }

  @Test
  void listPagesByNameWithPrefix() {
    for (String name : List.of("b1", "a2", "a1", "a3", "c")) {
      queues.create(queue(name), Map.of("n", name));
    }

    QueuePage first = queues.list(project, "a", null, 2, true);
    assertEquals(List.of("a1", "a2"), first.queues().stream().map(QueueInfo::name).toList());
    assertEquals("a1", first.queues().get(0).metadata().get("n"));
    assertTrue(first.hasMore());

    QueuePage second = queues.list(project, "a", "a2", 2, false);
    assertEquals(List.of("a3"), second.queues().stream().map(QueueInfo::name).toList());
    assertFalse(second.hasMore());

    assertEquals(5, queues.list(project, "", null, 10, false).queues().size());
  }

  @Test
  void listSkipsARegistryEntryWhoseQueueIsGone() {
    queues.create(queue("kept"), Map.of());
    redis.zadd(Keys.queueRegistry(project), 0, "crashed");

    QueuePage page = queues.list(project, "", null, 10, true);

    assertEquals(List.of("kept"), page.queues().stream().map(QueueInfo::name).toList());
  }

  @Test
  void statsOfAnEmptyQueueAreZeros() {
    queues.create(queue("q"), Map.of());
    QueueCounts counts = queues.stats(queue("q"));
    assertEquals(
        new QueueCounts(0, 0, 0, 0, java.util.Optional.empty(), java.util.Optional.empty()),
        counts);
  }

  @Test
  void statsOfAMissingQueueAreNotFound() {
    ScriptRefusedException error =
        assertThrows(ScriptRefusedException.class, () -> queues.stats(queue("nope")));
    assertEquals(Reason.NOT_FOUND, error.reason());
  }

  @Test
  void projectsDoNotSeeEachOthersQueues() {
    queues.create(queue("shared-name"), Map.of("owner", project));
    QueueRef other = new QueueRef(project + "-other", "shared-name");

    assertThrows(ScriptRefusedException.class, () -> queues.get(other));
    assertEquals(List.of(), queues.list(other.project(), "", null, 10, false).queues());
  }

  private static List<String> names(QueuePage page) {
    return page.queues().stream().map(QueueInfo::name).toList();
  }

  @Test
  void aPageMadeOnlyOfEntriesWhoseQueuesAreGoneStillLeadsToTheNextPage() {
    redis.zadd(Keys.queueRegistry(project), 0, "a-gone");
    redis.zadd(Keys.queueRegistry(project), 0, "b-gone");
    queues.create(queue("c-kept"), Map.of());

    QueuePage first = queues.list(project, "", null, 2, true);

    assertEquals(List.of(), names(first));
    assertEquals(
        "b-gone", first.nextAfter(), "the page skipped entries, the listing goes on after them");
    assertEquals(List.of("c-kept"), names(queues.list(project, "", first.nextAfter(), 2, true)));
  }

  @Test
  void aQueueAPostCreatedAsksForItsRegistryEntryUntilItIsRegistered() {
    QueueRef posted = queue("posted");
    Messages messages = new Messages(scripts);
    List<MessageToPost> one =
        List.of(new MessageToPost("m1", "x".getBytes(), Map.of(), null, null));
    Duration hour = Duration.ofHours(1);

    assertTrue(messages.post(posted, "", one, hour, 1024).unregistered());
    assertTrue(
        messages.post(posted, "", one, hour, 1024).unregistered(),
        "a gateway that died before registering it is repaired by the next post");
    queues.register(posted);

    assertFalse(messages.post(posted, "", one, hour, 1024).unregistered());
    assertEquals(List.of("posted"), names(queues.list(project, "", null, 10, false)));
  }

  @Test
  void creatingAQueueThatAPostLeftUnregisteredRegistersIt() {
    QueueRef posted = queue("posted");
    new Messages(scripts)
        .post(
            posted,
            "",
            List.of(new MessageToPost("m1", "x".getBytes(), Map.of(), null, null)),
            Duration.ofHours(1),
            1024);
    assertEquals(List.of(), names(queues.list(project, "", null, 10, false)));

    assertFalse(queues.create(posted, Map.of()).created());

    assertEquals(List.of("posted"), names(queues.list(project, "", null, 10, false)));
  }

  @Test
  void reconcilingDropsOnlyEntriesWhoseQueuesAreGone() {
    queues.create(queue("kept"), Map.of());
    redis.zadd(Keys.queueRegistry(project), 0, "crashed");

    assertTrue(queues.reconcile(queue("crashed")));
    assertFalse(queues.reconcile(queue("kept")));

    assertEquals(List.of("kept"), names(queues.list(project, "", null, 10, false)));
  }
}
