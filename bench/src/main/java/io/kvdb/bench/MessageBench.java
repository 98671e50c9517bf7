package io.kvdb.bench;

import com.google.protobuf.ByteString;
import io.kvdb.client.KvdbClient;
import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.CreateClaimRequest;
import io.kvdb.proto.v1.Message;
import io.kvdb.proto.v1.NewMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The message life cycle under load: producers post batches, consumers claim batches (long
 * polling) and delete what they claimed, on one or more queues.
 */
final class MessageBench {
  private MessageBench() {}

  static List<LoadRun.Result> run(BenchTarget target, BenchOptions options) throws InterruptedException {
    int queues = options.integer("queues", 1);
    int producers = options.integer("producers", 2);
    int consumers = options.integer("consumers", 2);
    int batch = options.integer("batch", 100);
    int size = options.integer("size", 256);
    List<KvdbClient> pool = target.clients(options.integer("channels", 4));
    List<NewMessage> messages = batchOf(batch, size);
    CreateClaimRequest.Builder claim = CreateClaimRequest.newBuilder()
        .setLimit(batch)
        .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(60))
        .setGrace(com.google.protobuf.Duration.newBuilder().setSeconds(60))
        .setWait(com.google.protobuf.Duration.newBuilder().setSeconds(1));
    String shape = String.format("%d B x %d", size, batch);

    LoadRun run = new LoadRun(options.seconds("warmup", 5), options.seconds("duration", 10), System.out)
        .reportingRedis(new RedisReport(target.redisUri()));
    return run.run(List.of(
        new LoadRun.Workload("post " + shape, producers, worker -> {
          pool.get(worker % pool.size()).messages().post("bench-" + worker % queues, messages);
          return batch;
        }),
        new LoadRun.Workload("claim+delete " + shape, consumers, worker -> {
          KvdbClient client = pool.get((worker + 1) % pool.size());
          String queue = "bench-" + worker % queues;
          Claim claimed = client.claims().create(claim.setQueue(queue).build());
          if (claimed.getMessagesCount() == 0) {
            return 0;
          }
          List<String> ids = claimed.getMessagesList().stream().map(Message::getId).toList();
          client.messages().delete(queue, ids, claimed.getId());
          return ids.size();
        })));
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
