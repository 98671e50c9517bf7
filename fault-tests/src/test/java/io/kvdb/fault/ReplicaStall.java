package io.kvdb.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * The replica of a primary stopped (SIGSTOP) and its link cut by the primary ({@code CLIENT KILL
 * TYPE replica}), then resumed (SIGCONT): while it is stopped it cannot reconnect, so the primary's
 * writes reach no copy, as a broken or congested replication link leaves them, and a primary killed
 * meanwhile takes its last writes with it. On loopback the link is otherwise too fast, and the
 * kernel buffers what a merely stopped replica has not read yet, for asynchronous replication to
 * lose anything a test could see.
 */
final class ReplicaStall {
  /**
   * How long the replica lags before its primary is killed ({@code -Dkvdb.fault.replica-stall-ms}).
   */
  static final Duration LENGTH =
      Duration.ofMillis(Long.getLong("kvdb.fault.replica-stall-ms", 300));

  private static final Pattern REPLICA_PORT = Pattern.compile("slave0:ip=[^,]+,port=(\\d+)");

  private final int primaryPort;
  private final int port;
  private final long pid;

  private ReplicaStall(int primaryPort, int port, long pid) {
    this.primaryPort = primaryPort;
    this.port = port;
    this.pid = pid;
  }

  /** The first replica {@code INFO replication} of the primary on {@code primaryPort} names. */
  static ReplicaStall ofReplicaOf(int primaryPort) {
    String replication;
    try (Jedis primary = new Jedis("127.0.0.1", primaryPort)) {
      replication = primary.info("replication");
    }
    Matcher replica = REPLICA_PORT.matcher(replication);
    if (!replica.find()) {
      throw new IllegalStateException("no replica of " + primaryPort + ": " + replication);
    }
    int port = Integer.parseInt(replica.group(1));
    try (Jedis jedis = new Jedis("127.0.0.1", port)) {
      String server = jedis.info("server");
      Matcher pid = Pattern.compile("process_id:(\\d+)").matcher(server);
      if (!pid.find()) {
        throw new IllegalStateException("replica " + port + " names no process id");
      }
      return new ReplicaStall(primaryPort, port, Long.parseLong(pid.group(1)));
    }
  }

  /**
   * Stops the replica, then has the primary drop its link: from now on writes stay on the primary.
   */
  void stop() {
    signal("-STOP");
    try (Jedis primary = new Jedis("127.0.0.1", primaryPort)) {
      primary.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "replica");
    }
  }

  void resume() {
    signal("-CONT");
  }

  private void signal(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException(
            "kill " + signal + " of the replica on " + port + " (pid " + pid + ") failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
