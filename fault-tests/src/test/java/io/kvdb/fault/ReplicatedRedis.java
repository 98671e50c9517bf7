package io.kvdb.fault;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvdb.lua.redis.LocalCluster;
import io.kvdb.lua.redis.LocalNode;
import io.kvdb.lua.redis.LocalSentinel;
import io.kvdb.lua.redis.RedisServerProcess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A Redis deployment whose primary can fail over to a replica, for the failover scenarios: a {@link
 * LocalCluster} (3 primaries with a replica each) or a {@link LocalSentinel} (a primary, a replica,
 * 3 sentinels) of the PATH's redis-server, with short failure detection so that a scenario stays
 * short.
 */
interface ReplicatedRedis extends AutoCloseable {
  /** A cluster's primaries, each with one replica. */
  int PRIMARIES = 3;

  /** How long a cluster node may be silent before its replica takes over. */
  Duration NODE_TIMEOUT =
      Duration.ofMillis(Long.getLong("kvdb.fault.cluster-node-timeout-ms", 1500));

  /** How long the sentinels wait before they call a silent primary down. */
  Duration DOWN_AFTER = Duration.ofMillis(Long.getLong("kvdb.fault.sentinel-down-after-ms", 1000));

  /** The kinds a scenario runs on. */
  enum Kind {
    CLUSTER,
    SENTINEL;

    /**
     * Starts one; the test is skipped (not failed) in a flavour other than the default, or when no
     * redis-server is on the PATH.
     */
    ReplicatedRedis start() {
      assumeDefaultFlavour();
      Path binary = pathBinary();
      String version = RedisNode.version(binary);
      return this == CLUSTER
          ? new Cluster(
              LocalCluster.start(binary, new LocalCluster.Settings(PRIMARIES, 1, NODE_TIMEOUT)),
              version)
          : new Sentinel(
              LocalSentinel.start(
                  binary,
                  new LocalSentinel.Settings(
                      DOWN_AFTER, LocalSentinel.Settings.DEFAULT.failoverTimeout())),
              version);
    }
  }

  /** What the gateway's {@code --redis} takes. */
  URI uri();

  String description();

  /** How many primaries share the keys. */
  int primaries();

  /** The port of the primary that serves {@code key} now. */
  int primaryOf(String key);

  /** SIGKILLs the server on {@code port}. */
  void kill(int port);

  /**
   * The scenarios' fault: the replica of the primary on {@code primary} lags for {@link
   * ReplicaStall#LENGTH}, then {@code atKill} runs and the primary is SIGKILLed (the replica
   * resumed right after); returns once a replica took over.
   */
  default Failover killLaggingPrimary(int primary, Runnable atKill) {
    ReplicaStall stall = ReplicaStall.ofReplicaOf(primary);
    stall.stop();
    long killedAt;
    try {
      RedisNode.pause(ReplicaStall.LENGTH.toMillis());
      atKill.run();
      killedAt = System.currentTimeMillis();
      kill(primary);
    } finally {
      stall.resume();
    }
    awaitPromotion(primary);
    return new Failover(killedAt, System.currentTimeMillis() - killedAt);
  }

  /** When the primary was killed (epoch ms), and how long until a replica had taken over. */
  record Failover(long killedAtMillis, long promotedAfterMillis) {}

  /** Waits (bounded) until a replica has taken over from the killed primary on {@code port}. */
  void awaitPromotion(int killed);

  /**
   * Starts the killed server again, empty, and waits until it replicates the promoted primary: the
   * operator's part of a failover, which gives the promoted primary the replica that replicated
   * writes wait for.
   */
  void startAgain(int port);

  @Override
  void close();

  /**
   * The scenarios start a cluster or Sentinel group of their own whatever {@code KVDB_TEST_REDIS}
   * names, so they run in the default flavour only: CI's other flavours would repeat them as they
   * are, for two minutes each.
   */
  private static void assumeDefaultFlavour() {
    String flavour = System.getenv().getOrDefault("KVDB_TEST_REDIS", "embedded");
    assumeTrue(
        flavour.isEmpty() || flavour.equals("embedded"),
        "failover scenarios run in the default flavour only, not with KVDB_TEST_REDIS=" + flavour);
  }

  private static Path pathBinary() {
    try {
      return RedisServerProcess.pathBinary();
    } catch (IllegalStateException none) {
      assumeTrue(false, "failover scenarios need a redis-server on the PATH: " + none.getMessage());
      throw none;
    }
  }

  record Cluster(LocalCluster cluster, String version) implements ReplicatedRedis {
    @Override
    public URI uri() {
      return cluster.uri();
    }

    @Override
    public String description() {
      return "cluster of redis " + version + ", node timeout " + NODE_TIMEOUT.toMillis() + " ms";
    }

    @Override
    public int primaries() {
      return PRIMARIES;
    }

    /**
     * As {@code CLUSTER NODES} of a live primary says: the primary whose slot ranges hold the
     * key's.
     */
    @Override
    public int primaryOf(String key) {
      int slot = JedisClusterCRC16.getSlot(key);
      int asked =
          cluster.nodes().stream()
              .filter(node -> node.role() == LocalNode.Role.PRIMARY)
              .findFirst()
              .orElseThrow()
              .port();
      String nodes;
      try (Jedis jedis = new Jedis("127.0.0.1", asked)) {
        nodes = jedis.clusterNodes();
      }
      for (String line : nodes.split("\n")) {
        List<String> fields = Arrays.asList(line.trim().split(" "));
        if (fields.size() < 9
            || !fields.get(2).contains("master")
            || fields.get(2).contains("fail")) {
          continue;
        }
        for (String range : fields.subList(8, fields.size())) {
          if (range.startsWith("[")) {
            continue; // A slot being migrated.
          }
          String[] ends = range.split("-");
          int from = Integer.parseInt(ends[0]);
          int to = Integer.parseInt(ends[ends.length - 1]);
          if (from <= slot && slot <= to) {
            String address = fields.get(1);
            return Integer.parseInt(
                address.substring(address.indexOf(':') + 1, address.indexOf('@')));
          }
        }
      }
      throw new IllegalStateException("no primary serves slot " + slot + ": " + nodes);
    }

    @Override
    public void kill(int port) {
      cluster.kill(port);
    }

    /** The killed primary's replica promoted: every live node agrees and all slots are served. */
    @Override
    public void awaitPromotion(int killed) {
      cluster.awaitHealthy();
    }

    @Override
    public void startAgain(int port) {
      cluster.startAgain(port);
    }

    @Override
    public void close() {
      cluster.close();
    }
  }

  record Sentinel(LocalSentinel sentinel, String version) implements ReplicatedRedis {
    @Override
    public URI uri() {
      return sentinel.uri();
    }

    @Override
    public String description() {
      return "sentinel of redis " + version + ", down-after " + DOWN_AFTER.toMillis() + " ms";
    }

    @Override
    public int primaries() {
      return 1;
    }

    /** Sentinel has one primary for every key. */
    @Override
    public int primaryOf(String key) {
      return sentinel.primaryPort();
    }

    @Override
    public void kill(int port) {
      sentinel.kill(port);
    }

    /** The sentinels name another server, and that server says it is the primary. */
    @Override
    public void awaitPromotion(int killed) {
      Scenarios.await(
          "a replica promoted in place of " + killed,
          () -> sentinel.servers().toString(),
          () -> {
            int primary = sentinel.primaryPort();
            return primary != killed
                && sentinel.servers().contains(new LocalNode(primary, LocalNode.Role.PRIMARY));
          });
    }

    @Override
    public void startAgain(int port) {
      sentinel.startAgain(port);
    }

    @Override
    public void close() {
      sentinel.close();
    }
  }
}
