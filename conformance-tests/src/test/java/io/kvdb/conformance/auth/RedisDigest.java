package io.kvdb.conformance.auth;

import io.kvdb.conformance.KvdbTarget;
import io.kvdb.lua.redis.RedisConnector;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.commands.KeyCommands;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Everything a Redis holds, key by key: each key's type, serialized value ({@code DUMP}) and
 * whether it expires, hashed; on a Redis Cluster, the keys of every primary (replicas copy them);
 * with the suite's extra pools ({@code KVDB_TEST_POOLS}), their keys too, as a queue's keys live in
 * its pool. Two digests taken around a batch of calls show, by {@link #changesSince}, any key those
 * calls added, removed or changed. Keys that change by themselves are left out, each {@link
 * Exclusion} with its reason.
 */
record RedisDigest(SortedMap<String, String> keys) {
  /** Keys a digest leaves out, and why they may change while the calls under test run. */
  record Exclusion(Pattern keys, String reason) {
    /**
     * The keys of every project but {@code projects}: a key's project is the start of its hash tag,
     * up to a '/' ({@code kvdb:q:{project/queue}}, {@code kvdb:st:{project}}).
     */
    static Exclusion projectsOtherThan(Set<String> projects) {
      String ours = projects.stream().map(Pattern::quote).collect(Collectors.joining("|"));
      return new Exclusion(
          Pattern.compile("[^{]*\\{(?!(?:" + ours + ")[/}]).*"),
          "other tests' data, which their gateways' background jobs may change meanwhile");
    }
  }

  private static final int SCAN_COUNT = 1000;

  /** Takes a digest through {@code admin}, a client allowed SCAN and DUMP on every key. */
  static RedisDigest of(UnifiedJedis admin, List<Exclusion> exclusions) {
    SortedMap<String, String> keys = new TreeMap<>();
    if (admin instanceof RedisClusterClient cluster) {
      for (ConnectionPool node : cluster.getClusterNodes().values()) {
        try (Connection connection = node.getResource()) {
          Jedis jedis = new Jedis(connection);
          if (jedis.role().get(0).equals("master")) {
            keys.putAll(digest(jedis, exclusions));
          }
        }
      }
    } else {
      keys.putAll(digest(admin, exclusions));
    }
    for (URI pool : KvdbTarget.addedPools()) {
      try (UnifiedJedis redis = RedisConnector.connect(pool, RedisConnector.Settings.DEFAULT)) {
        keys.putAll(digest(redis, exclusions));
      }
    }
    return new RedisDigest(keys);
  }

  /**
   * What changed since {@code before}: one line per added, removed or changed key; empty if none.
   */
  List<String> changesSince(RedisDigest before) {
    List<String> changes = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>(keys.keySet());
    names.addAll(before.keys.keySet());
    for (String key : names) {
      String was = before.keys.get(key);
      String is = keys.get(key);
      if (was == null) {
        changes.add("added " + key);
      } else if (is == null) {
        changes.add("removed " + key);
      } else if (!was.equals(is)) {
        changes.add("changed " + key);
      }
    }
    return changes;
  }

  private static Map<String, String> digest(KeyCommands node, List<Exclusion> exclusions) {
    SortedMap<String, String> keys = new TreeMap<>();
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = node.scan(cursor, new ScanParams().count(SCAN_COUNT));
      for (String key : page.getResult()) {
        if (exclusions.stream().noneMatch(excluded -> excluded.keys().matcher(key).matches())) {
          keys.put(key, describe(node, key));
        }
      }
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return keys;
  }

  private static String describe(KeyCommands node, String key) {
    String type = node.type(key);
    byte[] dump = node.dump(key);
    long pttl = node.pttl(key);
    // A key gone between SCAN and DUMP has no dump; it then reads as changed, which it was.
    return type
        + " "
        + (dump == null ? "gone" : sha256(dump))
        + (pttl >= 0 ? " expires" : " persists");
  }

  private static String sha256(byte[] value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
