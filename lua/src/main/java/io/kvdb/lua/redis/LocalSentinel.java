package io.kvdb.lua.redis;

import io.kvdb.lua.redis.RedisServerProcess.ExtraArguments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A throw-away Sentinel setup on loopback: a primary, one replica and three sentinels watching them
 * as master {@value #MASTER_NAME} with quorum 2; no persistence, every file in one temporary
 * directory deleted on {@link #close()}. For the tests, the bench and the fault suite: {@link
 * #kill} and {@link #startAgain} model a server's crash and return.
 */
public final class LocalSentinel implements AutoCloseable {
  public static final String MASTER_NAME = "kvdb";
  private static final int SENTINELS = 3;
  private static final int QUORUM = 2;

  /** How soon the sentinels call the primary down, and how long a failover may take. */
  public record Settings(Duration downAfter, Duration failoverTimeout) {
    public static final Settings DEFAULT =
        new Settings(Duration.ofMillis(1000), Duration.ofMillis(3000));

    public Settings {
      if (downAfter.toMillis() < 1 || failoverTimeout.toMillis() < 1) {
        throw new IllegalArgumentException("durations must be at least 1 ms");
      }
    }
  }

  private final Path directory;
  private final String origin;

  /** The primary and the replica as started, by port. */
  private final Map<Integer, RedisServerProcess> servers = new LinkedHashMap<>();

  private final Map<Integer, Path> serverDirectories = new LinkedHashMap<>();

  private final List<RedisServerProcess> sentinels = new ArrayList<>();

  private LocalSentinel(Path directory, String origin) {
    this.directory = directory;
    this.origin = origin;
  }

  /** Starts with the sentinels calling the primary down after 1 s. */
  public static LocalSentinel start(Path binary) {
    return start(binary, Settings.DEFAULT);
  }

  /** Starts everything; returns once every sentinel sees the replica and the other sentinels. */
  public static LocalSentinel start(Path binary, Settings settings) {
    LocalSentinel setup =
        new LocalSentinel(LocalAdmin.tempDirectory("kvdb-sentinel"), binary.toString());
    try {
      RedisServerProcess primary = setup.launchServer(binary, "primary", Optional.empty());
      RedisServerProcess replica =
          setup.launchServer(binary, "replica", Optional.of(primary.port()));
      LocalAdmin.await(
          "replica linked", () -> "replica " + replica.port(), () -> linked(replica.port()));
      for (int index = 0; index < SENTINELS; index++) {
        setup.launchSentinel(binary, index, primary.port(), settings);
      }
      setup.awaitSettled();
      return setup;
    } catch (RuntimeException e) {
      setup.close();
      throw e;
    }
  }

  /** {@code redis-sentinel://127.0.0.1:<s1>,127.0.0.1:<s2>,127.0.0.1:<s3>/kvdb}. */
  public URI uri() {
    return URI.create(
        "redis-sentinel://"
            + sentinels.stream()
                .map(sentinel -> "127.0.0.1:" + sentinel.port())
                .collect(Collectors.joining(","))
            + "/"
            + MASTER_NAME);
  }

  /** The primary's port, as the first sentinel that answers names it. */
  public int primaryPort() {
    for (RedisServerProcess sentinel : sentinels) {
      try {
        List<String> address =
            LocalAdmin.ask(sentinel.port(), node -> node.sentinelGetMasterAddrByName(MASTER_NAME));
        return Integer.parseInt(address.get(1));
      } catch (RuntimeException unreachable) {
        // Ask the next one.
      }
    }
    throw new IllegalStateException("no sentinel answers on " + uri());
  }

  /** The primary and the replica as started, with the role each reports now. */
  public List<LocalNode> servers() {
    return servers.values().stream()
        .map(server -> new LocalNode(server.port(), LocalAdmin.role(server)))
        .toList();
  }

  /** Where the binary came from, for a start-up log line. */
  public String description() {
    return "a primary, a replica and " + SENTINELS + " sentinels of " + origin;
  }

  /** SIGKILLs the primary or replica on {@code port}: a crash. */
  public void kill(int port) {
    server(port).kill();
  }

  /**
   * Starts the killed server on {@code port} again, empty: as a replica of the primary the
   * sentinels name if that is another server, as it was otherwise (a primary that comes back before
   * the sentinels gave up on it). Waits first for a failover under way to end, then until the
   * sentinels agree on the primary again and see the replica.
   */
  public void startAgain(int port) {
    RedisServerProcess server = server(port);
    if (server.isAlive()) {
      throw new IllegalStateException("server " + port + " is running");
    }
    // Restarted mid-failover, a server could be taken for the primary by a sentinel not yet told.
    LocalAdmin.await("sentinels agree on the primary", this::state, this::agreeOnPrimary);
    int primary = agreedPrimaryPort().orElseGet(this::primaryPort);
    Optional<Integer> replicaOf = primary == port ? Optional.empty() : Optional.of(primary);
    servers.put(port, server.startAgain(serverArguments(serverDirectories.get(port), replicaOf)));
    if (replicaOf.isPresent()) {
      LocalAdmin.await("replica linked", () -> "server " + port, () -> linked(port));
    }
    awaitSettled();
  }

  /** Stops every process at once (nothing is kept, so no graceful shutdown) and deletes files. */
  @Override
  public void close() {
    sentinels.forEach(RedisServerProcess::kill);
    servers.values().forEach(RedisServerProcess::kill);
    LocalAdmin.deleteTree(directory);
  }

  private RedisServerProcess launchServer(Path binary, String name, Optional<Integer> replicaOf) {
    Path serverDirectory = LocalAdmin.subdirectory(directory, name);
    RedisServerProcess server =
        RedisServerProcess.start(binary, origin, serverArguments(serverDirectory, replicaOf));
    servers.put(server.port(), server);
    serverDirectories.put(server.port(), serverDirectory);
    return server;
  }

  private static ExtraArguments serverArguments(Path directory, Optional<Integer> replicaOf) {
    List<String> options = new ArrayList<>(List.of("--dir", directory.toString()));
    // A replica (re)joining syncs at once, not after 7.0's default wait of 5 s.
    options.addAll(List.of("--repl-diskless-sync-delay", "0"));
    replicaOf.ifPresent(
        primary -> options.addAll(List.of("--replicaof", "127.0.0.1", primary.toString())));
    return ExtraArguments.options(options.toArray(String[]::new));
  }

  private void launchSentinel(Path binary, int index, int primaryPort, Settings settings) {
    Path sentinelDirectory = LocalAdmin.subdirectory(directory, "sentinel-" + index);
    Path config = sentinelDirectory.resolve("sentinel.conf");
    String name = MASTER_NAME;
    try {
      Files.writeString(
          config,
          String.join(
              "\n",
              "sentinel monitor " + name + " 127.0.0.1 " + primaryPort + " " + QUORUM,
              "sentinel down-after-milliseconds " + name + " " + settings.downAfter().toMillis(),
              "sentinel failover-timeout " + name + " " + settings.failoverTimeout().toMillis(),
              ""));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + config, e);
    }
    sentinels.add(
        RedisServerProcess.start(
            binary,
            origin,
            ExtraArguments.configFile(
                config, "--sentinel", "--dir", sentinelDirectory.toString())));
  }

  private RedisServerProcess server(int port) {
    RedisServerProcess server = servers.get(port);
    if (server == null) {
      throw new IllegalArgumentException("no server of this setup on port " + port);
    }
    return server;
  }

  /**
   * Waits until the sentinels agree on the primary with no failover under way, and each sees a
   * replica that is up and the other sentinels.
   */
  private void awaitSettled() {
    LocalAdmin.await(
        "sentinels agree and see the replica and each other",
        this::state,
        () -> agreeOnPrimary() && sentinels.stream().allMatch(s -> seesAll(s.port())));
  }

  /**
   * The primary's port if every sentinel names the same one and none has a failover under way;
   * empty while they disagree, which a failover that aborted and will be retried looks like.
   */
  public Optional<Integer> agreedPrimaryPort() {
    List<List<String>> addresses =
        sentinels.stream()
            .map(
                sentinel ->
                    LocalAdmin.ask(
                        sentinel.port(), node -> node.sentinelGetMasterAddrByName(MASTER_NAME)))
            .distinct()
            .toList();
    boolean failingOver =
        sentinels.stream()
            .anyMatch(
                sentinel ->
                    LocalAdmin.ask(sentinel.port(), node -> node.sentinelMaster(MASTER_NAME))
                        .get("flags")
                        .contains("failover_in_progress"));
    if (addresses.size() != 1 || failingOver) {
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(addresses.get(0).get(1)));
  }

  private boolean agreeOnPrimary() {
    return agreedPrimaryPort().isPresent();
  }

  /** Whether the sentinel sees a replica that is up, and the other sentinels. */
  private static boolean seesAll(int sentinel) {
    return LocalAdmin.ask(
        sentinel,
        node ->
            node.sentinelReplicas(MASTER_NAME).stream()
                    .anyMatch(replica -> "slave".equals(replica.get("flags")))
                && node.sentinelSentinels(MASTER_NAME).size() == SENTINELS - 1);
  }

  private static boolean linked(int port) {
    return LocalAdmin.replicaLinkUp(port);
  }

  private String state() {
    return sentinels.stream()
        .map(
            sentinel -> {
              try {
                return LocalAdmin.ask(
                    sentinel.port(),
                    node ->
                        sentinel.port()
                            + " replicas="
                            + node.sentinelReplicas(MASTER_NAME)
                            + " sentinels="
                            + node.sentinelSentinels(MASTER_NAME).size());
              } catch (RuntimeException e) {
                return sentinel.port() + " unreachable";
              }
            })
        .collect(Collectors.joining("; "));
  }
}
