package io.kvdb.lua.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.queues.Queues;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.TestRedis;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;

/**
 * A user with {@link GatewayAcl#RULE} runs the gateway's scripts and is refused everything else, on
 * a private server of the flavour under test (the embedded 6.2 or Debian's 7). The whole suite runs
 * as such a user with {@code KVDB_TEST_REDIS=server}; this shows the other side.
 */
class GatewayAclTest {
  @Test
  void theGatewaysUserRunsItsScriptsAndIsRefusedEverythingElse() {
    try (RedisServerProcess server = TestRedis.startPrivate();
        Jedis admin = new Jedis(server.uri())) {
      admin.aclSetUser(
          "kvdb",
          Stream.concat(Stream.of("on", ">s3cret"), GatewayAcl.RULE_WORDS.stream())
              .toArray(String[]::new));
      URI url = URI.create("redis://kvdb:s3cret@127.0.0.1:" + server.port());
      try (UnifiedJedis redis = RedisConnector.connect(url, RedisConnector.Settings.DEFAULT)) {
        Queues queues = new Queues(redis, ScriptRegistry.load(redis));
        QueueRef queue = new QueueRef("acl", "q");
        queues.create(queue, Map.of("k", 1L));
        assertEquals(Map.of("k", 1L), queues.get(queue).metadata());

        assertRefused(redis::flushAll);
        assertRefused(() -> redis.keys("*"));
        assertRefused(() -> redis.configSet("maxmemory", "1"));
        assertRefused(redis::scriptFlush);
        assertRefused(redis::flushDB);
        assertRefused(() -> redis.sendCommand(Protocol.Command.ACL, "LIST"));
        assertRefused(() -> redis.eval("return 1"));
        assertRefused(() -> redis.set("other:key", "x"));
        assertRefused(() -> redis.get("other:key"));
        assertRefused(() -> redis.publish("other-channel", "x"));
      }
      assertTrue(admin.exists("kvdb:q:{acl/q}"), "the gateway's write happened");
    }
  }

  @Test
  void theReadmeQuotesTheRuleAsTheCodeHasIt() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    assertTrue(readme.contains(GatewayAcl.RULE), "README.md quotes GatewayAcl.RULE verbatim");
  }

  @Test
  void theRuleNamesEachCommandOnceAndNoCategory() {
    assertEquals(GatewayAcl.COMMANDS.stream().distinct().sorted().toList(), GatewayAcl.COMMANDS);
    assertTrue(
        GatewayAcl.RULE_WORDS.stream().noneMatch(word -> word.startsWith("+@")), GatewayAcl.RULE);
    for (String forbidden : List.of("flushall", "flushdb", "keys", "config", "debug", "eval")) {
      assertFalse(GatewayAcl.COMMANDS.contains(forbidden), forbidden + " is not in the rule");
    }
  }

  private static void assertRefused(Executable command) {
    JedisAccessControlException refused = assertThrows(JedisAccessControlException.class, command);
    assertTrue(refused.getMessage().startsWith("NOPERM"), refused.getMessage());
  }
}
