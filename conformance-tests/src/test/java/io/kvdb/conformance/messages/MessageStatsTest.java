package io.kvdb.conformance.messages;

import static io.kvdb.conformance.messages.Messaging.delayed;
import static io.kvdb.conformance.messages.Messaging.ids;
import static io.kvdb.conformance.messages.Messaging.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kvdb.conformance.KvdbTarget;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.QueueStats;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Queue statistics are exact at the moment of the call, whatever happened just before. */
class MessageStatsTest extends ProjectScopedTest {
  private void expect(long free, long claimed, long delayed, String queue) {
    QueueStats stats = queues.stats(queue);
    assertEquals(
        List.of(free, claimed, delayed, free + claimed + delayed),
        List.of(stats.getFree(), stats.getClaimed(), stats.getDelayed(), stats.getTotal()),
        "free, claimed, delayed, total");
  }

  @Test
  void countsFollowPostsClaimsReleasesDeletesAndPops() {
    List<String> posted = kvdb.messages().post("q", "a", "b", "c", "d", "e", "f");
    kvdb.messages().post("q", List.of(delayed("later", Duration.ofMinutes(5))));
    expect(6, 0, 1, "q");

    Claim first = Messaging.claim(kvdb, "q", 2);
    Claim second = Messaging.claim(kvdb, "q", 1);
    expect(3, 3, 1, "q");
    assertEquals(posted.get(0), queues.stats("q").getOldest().getId(), "claimed, and oldest");

    kvdb.claims().release("q", first.getId());
    expect(5, 1, 1, "q");
    kvdb.messages().delete("q", ids(second), second.getId());
    expect(5, 0, 1, "q");
    kvdb.messages().delete("q", posted.subList(0, 1));
    expect(4, 0, 1, "q");
    kvdb.messages().pop("q", 3);
    expect(1, 0, 1, "q");

    QueueStats stats = queues.stats("q");
    assertEquals(posted.get(5), stats.getOldest().getId());
    assertEquals(
        stats.getNewest().getId(),
        ids(Messaging.list(
                    kvdb, Messaging.listing("q").setIncludeDelayed(true).setPageSize(100).build())
                .getMessagesList())
            .get(1));
  }

  @Test
  void oldestAndNewestAreAbsentFromAnEmptyQueue() {
    List<String> posted = kvdb.messages().post("q", "a", "b");
    QueueStats stats = queues.stats("q");
    assertEquals(posted.get(0), stats.getOldest().getId());
    assertEquals(posted.get(1), stats.getNewest().getId());
    assertFalse(stats.getOldest().getCreateTime().getSeconds() == 0);

    kvdb.messages().delete("q", posted);
    QueueStats empty = queues.stats("q");
    assertFalse(empty.hasOldest());
    assertFalse(empty.hasNewest());
    expect(0, 0, 0, "q");
  }

  @Test
  void countsFollowExpiriesAtOnce() throws Exception {
    Assumptions.assumeTrue(KvdbTarget.allowsShortTtls());
    kvdb.messages().post("q", List.of(text("brief", Duration.ofMillis(500)), text("kept")));
    String soon =
        kvdb.messages().post("q", List.of(delayed("soon", Duration.ofMillis(500)))).get(0);
    Claim claim = Messaging.claim(kvdb, "q", 1, Duration.ofMillis(1500), Duration.ZERO);
    assertEquals("brief", claim.getMessages(0).getBody().toStringUtf8());
    expect(1, 1, 1, "q");

    Messaging.sleepPast(kvdb.messages().get("q", List.of(soon)).get(0).getVisibleTime());
    expect(2, 1, 0, "q");
    Messaging.sleepPast(claim.getExpireTime());
    expect(2, 0, 0, "q");
  }
}
