package io.kvdb.bench;

import io.kvdb.client.HeldLock;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.LockOptions;
import java.time.Duration;
import java.util.List;

/**
 * Acquire + release pairs through the gateway: each client on a name of its own (uncontended), or
 * all clients on one name (contended, each waiting its turn).
 */
final class LockBench {
  private LockBench() {}

  static List<LoadRun.Result> run(BenchTarget target, BenchOptions options)
      throws InterruptedException {
    LockLoad load = LockLoad.of(options);
    int channels = options.integer("channels", Math.min(load.clients(), 4));
    List<KvdbClient> pool = target.clients(channels);
    LockOptions waitForTurn = LockOptions.newBuilder().setMaxWait(Duration.ofSeconds(60)).build();
    LoadRun run = target.loadRun(options, 10);
    return run.run(
        List.of(
            new LoadRun.Workload(
                load.label(),
                load.clients(),
                worker -> {
                  KvdbClient client = pool.get(worker % pool.size());
                  try (HeldLock lock =
                      client.locks().acquire(load.nameOf(worker), LockLoad.LEASE, waitForTurn)) {
                    return 1;
                  }
                })));
  }
}
