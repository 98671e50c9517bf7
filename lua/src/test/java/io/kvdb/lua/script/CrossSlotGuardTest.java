package io.kvdb.lua.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvdb.lua.testing.Admin;
import io.kvdb.lua.testing.WithRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * On the cluster flavour ({@code KVDB_TEST_REDIS=cluster}) every suite runs where a slip out of a
 * script's slot fails instead of quietly working as it would on one server. Redis refuses two
 * kinds: declared keys of two slots ({@code CROSSSLOT}), and a key a script derives that lives on
 * another node. A derived key of another slot on the same node passes (Redis 7.0 does not check
 * it), but the suites name every project and queue afresh, so their tags land on all three
 * primaries and a slip is refused on two calls of three. This test shows both refusals are live.
 */
@WithRedis
class CrossSlotGuardTest {
  private static final String STRAYS = read("/test-scripts/read_other_slot.lua");

  private static String read(String resource) {
    try (var in = CrossSlotGuardTest.class.getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void keysOfTwoSlotsAreRefusedAndAKeyOnAnotherNodeToo(@Admin UnifiedJedis redis) {
    assumeTrue(redis instanceof RedisClusterClient, "only a Redis Cluster refuses cross-slot keys");
    // Jedis refuses these itself, before Redis would answer CROSSSLOT.
    assertThrows(
        JedisException.class,
        () -> redis.eval(STRAYS, List.of("kvdb:test:{a}", "kvdb:test:{b}"), List.of()));

    // Tags a and b hash to slots 15495 and 3300: the first and last primaries of any 3-primary
    // cluster with even slot ranges.
    JedisDataException elsewhere =
        assertThrows(
            JedisDataException.class,
            () -> redis.eval(STRAYS, List.of("kvdb:test:{a}"), List.of()));
    assertTrue(elsewhere.getMessage().contains("non local key"), elsewhere.getMessage());
    assertEquals(15495, JedisClusterCRC16.getSlot("kvdb:test:{a}"));
    assertEquals(3300, JedisClusterCRC16.getSlot("kvdb:test:{b}"));
  }
}
