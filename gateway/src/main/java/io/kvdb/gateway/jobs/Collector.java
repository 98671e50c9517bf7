package io.kvdb.gateway.jobs;

import io.kvdb.gateway.api.Pages;
import io.kvdb.gateway.messages.DeadLetterMover;
import io.kvdb.gateway.pools.PoolConnection;
import io.kvdb.gateway.pools.PoolConnections;
import io.kvdb.gateway.pools.QueueRouter;
import io.kvdb.lua.messages.Messages;
import io.kvdb.lua.queues.QueueInfo;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.queues.Queues;
import io.kvdb.lua.quotas.Quotas;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background collector, one round: empties deleted queues' trash, and visits every queue of
 * every project to drop expired messages, free expired claims and delayed messages that are due,
 * move waiting dead letters, and drop registry entries of queues that are gone. Readers never
 * depend on it (every script checks times itself); it reclaims memory and keeps the work readers do
 * small. Each Redis call is bounded. A queue it cannot handle is logged and counted, and the round
 * goes on to the next: one tenant's broken queue never stops the others'. It also sums each
 * project's stored messages and bytes, the usage its quota's max_messages and max_bytes are checked
 * against (no one slot holds them); a project with a queue it could not visit keeps the figure of
 * the round before. Projects and queues are listed in the control Redis; each pool empties its own
 * trash, and each queue is visited in its pool.
 */
public final class Collector implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Collector.class);
  private static final int PAGE = 100;

  /** Steps per index (expired, delayed, claimed) of one collect call: a few milliseconds. */
  private static final int COLLECT_BUDGET = 300;

  private static final int PURGE_BUDGET = 1000;
  private static final int MAX_STEPS_PER_QUEUE = 10;
  private static final int MAX_TRASH_STEPS = 100;

  private final PoolConnections pools;
  private final QueueRouter router;
  private final Queues registry;
  private final DeadLetterMover deadLetters;
  private final Quotas quotas;
  private final AtomicLong failures = new AtomicLong();

  public Collector(
      PoolConnections pools, QueueRouter router, DeadLetterMover deadLetters, Quotas quotas) {
    this.pools = pools;
    this.router = router;
    this.registry = pools.defaultPool().queues();
    this.quotas = quotas;
    this.deadLetters = deadLetters;
  }

  @Override
  public void run() {
    pools.open().forEach(this::emptyTrash);
    Pages.eachName(registry::projects, PAGE, this::collectProject);
  }

  private void emptyTrash(PoolConnection pool) {
    try {
      for (int step = 0; step < MAX_TRASH_STEPS; step++) {
        if (!pool.queues().purgeTrash(PURGE_BUDGET)) {
          return;
        }
      }
    } catch (RuntimeException failure) {
      failures.incrementAndGet();
      log.warn("collector skipped the trash of pool {}: {}", pool.name(), failure.toString());
    }
  }

  private void collectProject(String project) {
    Usage usage = new Usage();
    Pages.eachName(
        (after, size) ->
            registry.list(project, "", after, size, false).queues().stream()
                .map(QueueInfo::name)
                .toList(),
        PAGE,
        queue -> collectQueue(new QueueRef(project, queue), usage));
    if (usage.complete) {
      try {
        quotas.recordUsage(project, usage.messages, usage.bytes, System.currentTimeMillis());
      } catch (RuntimeException failure) {
        failures.incrementAndGet();
        log.warn("collector could not record the usage of {}: {}", project, failure.toString());
      }
    }
  }

  /** A project's stored messages and bytes, summed over its queues in one round. */
  private static final class Usage {
    long messages;
    long bytes;
    boolean complete = true;
  }

  private void collectQueue(QueueRef queue, Usage usage) {
    try {
      PoolConnection pool = router.route(queue).pool();
      Messages.CollectOutcome outcome;
      int steps = 0;
      do {
        outcome = pool.messages().collect(queue, COLLECT_BUDGET);
      } while (outcome.more() && ++steps < MAX_STEPS_PER_QUEUE);
      usage.messages += outcome.messages();
      usage.bytes += outcome.bytes();
      if (!outcome.exists()) {
        pool.queues().reconcile(queue);
      } else if (outcome.deadLetters() > 0 && !deadLetters.drain(queue)) {
        failures.incrementAndGet();
      }
    } catch (RuntimeException failure) {
      usage.complete = false;
      failures.incrementAndGet();
      log.warn(
          "collector skipped queue {}/{} this round: {}",
          queue.project(),
          queue.name(),
          failure.toString());
    }
  }

  /** How many queue visits failed since this collector started (each is also logged). */
  public long failures() {
    return failures.get();
  }
}
