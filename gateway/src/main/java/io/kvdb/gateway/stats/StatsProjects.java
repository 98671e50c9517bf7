package io.kvdb.gateway.stats;

import io.kvdb.gateway.api.Pages;
import io.kvdb.lua.stats.Stats;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The roll-up job: every project that records statistics, every service of it. The projects come
 * from the registry in Redis, which recording keeps (see {@link Stats#record}), so the job finds
 * them again after Redis lost its data, on whichever gateway runs it.
 */
public final class StatsProjects implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(StatsProjects.class);
  private static final int PAGE = 1000;

  private final Stats stats;

  public StatsProjects(Stats stats) {
    this.stats = stats;
  }

  /** Rolls up every service of the project; returns how many buckets were merged. */
  long rollup(String project) {
    LongAdder merged = new LongAdder();
    Pages.eachName(
        (after, size) -> stats.services(project, after, size),
        PAGE,
        service -> merged.add(stats.rollup(project, service)));
    return merged.sum();
  }

  /** One round of the background job: every project; one that fails is logged and passed over. */
  @Override
  public void run() {
    Pages.eachName(
        stats::projects,
        PAGE,
        project -> {
          try {
            rollup(project);
          } catch (RuntimeException failed) {
            log.warn(
                "rolling up the statistics of project {} failed; the next round tries again",
                project,
                failed);
          }
        });
  }
}
