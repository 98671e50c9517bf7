package io.kvdb.lua.redis;

import io.kvdb.lua.redis.RedisServerProcess.ExtraArguments;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A throw-away Redis Cluster on loopback: {@code primaries} nodes sharing the 16384 slots evenly,
 * each with {@code replicasPerPrimary} replicas, no persistence, every node's files in one
 * temporary directory deleted on {@link #close()}. Formed through plain admin commands (CLUSTER
 * MEET, ADDSLOTS, REPLICATE), which Redis 6.2 and 7 both know. For the tests, the bench and the
 * fault suite: {@link #kill} and {@link #startAgain} model a node's crash and return.
 */
public final class LocalCluster implements AutoCloseable {
  private static final int SLOTS = 16384;

  /** The shape of the cluster; a short node timeout makes failovers quick. */
  public record Settings(int primaries, int replicasPerPrimary, Duration nodeTimeout) {
    public static final Settings DEFAULT = new Settings(3, 1, Duration.ofMillis(2000));

    public Settings {
      if (primaries < 1 || replicasPerPrimary < 0 || nodeTimeout.toMillis() < 1) {
        throw new IllegalArgumentException(
            "not a cluster shape: "
                + primaries
                + " primaries, "
                + replicasPerPrimary
                + " replicas each, node timeout "
                + nodeTimeout);
      }
    }

    int nodeCount() {
      return primaries * (1 + replicasPerPrimary);
    }
  }

  private final Settings settings;
  private final Path directory;
  private final String origin;

  /** By port, in start order: the primaries first. */
  private final Map<Integer, RedisServerProcess> nodes = new LinkedHashMap<>();

  private LocalCluster(Settings settings, Path directory, String origin) {
    this.settings = settings;
    this.directory = directory;
    this.origin = origin;
  }

  /** Starts 3 primaries with a replica each, node timeout 2 s. */
  public static LocalCluster start(Path binary) {
    return start(binary, Settings.DEFAULT);
  }

  /** Starts and forms the cluster; returns once every node sees it whole and healthy. */
  public static LocalCluster start(Path binary, Settings settings) {
    LocalCluster cluster =
        new LocalCluster(settings, LocalAdmin.tempDirectory("kvdb-cluster"), binary.toString());
    try {
      for (int index = 0; index < settings.nodeCount(); index++) {
        cluster.launch(binary, index);
      }
      cluster.form();
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * {@code redis://127.0.0.1:<p1>,127.0.0.1:<p2>,...}: the ports of the nodes started as primaries.
   */
  public URI uri() {
    return URI.create(
        "redis://"
            + primariesAtStart().stream()
                .map(port -> "127.0.0.1:" + port)
                .collect(Collectors.joining(",")));
  }

  /** Every node, in start order, with the role it reports now. */
  public List<LocalNode> nodes() {
    return nodes.values().stream()
        .map(node -> new LocalNode(node.port(), LocalAdmin.role(node)))
        .toList();
  }

  /** Where the binary came from, and the shape, for a start-up log line. */
  public String description() {
    return "a Redis Cluster of "
        + settings.primaries()
        + " primaries with "
        + settings.replicasPerPrimary()
        + " replicas each of "
        + origin;
  }

  /** SIGKILLs the node on {@code port}: a crash. Its replica takes over after the node timeout. */
  public void kill(int port) {
    node(port).kill();
  }

  /**
   * Starts the killed node on {@code port} again with its cluster config file, so it rejoins with
   * its old identity (as a replica if it was failed over meanwhile, empty); returns once the whole
   * cluster is healthy again.
   */
  public void startAgain(int port) {
    RedisServerProcess node = node(port);
    if (node.isAlive()) {
      throw new IllegalStateException("node " + port + " is running");
    }
    nodes.put(port, node.startAgain());
    awaitHealthy();
  }

  /**
   * Waits until every running node reports {@code cluster_state:ok} with all slots served and every
   * node known, exactly {@code primaries} running primaries, and every replica's link up.
   */
  public void awaitHealthy() {
    LocalAdmin.await("cluster healthy", this::state, this::healthy);
  }

  /** Stops every node at once (nothing is kept, so no graceful shutdown) and deletes its files. */
  @Override
  public void close() {
    nodes.values().forEach(RedisServerProcess::kill);
    LocalAdmin.deleteTree(directory);
  }

  private void launch(Path binary, int index) {
    Path nodeDirectory = LocalAdmin.subdirectory(directory, "node-" + index);
    RedisServerProcess node =
        RedisServerProcess.start(
            binary,
            origin,
            ExtraArguments.options(
                "--cluster-enabled",
                "yes",
                // Relative to --dir: every node keeps its cluster state (and any sync RDB) there.
                "--cluster-config-file",
                "nodes.conf",
                "--cluster-node-timeout",
                Long.toString(settings.nodeTimeout().toMillis()),
                "--dir",
                nodeDirectory.toString(),
                // A replica (re)joining syncs at once, not after 7.0's default wait of 5 s.
                "--repl-diskless-sync-delay",
                "0"));
    nodes.put(node.port(), node);
  }

  private void form() {
    List<Integer> ports = new ArrayList<>(nodes.keySet());
    List<Integer> primaries = primariesAtStart();
    for (int index = 0; index < primaries.size(); index++) {
      // Distinct epochs up front, as redis-cli does, rather than waiting for collisions to resolve.
      long epoch = index + 1;
      LocalAdmin.ask(primaries.get(index), node -> node.clusterSetConfigEpoch(epoch));
    }
    int first = ports.get(0);
    for (int port : ports.subList(1, ports.size())) {
      LocalAdmin.ask(first, node -> node.clusterMeet("127.0.0.1", port));
    }
    for (int index = 0; index < primaries.size(); index++) {
      int[] range =
          IntStream.range(SLOTS * index / primaries.size(), SLOTS * (index + 1) / primaries.size())
              .toArray();
      LocalAdmin.ask(primaries.get(index), node -> node.clusterAddSlots(range));
    }
    // A node can only replicate a primary it has heard of.
    LocalAdmin.await("every node knows every other", this::state, this::allKnown);
    for (int index = primaries.size(); index < ports.size(); index++) {
      int primary = primaries.get((index - primaries.size()) / settings.replicasPerPrimary());
      String primaryId = LocalAdmin.ask(primary, node -> node.clusterMyId());
      LocalAdmin.ask(ports.get(index), node -> node.clusterReplicate(primaryId));
    }
    awaitHealthy();
  }

  private List<Integer> primariesAtStart() {
    return nodes.keySet().stream().limit(settings.primaries()).toList();
  }

  private RedisServerProcess node(int port) {
    RedisServerProcess node = nodes.get(port);
    if (node == null) {
      throw new IllegalArgumentException("no node of this cluster on port " + port);
    }
    return node;
  }

  private List<RedisServerProcess> running() {
    return nodes.values().stream().filter(RedisServerProcess::isAlive).toList();
  }

  private boolean allKnown() {
    return running().stream()
        .allMatch(node -> clusterInfo(node.port(), "cluster_known_nodes").equals(total()));
  }

  private boolean healthy() {
    List<RedisServerProcess> running = running();
    boolean everyNodeOk =
        running.stream()
            .allMatch(
                node ->
                    clusterInfo(node.port(), "cluster_state").equals("ok")
                        && clusterInfo(node.port(), "cluster_slots_ok").equals("" + SLOTS)
                        && clusterInfo(node.port(), "cluster_known_nodes").equals(total()));
    if (!everyNodeOk) {
      return false;
    }
    List<LocalNode.Role> roles = running.stream().map(LocalAdmin::role).toList();
    long primaries = roles.stream().filter(role -> role == LocalNode.Role.PRIMARY).count();
    boolean replicasLinked =
        IntStream.range(0, running.size())
            .filter(index -> roles.get(index) == LocalNode.Role.REPLICA)
            .allMatch(index -> LocalAdmin.replicaLinkUp(running.get(index).port()));
    return primaries == settings.primaries() && replicasLinked;
  }

  private String total() {
    return Integer.toString(settings.nodeCount());
  }

  private static String clusterInfo(int port, String name) {
    return LocalAdmin.field(LocalAdmin.ask(port, node -> node.clusterInfo()), name).orElse("");
  }

  /** What each node says, for a timeout's message. */
  private String state() {
    return nodes.values().stream()
        .map(
            node -> {
              try {
                return node.port()
                    + " "
                    + LocalAdmin.role(node)
                    + " state="
                    + clusterInfo(node.port(), "cluster_state")
                    + " known="
                    + clusterInfo(node.port(), "cluster_known_nodes")
                    + " slots_ok="
                    + clusterInfo(node.port(), "cluster_slots_ok");
              } catch (RuntimeException e) {
                return node.port() + " unreachable";
              }
            })
        .collect(Collectors.joining("; "));
  }
}
