package io.kvdb.lua.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.queues.Queues;
import io.kvdb.lua.testing.Admin;
import io.kvdb.lua.testing.WithRedis;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

@WithRedis
class ScriptRegistryTest {
  private final UnifiedJedis redis;
  private final UnifiedJedis admin;
  private final ScriptRegistry scripts;

  ScriptRegistryTest(UnifiedJedis redis, @Admin UnifiedJedis admin, ScriptRegistry scripts) {
    this.redis = redis;
    this.admin = admin;
    this.scripts = scripts;
  }

  @Test
  void reloadsAndRetriesWhenRedisForgotTheScripts() {
    Queues queues = new Queues(redis, scripts);
    QueueRef queue = new QueueRef("registry-" + UUID.randomUUID(), "flushed");
    queues.create(queue, Map.of("k", 1L));

    admin.scriptFlush();

    assertEquals(Map.of("k", 1L), queues.get(queue).metadata());
  }

  @Test
  void everyScriptIsLoadedAtStart() throws Exception {
    admin.scriptFlush();
    ScriptRegistry.load(redis);
    for (Script script : Script.values()) {
      byte[] source = ScriptSource.read(script.path()).getBytes(StandardCharsets.UTF_8);
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source));
      assertEquals(List.of(true), admin.scriptExists(List.of(sha)), script.path() + " loaded");
    }
  }

  @Test
  void includesAreExpandedOnce() {
    String source = ScriptSource.read("queues/create");
    assertFalse(source.contains("@include"), "include lines replaced");
    assertTrue(source.contains("local function now_ms"));
    assertEquals(
        source.indexOf("local function now_ms"), source.lastIndexOf("local function now_ms"));
  }

  @Test
  void scriptErrorsCarryTheirReason() {
    ScriptRefusedException error =
        assertThrows(
            ScriptRefusedException.class,
            () ->
                new Queues(redis, scripts)
                    .get(new QueueRef("registry-" + UUID.randomUUID(), "missing")));
    assertEquals(Reason.NOT_FOUND, error.reason());
    assertEquals("queue does not exist", error.getMessage());
  }

  @Test
  void unknownReasonsAreInternalErrors() {
    assertEquals(Reason.INTERNAL, ScriptRefusedException.fromReply("KVDB_SURPRISE what").reason());
    assertEquals(Reason.LIMIT, ScriptRefusedException.fromReply("KVDB_LIMIT").reason());
  }
}
