package io.kvdb.bench;

import io.kvdb.client.KvdbClient;
import io.kvdb.client.MigrationInfo;
import io.kvdb.proto.v1.Migration;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * {@code messages --migrate-after S}: a migration of one queue in the middle of the measured run,
 * and the latency of each workload before, during and after it (from MigrateQueue to the first
 * GetMigration that reads DONE), for the migrating queue and the others apart.
 */
final class MigrationRun {
  /** The phases, in order; latencies of the warm-up are not kept. */
  enum Phase {
    WARMUP,
    BEFORE,
    DURING,
    AFTER
  }

  private static final Duration POLL = Duration.ofMillis(50);

  private final KvdbClient client;
  private final String project;
  private final String queue;
  private final String targetPool;
  private final Map<String, Histogram> latencies = new ConcurrentHashMap<>();
  private volatile Phase phase = Phase.WARMUP;
  private volatile String outcome = "not started";
  private volatile String source = "?";
  private final long[] phaseNanos = new long[Phase.values().length];
  private Thread driver;

  /** {@code client} is of {@code project}, and an administrator's. */
  MigrationRun(KvdbClient client, String project, String queue, String targetPool) {
    this.client = client;
    this.project = project;
    this.queue = queue;
    this.targetPool = targetPool;
  }

  /** Records one operation's latency of {@code workload} on {@code queue} in the current phase. */
  void record(String workload, String onQueue, long micros) {
    Phase now = phase;
    if (now == Phase.WARMUP) {
      return;
    }
    String who = onQueue.equals(queue) ? queue : "other queues";
    latencies
        .computeIfAbsent(workload + "|" + who + "|" + now, key -> new ConcurrentHistogram(3))
        .recordValue(micros);
  }

  /**
   * Starts the migration {@code after} the warm-up, in a thread of its own, and moves the phases as
   * it goes; call right before the run starts.
   */
  void start(Duration warmup, Duration after) {
    driver =
        new Thread(
            () -> {
              try {
                Thread.sleep(warmup.toMillis());
                enter(Phase.BEFORE);
                Thread.sleep(after.toMillis());
                migrate();
              } catch (InterruptedException e) {
                outcome = "interrupted in " + phase;
              } catch (RuntimeException e) {
                outcome = "failed in " + phase + ": " + e.getMessage();
              }
            },
            "bench-migration");
    driver.setDaemon(true);
    driver.start();
  }

  private void migrate() throws InterruptedException {
    source = client.queues().get(queue).getPool();
    long start = System.nanoTime();
    enter(Phase.DURING);
    MigrationInfo info = client.admin().pools().migrate(project, queue, targetPool);
    long moved = -1;
    while (!info.ended()) {
      Thread.sleep(POLL.toMillis());
      info = client.admin().pools().migration(project, queue);
      if (moved < 0
          && info.state() == Migration.State.MOVING
          && info.messagesLeft() == 0
          && info.claimedLeft() == 0) {
        moved = System.nanoTime() - start;
      }
    }
    long took = System.nanoTime() - start;
    enter(Phase.AFTER);
    MigrationInfo ended = info;
    outcome =
        String.format(
            "everything moved in %,d ms; %s in %,d ms, no sooner than the gateway's idempotency"
                + " window after the switch (MigrateQueue to %s read by GetMigration, polled every"
                + " %d ms; %,d ms by the record's start and end), %,d messages moved",
            moved / 1_000_000,
            ended.state(),
            took / 1_000_000,
            ended.state(),
            POLL.toMillis(),
            ended
                .endTime()
                .map(end -> Duration.between(ended.startTime(), end).toMillis())
                .orElse(-1L),
            ended.messagesMoved());
  }

  private synchronized void enter(Phase next) {
    phaseNanos[next.ordinal()] = System.nanoTime();
    phase = next;
  }

  /** Waits up to {@code bound} for the migration to end and prints its duration and the phases. */
  void report(List<String> workloads, Duration bound, PrintStream out) throws InterruptedException {
    driver.join(bound.toMillis());
    Phase last = phase;
    out.printf(
        "migration of %s from %s to %s: %s%n",
        queue, source, targetPool, driver.isAlive() ? "still " + last + " after the run" : outcome);
    long end = System.nanoTime();
    for (Phase p : List.of(Phase.BEFORE, Phase.DURING, Phase.AFTER)) {
      long from = phaseNanos[p.ordinal()];
      if (from == 0) {
        continue;
      }
      long to =
          p.ordinal() < last.ordinal() && phaseNanos[p.ordinal() + 1] != 0
              ? phaseNanos[p.ordinal() + 1]
              : end;
      out.printf("  %-6s %5.1f s%n", p.name().toLowerCase(), (to - from) / 1e9);
    }
    out.printf(
        "%-44s %-22s %-22s %-22s%n",
        "latency per op, p50 / p99 / max (us)", "before", "during", "after");
    for (String workload : workloads) {
      for (String who : List.of(queue, "other queues")) {
        StringBuilder line = new StringBuilder(String.format("%-44s", workload + ", " + who));
        for (Phase p : List.of(Phase.BEFORE, Phase.DURING, Phase.AFTER)) {
          line.append(
              String.format(
                  " %-22s",
                  Optional.ofNullable(latencies.get(workload + "|" + who + "|" + p))
                      .map(
                          h ->
                              String.format(
                                  "%,d / %,d / %,d",
                                  h.getValueAtPercentile(50),
                                  h.getValueAtPercentile(99),
                                  h.getMaxValue()))
                      .orElse("-")));
        }
        out.println(line);
      }
    }
  }
}
