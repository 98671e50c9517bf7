package io.kvdb.bench;

import com.google.protobuf.Duration;
import io.kvdb.client.KvdbClient;
import io.kvdb.proto.v1.Invocation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Recording throughput: clients send batches of invocations of several services. */
final class StatsBench {
  private StatsBench() {}

  static List<LoadRun.Result> run(BenchTarget target, BenchOptions options)
      throws InterruptedException {
    int clients = options.integer("clients", 4);
    int batch = options.integer("batch", 100);
    int services = options.integer("services", 10);
    List<KvdbClient> pool = target.clients(options.integer("channels", 4));
    LoadRun run = target.loadRun(options, 10);
    String label = String.format("record %d invocations of %d services", batch, services);
    return run.run(
        List.of(
            new LoadRun.Workload(
                label,
                clients,
                worker -> {
                  pool.get(worker % pool.size()).stats().record(invocations(batch, services));
                  return batch;
                })));
  }

  /** Durations log-uniform from 10 us to 1 s, one in 50 failing. */
  private static List<Invocation> invocations(int count, int services) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    List<Invocation> batch = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long micros = (long) Math.pow(10, 1 + random.nextDouble() * 5);
      batch.add(
          Invocation.newBuilder()
              .setService("service-" + random.nextInt(services))
              .setDuration(
                  Duration.newBuilder()
                      .setSeconds(micros / 1_000_000)
                      .setNanos((int) (micros % 1_000_000) * 1000))
              .setError(random.nextInt(50) == 0)
              .build());
    }
    return batch;
  }
}
