package io.kvdb.bench;

import io.kvdb.lua.redis.RedisAddress;
import io.kvdb.lua.redis.RedisConnector;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The redis-server processes behind a {@code --redis} URL, so that each can be asked on its own:
 * the one server, every node of a Redis Cluster as {@code CLUSTER NODES} lists it (role and slots),
 * or under Sentinel the current primary.
 */
final class RedisNodes {
  /** One server; {@code slots} are the ranges it serves as a cluster primary, empty otherwise. */
  record Node(HostAndPort address, boolean primary, List<SlotRange> slots) {
    boolean serves(int slot) {
      return slots.stream().anyMatch(range -> range.first() <= slot && slot <= range.last());
    }
  }

  /** Slots {@code first} to {@code last}, both included. */
  record SlotRange(int first, int last) {}

  private final List<Node> nodes;
  private final boolean cluster;
  private final JedisClientConfig config;

  private RedisNodes(List<Node> nodes, boolean cluster, JedisClientConfig config) {
    this.nodes = List.copyOf(nodes);
    this.cluster = cluster;
    this.config = config;
  }

  static RedisNodes discover(URI url) {
    RedisAddress address = RedisAddress.parse(url);
    JedisClientConfig config =
        DefaultJedisClientConfig.builder()
            .user(address.user().orElse(null))
            .password(address.password().orElse(null))
            .database(address.database())
            .ssl(address.tls())
            .clientName("kvdb-bench")
            .build();
    if (address.kind() == RedisAddress.Kind.SENTINEL) {
      try (UnifiedJedis sentinel = RedisConnector.connect(url, RedisConnector.Settings.DEFAULT)) {
        HostAndPort primary = ((RedisSentinelClient) sentinel).getCurrentMaster();
        return new RedisNodes(List.of(new Node(primary, true, List.of())), false, config);
      }
    }
    try (Jedis first = new Jedis(address.firstNode(), config)) {
      if (!first.info("cluster").contains("cluster_enabled:1")) {
        return new RedisNodes(
            List.of(new Node(address.firstNode(), true, List.of())), false, config);
      }
      return new RedisNodes(parseClusterNodes(first.clusterNodes()), true, config);
    }
  }

  /**
   * The nodes {@code CLUSTER NODES} lists as up, primaries first, with the slots each primary
   * serves (slots being migrated, {@code [slot->-id]}, are left out).
   */
  static List<Node> parseClusterNodes(String text) {
    List<Node> nodes = new ArrayList<>();
    for (String line : text.split("\r?\n")) {
      String[] fields = line.trim().split(" ");
      if (fields.length < 8 || fields[2].contains("fail") || fields[2].contains("noaddr")) {
        continue;
      }
      // ip:port@cport[,hostname]
      HostAndPort address = HostAndPort.from(fields[1].substring(0, fields[1].indexOf('@')));
      List<SlotRange> slots = new ArrayList<>();
      for (int i = 8; i < fields.length; i++) {
        if (fields[i].startsWith("[")) {
          continue;
        }
        String[] range = fields[i].split("-");
        slots.add(
            new SlotRange(Integer.parseInt(range[0]), Integer.parseInt(range[range.length - 1])));
      }
      nodes.add(new Node(address, fields[2].contains("master"), List.copyOf(slots)));
    }
    nodes.sort(
        Comparator.comparing((Node node) -> !node.primary())
            .thenComparing(node -> node.address().toString()));
    return nodes;
  }

  List<Node> nodes() {
    return nodes;
  }

  List<Node> primaries() {
    return nodes.stream().filter(Node::primary).toList();
  }

  boolean cluster() {
    return cluster;
  }

  /** The primary that serves {@code key}'s slot; on a single server, that server. */
  Node primaryOf(String key) {
    if (!cluster) {
      return nodes.get(0);
    }
    int slot = JedisClusterCRC16.getSlot(key);
    return primaries().stream()
        .filter(node -> node.serves(slot))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no primary serves slot " + slot));
  }

  /** Empties every primary (its replicas follow): {@code FLUSHALL}, one connection each. */
  void flushPrimaries() {
    for (Node primary : primaries()) {
      try (Jedis jedis = new Jedis(primary.address(), config)) {
        jedis.flushAll();
      }
    }
  }

  /** {@code INFO} of one node for each of {@code sections}, over a connection of its own. */
  String info(Node node, String... sections) {
    try (Jedis jedis = new Jedis(node.address(), config)) {
      StringBuilder text = new StringBuilder();
      for (String section : sections) {
        // One section per call: Redis 6.2 takes only one.
        text.append(jedis.info(section)).append('\n');
      }
      return text.toString();
    }
  }
}
