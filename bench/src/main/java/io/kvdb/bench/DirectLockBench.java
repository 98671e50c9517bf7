package io.kvdb.bench;

import io.kvdb.lua.locks.LockRef;
import io.kvdb.lua.locks.Locks;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The locks bench without the gateway: the same workers call the lock scripts (locks/acquire and
 * locks/release) through the lua module's {@link Locks}, as the gateway's lock service does, on the
 * same Redis and in the run's project.
 */
final class DirectLockBench {
  /**
   * How long a refused acquire waits before trying again: the gateway waits for a release
   * announcement instead, which a direct caller would have to subscribe for.
   */
  private static final Duration RETRY_AFTER = Duration.ofNanos(100_000);

  private DirectLockBench() {}

  static List<LoadRun.Result> run(BenchTarget target, BenchOptions options)
      throws InterruptedException {
    LockLoad load = LockLoad.of(options);
    if (load.oneName()) {
      System.out.printf(
          "direct: a refused acquire is tried again after %d us (the gateway waits for the"
              + " release instead)%n",
          RETRY_AFTER.toNanos() / 1000);
    }
    try (DirectRedis direct = DirectRedis.open(target, load.clients())) {
      Locks locks = new Locks(direct.scripts());
      return target
          .loadRun(options, 10)
          .run(
              List.of(
                  new LoadRun.Workload(
                      "direct " + load.label(),
                      load.clients(),
                      worker -> {
                        LockRef lock = new LockRef(target.project(), load.nameOf(worker));
                        String token = RandomIds.next();
                        while (!locks.acquire(lock, token, LockLoad.LEASE, "").acquired()) {
                          LockSupport.parkNanos(RETRY_AFTER.toNanos());
                        }
                        locks.release(lock, token, "direct " + lock.id());
                        return 1;
                      })));
    }
  }
}
