package io.kvdb.lua.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.lua.Keys;
import io.kvdb.lua.script.Reason;
import io.kvdb.lua.script.ScriptRefusedException;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.lua.testing.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XPendingParams;

/** The broker scripts on real streams: retention and the missed flag, dead letters, acks. */
@WithRedis
class BrokerStreamsTest {
  private final String project = "broker-" + UUID.randomUUID();
  private final UnifiedJedis redis;
  private final Broker broker;

  BrokerStreamsTest(UnifiedJedis redis, ScriptRegistry scripts) {
    this.redis = redis;
    this.broker = new Broker(scripts);
  }

  private List<String> publish(int count, Broker.Mode mode, int retention) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(broker.publish(project, "ch", mode, ("m" + i).getBytes(), Map.of(), retention));
    }
    return ids;
  }

  private ChannelRead readAfter(String id) {
    Map<String, String> cursors = new LinkedHashMap<>();
    cursors.put("ch", id);
    return broker.read(project, cursors, 100, 0).channels().get(0);
  }

  @Test
  void retentionKeepsTheNewestAndAReaderBehindItIsTold() {
    List<String> ids = publish(8, Broker.Mode.ALL, 5);

    assertEquals(5, redis.xlen(Keys.broker(project) + ":all:ch"));
    assertEquals(
        ids.get(2),
        readAfter(ids.get(0)).missedThrough(),
        "m1 and m2 were trimmed before this reader got them");
    ChannelRead caughtUp = readAfter(ids.get(2));
    assertEquals(null, caughtUp.missedThrough(), "everything after m2 is still kept");
    assertEquals(ids.subList(3, 8), caughtUp.messages().stream().map(BrokerMessage::id).toList());
    assertEquals(List.of(), readAfter("$").messages(), "'$' starts after the newest");
  }

  private List<String> ids(List<BrokerMessage> messages) {
    return messages.stream().map(BrokerMessage::id).toList();
  }

  private List<BrokerMessage> readGroup(String consumer, int count) {
    return broker.readGroup(project, "ch", "g", consumer, count, Duration.ofSeconds(30), 5, 5);
  }

  @Test
  void retentionNeverTrimsWhatAGroupHasNotAcknowledgedAndAFullChannelRefusesNamingIt() {
    assertEquals(List.of(), readGroup("a", 10), "the group exists before anything is published");
    List<String> kept = publish(5, Broker.Mode.ONE, 5);
    for (int i = 5; i < 12; i++) {
      ScriptRefusedException full =
          assertThrows(ScriptRefusedException.class, () -> publish(1, Broker.Mode.ONE, 5));
      assertEquals(Reason.LIMIT, full.reason());
      assertTrue(
          full.getMessage().contains("group g"),
          "names the group holding it back: " + full.getMessage());
    }
    List<BrokerMessage> got = readGroup("a", 10);
    assertEquals(kept, ids(got), "every message accepted reaches the group");

    broker.ack(project, "ch", "g", ids(got).subList(0, 2));
    List<String> more = publish(2, Broker.Mode.ONE, 5);
    assertThrows(
        ScriptRefusedException.class,
        () -> publish(1, Broker.Mode.ONE, 5),
        "m2 is still unacknowledged");
    assertEquals(
        List.of(kept.get(2), kept.get(3), kept.get(4), more.get(0), more.get(1)),
        redis.xrange(Keys.broker(project) + ":one:ch", "-", "+").stream()
            .map(e -> e.getID().toString())
            .toList(),
        "only what the group acknowledged was trimmed");
  }

  @Test
  void theSlowestOfSeveralGroupsHoldsTrimmingBack() {
    broker.readGroup(project, "ch", "fast", "a", 10, Duration.ofSeconds(30), 5, 5);
    broker.readGroup(project, "ch", "slow", "b", 10, Duration.ofSeconds(30), 5, 5);
    publish(5, Broker.Mode.ONE, 5);
    List<BrokerMessage> fast =
        broker.readGroup(project, "ch", "fast", "a", 10, Duration.ofSeconds(30), 5, 5);
    broker.ack(project, "ch", "fast", ids(fast));
    broker.readGroup(project, "ch", "slow", "b", 1, Duration.ofSeconds(30), 5, 5);
    ScriptRefusedException full =
        assertThrows(ScriptRefusedException.class, () -> publish(1, Broker.Mode.ONE, 5));
    assertTrue(full.getMessage().contains("group slow"), full.getMessage());
  }

  @Test
  void aChannelNoGroupReadsYetKeepsItsNewestForTheFirstGroup() {
    List<String> ids = publish(8, Broker.Mode.ONE, 5);
    assertEquals(ids.subList(3, 8), ids(readGroup("a", 10)));
  }

  @Test
  void loweringTheRetentionTrimsABoundedNumberPerPublish() {
    publish(60, Broker.Mode.ALL, 100);
    String stream = Keys.broker(project) + ":all:ch";
    publish(1, Broker.Mode.ALL, 5);
    long after = redis.xlen(stream);
    assertTrue(after > 5 && after < 61, "one publish trims some, not the whole excess: " + after);
    Eventually.await(
        "later publishes bring the channel down to its retention",
        () -> {
          publish(1, Broker.Mode.ALL, 5);
          return redis.xlen(stream) == 5;
        });
  }

  @Test
  void aPendingEntryRemovedBehindKvdbsBackIsCountedAsLost() {
    publish(3, Broker.Mode.ONE, 100);
    String stream = Keys.broker(project) + ":one:ch";
    List<BrokerMessage> got =
        broker.readGroup(project, "ch", "g", "a", 10, Duration.ofMillis(20), 5, 100);
    assertEquals(3, got.size());
    redis.xtrim(stream, 1, false);
    Eventually.await(
        "the overdue, vanished entries are settled",
        () ->
            broker.readGroup(project, "ch", "g", "b", 10, Duration.ofMillis(20), 5, 100).size()
                == 1);
    assertEquals(
        "2", redis.hget(Keys.broker(project) + ":lost", "ch g"), "counted, not acked silently");
  }

  @Test
  void aChannelTakesABoundedNumberOfGroups() {
    for (int g = 0; g < Broker.MAX_GROUPS; g++) {
      broker.readGroup(project, "ch", "g" + g, "a", 1, Duration.ofSeconds(30), 5, 5);
    }
    ScriptRefusedException refused =
        assertThrows(
            ScriptRefusedException.class,
            () ->
                broker.readGroup(
                    project, "ch", "one-too-many", "a", 1, Duration.ofSeconds(30), 5, 5));
    assertEquals(Reason.LIMIT, refused.reason());
    assertEquals(Broker.MAX_GROUPS, redis.xinfoGroups(Keys.broker(project) + ":one:ch").size());
    broker.readGroup(project, "ch", "g0", "b", 1, Duration.ofSeconds(30), 5, 5);
  }

  private List<String> consumers(String stream) {
    return redis.xinfoConsumers(stream, "g").stream().map(c -> c.getName()).toList();
  }

  @Test
  void aMemberThatLeavesHandsItsPendingMessagesToTheGroupAndIsDeleted() {
    publish(2, Broker.Mode.ONE, 100);
    String stream = Keys.broker(project) + ":one:ch";
    assertEquals(
        2, broker.readGroup(project, "ch", "g", "a", 10, Duration.ofSeconds(30), 5, 100).size());
    Eventually.await(
        "a has held them a while",
        () ->
            redis.xpending(stream, "g", XPendingParams.xPendingParams().count(10)).stream()
                .allMatch(p -> p.getIdleTime() >= 200));

    assertEquals(2, broker.leave(project, List.of("ch", "never-read"), "g", "a"));

    assertFalse(
        consumers(stream).contains("a"), "the member's consumer is gone: " + consumers(stream));
    var pending = redis.xpending(stream, "g", XPendingParams.xPendingParams().count(10));
    assertEquals(2, pending.size(), "nothing it held is lost");
    assertTrue(
        pending.stream().allMatch(p -> p.getIdleTime() >= 200), "idle time kept: " + pending);
    assertTrue(
        pending.stream().allMatch(p -> p.getDeliveredTimes() == 1), "not counted as a delivery");
    List<BrokerMessage> heir =
        broker.readGroup(project, "ch", "g", "b", 10, Duration.ofMillis(150), 5, 100);
    assertEquals(
        List.of(2, 2),
        heir.stream().map(BrokerMessage::deliveries).toList(),
        "already overdue for b");
  }

  @Test
  void readsRemoveConsumersLeftIdleWithNothingPendingAFewAtATime() {
    String stream = Keys.broker(project) + ":one:ch";
    publish(11, Broker.Mode.ONE, 100);
    for (int i = 0; i < 10; i++) {
      broker.ack(
          project,
          "ch",
          "g",
          ids(
              broker.readGroup(
                  project, "ch", "g", "dead-" + i, 1, Duration.ofSeconds(30), 5, 100)));
    }
    broker.readGroup(project, "ch", "g", "busy", 10, Duration.ofSeconds(30), 5, 100);
    assertEquals(11, consumers(stream).size());
    Eventually.clockPasses(System.currentTimeMillis() + 150);
    broker.readGroup(project, "ch", "g", "live", 10, Duration.ofMillis(100), 5, 100);
    int left = consumers(stream).size();
    assertTrue(left < 12 && left > 3, "a bounded few removed per read: " + consumers(stream));
    Eventually.await(
        () -> "all idle consumers removed: " + consumers(stream),
        () -> {
          broker.readGroup(project, "ch", "g", "live", 10, Duration.ofMillis(100), 5, 100);
          return consumers(stream).equals(List.of("live"));
        });
    assertEquals(
        1,
        redis.xpending(stream, "g").getTotal(),
        "busy's overdue message was taken over by live, not lost");
  }

  @Test
  void aBroadcastReadHoldsABoundedNumberOfBytesWhateverTheChannels() {
    byte[] large = new byte[400 * 1024];
    for (String channel : List.of("a", "b", "c")) {
      for (int i = 0; i < 3; i++) {
        broker.publish(project, channel, Broker.Mode.ALL, large, Map.of(), 100);
      }
    }
    Map<String, String> cursors = new LinkedHashMap<>();
    List.of("a", "b", "c").forEach(channel -> cursors.put(channel, "0-0"));
    BroadcastRead read = broker.read(project, cursors, 100, 1024 * 1024);
    assertTrue(read.cut());
    assertEquals(
        List.of(3, 0, 0),
        read.channels().stream().map(c -> c.messages().size()).toList(),
        "stops once the budget is spent, at least one message in");
    assertEquals(
        9,
        broker.read(project, cursors, 100, 0).channels().stream()
            .mapToInt(c -> c.messages().size())
            .sum());
  }

  @Test
  void aMessageDeliveredTooOftenMovesToTheDeadLetterChannelOnce() {
    publish(1, Broker.Mode.ONE, 100);
    Duration timeout = Duration.ofMillis(20);
    String dead = Keys.broker(project) + ":one:ch.dead";
    assertEquals(
        1, broker.readGroup(project, "ch", "g", "a", 10, timeout, 2, 100).get(0).deliveries());
    List<BrokerMessage> again = new ArrayList<>();
    Eventually.await(
        "overdue at a, redelivered to b",
        () -> again.addAll(broker.readGroup(project, "ch", "g", "b", 10, timeout, 2, 100)));
    assertEquals(2, again.get(0).deliveries());

    Eventually.await(
        "overdue at b, moved to the dead-letter channel",
        () -> {
          assertEquals(
              List.of(),
              broker.readGroup(project, "ch", "g", "c", 10, timeout, 2, 100),
              "never delivered a third time");
          return redis.xlen(dead) == 1;
        });
    assertEquals(
        0, redis.xpending(Keys.broker(project) + ":one:ch", "g").getTotal(), "moved once, acked");
    assertEquals(List.of(), broker.readGroup(project, "ch", "g", "c", 10, timeout, 2, 100));
    assertEquals(1, redis.xlen(dead));
    List<BrokerMessage> letters =
        broker.readGroup(project, "ch.dead", "g", "c", 10, timeout, 2, 100);
    assertEquals("m0", new String(letters.get(0).payload()));
  }

  @Test
  void anAcknowledgedMessageIsNotDeliveredAgain() {
    publish(2, Broker.Mode.ONE, 100);
    List<BrokerMessage> got =
        broker.readGroup(project, "ch", "g", "a", 10, Duration.ofMillis(20), 5, 100);
    assertEquals(2, broker.ack(project, "ch", "g", got.stream().map(BrokerMessage::id).toList()));
    assertEquals(
        0,
        redis.xpending(Keys.broker(project) + ":one:ch", "g").getTotal(),
        "nothing left to redeliver");
    assertEquals(
        List.of(), broker.readGroup(project, "ch", "g", "b", 10, Duration.ofMillis(20), 5, 100));
  }
}
