package io.kvdb.bench;

import io.kvdb.client.ClaimOptions;
import io.kvdb.client.KvdbClient;
import io.kvdb.lua.redis.RedisConnector;
import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.NewMessage;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import redis.clients.jedis.UnifiedJedis;

/**
 * Whether claiming stays O(log n): fills queues to each depth, then repeats claim (one message) +
 * release (which puts it back at its rank) so the depth holds, and reports the latency per pair at
 * each depth. With access to Redis it also reports memory per stored message.
 */
final class ClaimDepthBench {
  private static final int FILL_BATCH = 1000;
  private static final int FILL_THREADS = 4;

  private ClaimDepthBench() {}

  static List<LoadRun.Result> run(BenchTarget target, BenchOptions options) throws Exception {
    int size = options.integer("size", 256);
    List<KvdbClient> pool = target.clients(FILL_THREADS);
    List<LoadRun.Result> results = new ArrayList<>();
    for (String depthText : options.text("depths", "1000,1000000").split(",")) {
      int depth = Integer.parseInt(depthText.trim());
      String queue = "depth-" + depth;
      long before = usedMemory(target.redisUri());
      fill(pool, queue, depth, size);
      long after = usedMemory(target.redisUri());
      if (before >= 0) {
        System.out.printf(
            "depth %,d: Redis memory %,d bytes per %d-byte message%n",
            depth, (after - before) / depth, size);
      }
      KvdbClient client = pool.get(0);
      LoadRun run = target.loadRun(options, 10);
      results.addAll(
          run.run(
              List.of(
                  new LoadRun.Workload(
                      "claim+release at depth " + depth,
                      1,
                      worker -> {
                        Claim claim =
                            client
                                .claims()
                                .create(
                                    queue,
                                    ClaimOptions.newBuilder()
                                        .setLimit(1)
                                        .setTtl(Duration.ofSeconds(60))
                                        .setMaxWait(Duration.ZERO)
                                        .build());
                        client.claims().release(queue, claim.getId());
                        return 1;
                      }))));
      client.queues().delete(queue);
    }
    return results;
  }

  private static void fill(List<KvdbClient> pool, String queue, int depth, int size)
      throws Exception {
    List<NewMessage> batch = MessageBench.batchOf(Math.min(FILL_BATCH, depth), size);
    ExecutorService fillers = Executors.newFixedThreadPool(FILL_THREADS);
    long started = System.nanoTime();
    try {
      List<Future<?>> posts = new ArrayList<>();
      int batches = depth / batch.size();
      for (int i = 0; i < batches; i++) {
        KvdbClient client = pool.get(i % pool.size());
        posts.add(fillers.submit(() -> client.messages().post(queue, batch)));
      }
      for (Future<?> post : posts) {
        post.get();
      }
    } finally {
      fillers.shutdown();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "filled %s with %,d messages in %.1f s (%,.0f messages/s)%n",
        queue, depth, seconds, depth / seconds);
  }

  private static long usedMemory(Optional<URI> redis) {
    if (redis.isEmpty()) {
      return -1;
    }
    try (UnifiedJedis jedis =
        RedisConnector.connect(redis.get(), RedisConnector.Settings.DEFAULT)) {
      for (String line : jedis.info("memory").split("\r?\n")) {
        if (line.startsWith("used_memory:")) {
          return Long.parseLong(line.substring("used_memory:".length()).trim());
        }
      }
    }
    return -1;
  }
}
