package io.kvdb.lua.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.lua.Keys;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.lua.testing.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** The broker scripts on real streams: retention and the missed flag, dead letters, acks. */
class BrokerStreamsTest {
  private static UnifiedJedis redis;
  private static Broker broker;
  private String project;

  @BeforeAll
  static void connect() {
    redis = TestRedis.shared().connect();
    broker = new Broker(ScriptRegistry.load(redis));
  }

  @AfterAll
  static void disconnect() {
    redis.close();
  }

  @BeforeEach
  void freshProject() {
    project = "broker-" + UUID.randomUUID();
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
    return broker.read(project, cursors, 100).get(0);
  }

  @Test
  void retentionKeepsTheNewestAndAReaderBehindItIsTold() {
    List<String> ids = publish(8, Broker.Mode.ALL, 5);

    assertEquals(5, redis.xlen(Keys.broker(project) + ":all:ch"));
    assertEquals(ids.get(2), readAfter(ids.get(0)).missedThrough(), "m1 and m2 were trimmed before this reader got them");
    ChannelRead caughtUp = readAfter(ids.get(2));
    assertEquals(null, caughtUp.missedThrough(), "everything after m2 is still kept");
    assertEquals(ids.subList(3, 8), caughtUp.messages().stream().map(BrokerMessage::id).toList());
    assertEquals(List.of(), readAfter("$").messages(), "'$' starts after the newest");
  }

  @Test
  void aMessageDeliveredTooOftenMovesToTheDeadLetterChannelOnce() {
    publish(1, Broker.Mode.ONE, 100);
    Duration timeout = Duration.ofMillis(20);
    String dead = Keys.broker(project) + ":one:ch.dead";
    assertEquals(1, broker.readGroup(project, "ch", "g", "a", 10, timeout, 2, 100).get(0).deliveries());
    List<BrokerMessage> again = new ArrayList<>();
    Eventually.await("overdue at a, redelivered to b",
        () -> again.addAll(broker.readGroup(project, "ch", "g", "b", 10, timeout, 2, 100)));
    assertEquals(2, again.get(0).deliveries());

    Eventually.await("overdue at b, moved to the dead-letter channel", () -> {
      assertEquals(List.of(), broker.readGroup(project, "ch", "g", "c", 10, timeout, 2, 100), "never delivered a third time");
      return redis.xlen(dead) == 1;
    });
    assertEquals(0, redis.xpending(Keys.broker(project) + ":one:ch", "g").getTotal(), "moved once, acked");
    assertEquals(List.of(), broker.readGroup(project, "ch", "g", "c", 10, timeout, 2, 100));
    assertEquals(1, redis.xlen(dead));
    List<BrokerMessage> letters = broker.readGroup(project, "ch.dead", "g", "c", 10, timeout, 2, 100);
    assertEquals("m0", new String(letters.get(0).payload()));
  }

  @Test
  void anAcknowledgedMessageIsNotDeliveredAgain() {
    publish(2, Broker.Mode.ONE, 100);
    List<BrokerMessage> got = broker.readGroup(project, "ch", "g", "a", 10, Duration.ofMillis(20), 5, 100);
    assertEquals(2, broker.ack(project, "ch", "g", got.stream().map(BrokerMessage::id).toList()));
    assertEquals(0, redis.xpending(Keys.broker(project) + ":one:ch", "g").getTotal(), "nothing left to redeliver");
    assertEquals(List.of(), broker.readGroup(project, "ch", "g", "b", 10, Duration.ofMillis(20), 5, 100));
  }
}
