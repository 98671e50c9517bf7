package io.kvdb.bench;

import com.google.protobuf.ByteString;
import io.kvdb.client.ClaimOptions;
import io.kvdb.client.Consumer;
import io.kvdb.client.ConsumerOptions;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.MessagePublisher;
import io.kvdb.lua.Keys;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.Message;
import io.kvdb.proto.v1.NewMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The message life cycle under load: producers post batches; consumers claim batches (long polling)
 * and delete what they claimed, or with {@code --consume stream} run the SDK's {@link Consumer}
 * over the Consume stream; on one or more queues.
 */
final class MessageBench {
  /** The least a stream consumer asks per push, whatever the producers' batch. */
  private static final int STREAM_BATCH = 100;

  /** How long the report waits, after the run, for a migration still running. */
  private static final Duration MIGRATION_BOUND = Duration.ofSeconds(30);

  private MessageBench() {}

  static List<LoadRun.Result> run(BenchTarget target, BenchOptions options)
      throws InterruptedException {
    MessageShape load = MessageShape.of(options);
    int batch = load.batch();
    List<KvdbClient> pool = target.clients(options.integer("channels", 4));
    List<NewMessage> messages = batchOf(batch, load.size());
    ClaimOptions claim =
        ClaimOptions.newBuilder()
            .setLimit(batch)
            .setTtl(Duration.ofSeconds(60))
            .setMaxWait(Duration.ofSeconds(1))
            .build();
    String shape = load.describe();
    List<String> names = queueNames(target, load.queues(), "bench-");
    // Each worker moves to the next queue on every call, so every queue gets load whatever the
    // number of workers.
    int[] postRound = new int[load.producers()];
    boolean byStream = options.text("consume", "claims").equals("stream");
    Optional<MigrationRun> migration = migration(target, options, names, byStream);
    String posting = options.text("post", "calls");
    if (!List.of("calls", "publisher").contains(posting)) {
      throw new IllegalArgumentException("--post is calls or publisher, not " + posting);
    }
    Publishers publishers = posting.equals("publisher") ? new Publishers(pool) : null;
    String postLabel = (publishers == null ? "post " : "publish ") + shape;

    Duration warmup = options.warmup();
    LoadRun run = target.loadRun(options, 10);
    LoadRun.Workload post =
        new LoadRun.Workload(
            postLabel,
            load.producers(),
            worker -> {
              String queue = names.get(load.queueOf(worker, postRound[worker]++));
              long start = System.nanoTime();
              if (publishers != null) {
                // Publishes do not wait for their answers; flow control keeps them near the
                // stored rate, so over the measured window the count is the stored count.
                MessagePublisher publisher = publishers.of(worker % pool.size(), queue);
                messages.forEach(publisher::publish);
              } else {
                pool.get(worker % pool.size()).messages().post(queue, messages);
              }
              migration.ifPresent(m -> m.record(postLabel, queue, micros(start)));
              return batch;
            });
    try {
      return measure(
          run,
          post,
          pool,
          names,
          load.consumers(),
          batch,
          shape,
          claim,
          migration,
          byStream,
          warmup,
          options);
    } finally {
      if (publishers != null) {
        publishers.close();
      }
    }
  }

  private static List<LoadRun.Result> measure(
      LoadRun run,
      LoadRun.Workload post,
      List<KvdbClient> pool,
      List<String> names,
      int consumers,
      int batch,
      String shape,
      ClaimOptions claim,
      Optional<MigrationRun> migration,
      boolean byStream,
      Duration warmup,
      BenchOptions options)
      throws InterruptedException {
    int queues = names.size();
    int[] claimRound = new int[consumers];
    String claimLabel = "claim+delete " + shape;
    if (byStream) {
      return consumeByStream(run, post, pool, names, consumers, batch, shape);
    }
    migration.ifPresent(m -> m.start(warmup, options.seconds("migrate-after", 0)));
    List<LoadRun.Result> results =
        run.run(
            List.of(
                post,
                new LoadRun.Workload(
                    claimLabel,
                    consumers,
                    worker -> {
                      KvdbClient client = pool.get((worker + 1) % pool.size());
                      String queue = names.get((worker + claimRound[worker]++) % queues);
                      long start = System.nanoTime();
                      Claim claimed = client.claims().create(queue, claim);
                      if (claimed.getMessagesCount() == 0) {
                        return 0;
                      }
                      List<String> ids =
                          claimed.getMessagesList().stream().map(Message::getId).toList();
                      client.messages().delete(queue, ids, claimed.getId());
                      migration.ifPresent(m -> m.record(claimLabel, queue, micros(start)));
                      return ids.size();
                    })));
    if (migration.isPresent()) {
      migration.get().report(List.of(post.label(), claimLabel), MIGRATION_BOUND, System.out);
    }
    return results;
  }

  /**
   * With {@code --migrate-after S} (and {@code --pools 2} or more), queue 0 moves to the pool of
   * queue 1 that many seconds into the measured run.
   */
  private static Optional<MigrationRun> migration(
      BenchTarget target, BenchOptions options, List<String> names, boolean byStream) {
    if (!options.values().containsKey("migrate-after")) {
      return Optional.empty();
    }
    if (target.flavorOfQueue(0).isEmpty() || names.size() < 2) {
      throw new IllegalArgumentException("--migrate-after needs --pools 2 or more and --queues 2");
    }
    if (byStream) {
      throw new IllegalArgumentException("--migrate-after measures claims, not --consume stream");
    }
    int after = options.integer("migrate-after", 0);
    if (after < 0 || after >= options.integer("duration", 10)) {
      throw new IllegalArgumentException("--migrate-after is 0 up to --duration, not " + after);
    }
    // Admin calls name their project, so a client of the run's own serves both.
    KvdbClient client = target.clients(1).get(0);
    String targetPool = client.queues().get(names.get(1)).getPool();
    return Optional.of(new MigrationRun(client, target.project(), names.get(0), targetPool));
  }

  private static long micros(long startNanos) {
    return (System.nanoTime() - startNanos) / 1000;
  }

  /**
   * Consumers as the SDK's {@link Consumer} runs them: one Consume stream per queue and client,
   * {@code consumers} handler threads each. The workload only samples how many were handled.
   */
  private static List<LoadRun.Result> consumeByStream(
      LoadRun run,
      LoadRun.Workload post,
      List<KvdbClient> pool,
      List<String> queues,
      int consumers,
      int batch,
      String shape)
      throws InterruptedException {
    LongAdder handled = new LongAdder();
    List<Consumer> streams = new ArrayList<>();
    for (int q = 0; q < queues.size(); q++) {
      ConsumerOptions options =
          ConsumerOptions.newBuilder()
              .setThreads(consumers)
              .setBatch(Math.max(batch, STREAM_BATCH))
              .build();
      streams.add(
          pool.get(q % pool.size())
              .claims()
              .consumer(queues.get(q), options, message -> handled.increment()));
    }
    try {
      return run.run(
          List.of(
              post,
              new LoadRun.Workload(
                  "stream consume " + shape,
                  1,
                  worker -> {
                    Thread.sleep(100);
                    return (int) handled.sumThenReset();
                  })));
    } finally {
      streams.forEach(Consumer::close);
    }
  }

  /**
   * {@code count} fresh queue names. On a Redis Cluster each name is picked so that the queues take
   * the primaries in turn (queue i on primary i mod P, as {@code CLUSTER NODES} assigns slots), so
   * that 6 queues on 3 primaries give each 2; which primary serves each queue is printed. Names
   * start with {@code prefix}.
   */
  static List<String> queueNames(BenchTarget target, int count, String prefix) {
    if (target.flavorOfQueue(0).isPresent()) {
      return queuesInPoolsInTurn(target, count);
    }
    Optional<RedisNodes> redis = target.redisUri().map(RedisNodes::discover);
    if (redis.isEmpty() || !redis.get().cluster()) {
      return IntStream.range(0, count).mapToObj(q -> prefix + q).toList();
    }
    List<RedisNodes.Node> primaries = redis.get().primaries();
    List<String> names = new ArrayList<>();
    for (int q = 0; q < count; q++) {
      RedisNodes.Node wanted = primaries.get(q % primaries.size());
      for (int attempt = 0; ; attempt++) {
        String name = prefix + q + "-" + attempt;
        String key = Keys.queue(new QueueRef(target.project(), name));
        if (redis.get().primaryOf(key).equals(wanted)) {
          System.out.printf(
              "queue %s: slot %d, primary %s%n",
              name, JedisClusterCRC16.getSlot(key), wanted.address());
          names.add(name);
          break;
        }
      }
    }
    return names;
  }

  /** With several pools, queue i is created in pool i mod pools, through its flavor. */
  private static List<String> queuesInPoolsInTurn(BenchTarget target, int count) {
    KvdbClient client = target.clients(1).get(0);
    List<String> names = new ArrayList<>();
    for (int q = 0; q < count; q++) {
      String name = "bench-" + q;
      String pool =
          client
              .queues()
              .create(name, Map.of("_flavor", target.flavorOfQueue(q).orElseThrow()))
              .getQueue()
              .getPool();
      System.out.printf("queue %s: pool %s%n", name, pool);
      names.add(name);
    }
    return names;
  }

  static List<NewMessage> batchOf(int count, int size) {
    byte[] body = new byte[size];
    Arrays.fill(body, (byte) 'x');
    NewMessage message = NewMessage.newBuilder().setBody(ByteString.copyFrom(body)).build();
    List<NewMessage> batch = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      batch.add(message);
    }
    return batch;
  }
}
