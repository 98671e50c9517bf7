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
  private static final Duration LEASE = Duration.ofSeconds(30);

  private LockBench() {}

  static List<LoadRun.Result> run(BenchTarget target, BenchOptions options)
      throws InterruptedException {
    int clients = options.integer("clients", 16);
    int channels = options.integer("channels", Math.min(clients, 4));
    boolean oneName = options.text("names", "distinct").equals("one");
    List<KvdbClient> pool = target.clients(channels);
    LockOptions waitForTurn = LockOptions.newBuilder().setMaxWait(Duration.ofSeconds(60)).build();
    String label =
        String.format("locks %d clients on %s", clients, oneName ? "one name" : "their own names");
    LoadRun run = target.loadRun(options, 10);
    return run.run(
        List.of(
            new LoadRun.Workload(
                label,
                clients,
                worker -> {
                  KvdbClient client = pool.get(worker % pool.size());
                  try (HeldLock lock =
                      client
                          .locks()
                          .acquire(oneName ? "hot" : "lock-" + worker, LEASE, waitForTurn)) {
                    return 1;
                  }
                })));
  }
}
