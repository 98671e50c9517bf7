package io.kvdb.lua.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvdb.lua.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisSentinelClient;

/** {@link LocalSentinel} on the PATH's redis-server, checked through Jedis. */
class LocalSentinelTest {
  private static final Duration FAILOVER_BOUND = Duration.ofSeconds(30);

  /**
   * Slower to call a server down than the default, so that a CPU-starved CI machine does not fail
   * the promoted replica over again while the old primary syncs from it; a longer failover timeout
   * keeps a slow promotion from aborting.
   */
  private static final LocalSentinel.Settings PATIENT =
      new LocalSentinel.Settings(Duration.ofMillis(2000), Duration.ofMillis(10_000));

  @Test
  void servesThroughTheSentinelsThePrimaryStartedFirst() {
    try (LocalSentinel setup = LocalSentinel.start(LocalClusterTest.pathBinary());
        RedisSentinelClient client = client(setup)) {
      List<LocalNode> servers = setup.servers();
      assertEquals(LocalNode.Role.PRIMARY, servers.get(0).role());
      assertEquals(LocalNode.Role.REPLICA, servers.get(1).role());
      assertEquals(servers.get(0).port(), setup.primaryPort());
      assertEquals("redis-sentinel://" + sentinelHosts(setup) + "/kvdb", setup.uri().toString());

      client.set("key", "value");
      assertEquals("value", client.get("key"));
    }
  }

  @Test
  void promotesTheReplicaOfAKilledPrimaryWhichRejoinsAsAReplica() {
    try (LocalSentinel setup = LocalSentinel.start(LocalClusterTest.pathBinary(), PATIENT)) {
      int primary = setup.servers().get(0).port();
      int replica = setup.servers().get(1).port();

      setup.kill(primary);

      Eventually.within(
          FAILOVER_BOUND,
          () -> "every sentinel naming the replica: " + setup.servers(),
          () -> setup.agreedPrimaryPort().equals(Optional.of(replica)));
      Eventually.within(
          FAILOVER_BOUND,
          () -> "the replica promoted: " + setup.servers(),
          () -> setup.servers().get(1).role() == LocalNode.Role.PRIMARY);

      setup.startAgain(primary);

      // Sentinel turns a returning primary into a replica; if the server came back before every
      // sentinel had recorded the failover, that takes one more of their rounds.
      Eventually.within(
          FAILOVER_BOUND,
          () -> "the old primary a replica: " + setup.servers(),
          () -> setup.servers().get(0).role() == LocalNode.Role.REPLICA);
      assertEquals(replica, setup.primaryPort());
    }
  }

  private static RedisSentinelClient client(LocalSentinel setup) {
    Set<HostAndPort> sentinels =
        Set.of(sentinelHosts(setup).split(",")).stream()
            .map(HostAndPort::from)
            .collect(Collectors.toSet());
    return RedisSentinelClient.builder()
        .masterName(LocalSentinel.MASTER_NAME)
        .sentinels(sentinels)
        .build();
  }

  private static String sentinelHosts(LocalSentinel setup) {
    return setup.uri().getAuthority();
  }
}
