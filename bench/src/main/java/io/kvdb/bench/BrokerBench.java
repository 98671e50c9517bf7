package io.kvdb.bench;

import io.kvdb.client.KvdbClient;
import io.kvdb.client.Subscriber;
import io.kvdb.client.SubscriberOptions;
import io.kvdb.proto.v1.DeliveryMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * Broker throughput and latency: publishers publish to one channel in closed loops; broadcast
 * subscribers (or members of one group) receive. Delivery latency is publish time (the Redis clock,
 * from the message id) to the handler, in milliseconds.
 */
final class BrokerBench {
  private BrokerBench() {}

  static List<LoadRun.Result> run(BenchTarget target, BenchOptions options)
      throws InterruptedException {
    int publishers = options.integer("publishers", 2);
    int subscribers = options.integer("subscribers", 2);
    boolean one = options.text("mode", "all").equals("one");
    byte[] payload = new byte[options.integer("size", 256)];
    Arrays.fill(payload, (byte) 'x');
    List<KvdbClient> pool = target.clients(options.integer("channels", 4));
    DeliveryMode mode = one ? DeliveryMode.ONE : DeliveryMode.ALL;

    LongAdder delivered = new LongAdder();
    ConcurrentHistogram latencyMillis = new ConcurrentHistogram(3);
    List<Subscriber> listening = new ArrayList<>();
    for (int s = 0; s < subscribers; s++) {
      SubscriberOptions membership =
          one
              ? SubscriberOptions.newBuilder()
                  .setGroup("bench")
                  .setMaxUnacked(1000)
                  .setAckTimeout(Duration.ofSeconds(30))
                  .setMaxDeliveries(5)
                  .build()
              : SubscriberOptions.DEFAULTS;
      listening.add(
          pool.get(s % pool.size())
              .broker()
              .subscriber(
                  List.of("bench"),
                  membership,
                  delivery -> {
                    long publishedMs =
                        Long.parseLong(
                            delivery.getId().substring(0, delivery.getId().indexOf('-')));
                    latencyMillis.recordValue(
                        Math.max(0, System.currentTimeMillis() - publishedMs));
                    delivered.increment();
                  }));
    }
    LoadRun run = target.loadRun(options, 10);
    try {
      List<LoadRun.Result> results =
          run.run(
              List.of(
                  new LoadRun.Workload(
                      "publish " + mode,
                      publishers,
                      worker -> {
                        pool.get(worker % pool.size()).broker().publish("bench", payload, mode);
                        return 1;
                      }),
                  new LoadRun.Workload(
                      "deliver to " + subscribers + (one ? " group members" : " subscribers"),
                      1,
                      worker -> {
                        Thread.sleep(100);
                        return (int) delivered.sumThenReset();
                      })));
      System.out.printf(
          "delivery latency (publish to handler): p50 %d ms, p99 %d ms, max %d ms%n",
          latencyMillis.getValueAtPercentile(50),
          latencyMillis.getValueAtPercentile(99),
          latencyMillis.getMaxValue());
      return results;
    } finally {
      listening.forEach(Subscriber::close);
    }
  }
}
