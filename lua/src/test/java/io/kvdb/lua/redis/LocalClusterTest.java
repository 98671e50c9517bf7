package io.kvdb.lua.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvdb.lua.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.util.JedisClusterCRC16;

/** {@link LocalCluster} on the PATH's redis-server (and the shipped 6.2), checked through Jedis. */
class LocalClusterTest {
  private static final Duration FAILOVER_BOUND = Duration.ofSeconds(20);

  @Test
  void formsAClusterThatServesEverySlot() {
    try (LocalCluster cluster = LocalCluster.start(pathBinary())) {
      List<LocalNode> nodes = cluster.nodes();
      assertEquals(3, count(nodes, LocalNode.Role.PRIMARY), nodes.toString());
      assertEquals(3, count(nodes, LocalNode.Role.REPLICA), nodes.toString());
      String primaries =
          nodes.subList(0, 3).stream()
              .map(node -> "127.0.0.1:" + node.port())
              .collect(Collectors.joining(","));
      assertEquals("redis://" + primaries, cluster.uri().toString());
      assertServesKeysOnEveryPrimary(cluster);
    }
  }

  @Test
  void formsOnRedis62Too() {
    Path embedded = RedisServerProcess.embeddedBinary();
    try (LocalCluster cluster =
        LocalCluster.start(embedded, new LocalCluster.Settings(3, 0, Duration.ofSeconds(2)))) {
      assertServesKeysOnEveryPrimary(cluster);
    }
  }

  @Test
  void promotesTheReplicaOfAKilledPrimaryWhichRejoinsAsAReplica() {
    try (LocalCluster cluster = LocalCluster.start(pathBinary());
        RedisClusterClient client = client(cluster)) {
      client.set("{failover}key", "kept");
      client.waitReplicas("{failover}key", 1, 2000);
      int slot = JedisClusterCRC16.getSlot("{failover}key");
      int victim = cluster.nodes().get(slot * 3 / 16384).port();

      cluster.kill(victim);

      Eventually.within(
          FAILOVER_BOUND,
          () -> "a replica promoted: " + cluster.nodes(),
          () -> count(cluster.nodes(), LocalNode.Role.PRIMARY) == 3);
      Eventually.within(
          FAILOVER_BOUND,
          () -> "the key readable after the failover",
          () -> {
            try {
              return "kept".equals(client.get("{failover}key"));
            } catch (RuntimeException notYet) {
              return false;
            }
          });

      cluster.startAgain(victim);

      LocalNode returned =
          cluster.nodes().stream().filter(node -> node.port() == victim).findFirst().orElseThrow();
      assertEquals(LocalNode.Role.REPLICA, returned.role());
    }
  }

  /** Keys in slots of every primary's range can be written and read back through a client. */
  private static void assertServesKeysOnEveryPrimary(LocalCluster cluster) {
    try (RedisClusterClient client = client(cluster)) {
      for (String key : List.of("a", "b", "c", "d", "e", "f")) {
        client.set(key, "value-" + key);
        assertEquals("value-" + key, client.get(key));
      }
      Set<Integer> ranges =
          IntStream.rangeClosed('a', 'f')
              .mapToObj(c -> JedisClusterCRC16.getSlot(Character.toString(c)) * 3 / 16384)
              .collect(Collectors.toSet());
      assertTrue(ranges.size() > 1, "the keys fall in one primary's range: " + ranges);
    }
  }

  private static RedisClusterClient client(LocalCluster cluster) {
    Set<HostAndPort> seeds =
        cluster.nodes().stream()
            .map(node -> new HostAndPort("127.0.0.1", node.port()))
            .collect(Collectors.toSet());
    return RedisClusterClient.builder().nodes(seeds).build();
  }

  private static long count(List<LocalNode> nodes, LocalNode.Role role) {
    return nodes.stream().filter(node -> node.role() == role).count();
  }

  static Path pathBinary() {
    try {
      return RedisServerProcess.pathBinary();
    } catch (IllegalStateException none) {
      assumeTrue(false, "no redis-server on the PATH");
      throw none;
    }
  }
}
