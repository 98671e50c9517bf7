package io.kvdb.bench;

import io.kvdb.client.ClaimOptions;
import io.kvdb.client.KvdbClient;
import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.Message;
import io.kvdb.proto.v1.NewMessage;
import io.kvdb.proto.v1.Quota;
import io.kvdb.proto.v1.QuotaServiceGrpc;
import io.kvdb.proto.v1.SetQuotaRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One tenant's flood against another's latency. A quiet project posts one message and claims and
 * deletes it, one call at a time; a flooding project posts and pops batches from many threads at
 * full speed, ignoring refusals. Three phases side by side: the quiet project alone, with the
 * flood, and with the flood under a requests_per_second quota.
 */
final class FairnessBench {
  private FairnessBench() {}

  static List<LoadRun.Result> run(BenchTarget target, BenchOptions options)
      throws InterruptedException {
    int flooders = options.integer("flooders", 16);
    int batch = options.integer("batch", 10);
    int size = options.integer("size", 256);
    int rate = options.integer("flood-rate", 500);
    String floodProject = "flood-" + UUID.randomUUID();
    String quietProject = "quiet-" + UUID.randomUUID();
    List<KvdbClient> flood = new ArrayList<>();
    for (int i = 0; i < options.integer("channels", 4); i++) {
      flood.add(target.clientOf(floodProject));
    }
    KvdbClient quiet = target.clientOf(quietProject);
    List<NewMessage> floodBatch = MessageBench.batchOf(batch, size);
    List<NewMessage> one = MessageBench.batchOf(1, size);
    ClaimOptions claimOne =
        ClaimOptions.newBuilder().setLimit(1).setTtl(Duration.ofSeconds(60)).build();

    LoadRun.Workload quietPost =
        new LoadRun.Workload("quiet post 1", 1, worker -> quiet.messages().post("q", one).size());
    LoadRun.Workload quietClaim =
        new LoadRun.Workload(
            "quiet claim+delete 1",
            1,
            worker -> {
              Claim claimed = quiet.claims().create("q", claimOne);
              List<String> ids = claimed.getMessagesList().stream().map(Message::getId).toList();
              if (!ids.isEmpty()) {
                quiet.messages().delete("q", ids, claimed.getId());
              }
              return ids.size();
            });
    LoadRun.Workload floodWork =
        new LoadRun.Workload(
            "flood post+pop " + batch,
            flooders,
            worker -> {
              KvdbClient client = flood.get(worker % flood.size());
              client.messages().post("flood", floodBatch);
              return client.messages().pop("flood", batch).size() + batch;
            });

    List<LoadRun.Result> results = new ArrayList<>();
    System.out.println("phase 1: the quiet project alone");
    results.addAll(target.loadRun(options, 8).run(List.of(quietPost, quietClaim)));
    System.out.println("phase 2: with " + flooders + " threads flooding, no quota");
    results.addAll(target.loadRun(options, 8).run(List.of(quietPost, quietClaim, floodWork)));
    System.out.println("phase 3: with the flood under a quota of " + rate + " requests per second");
    QuotaServiceGrpc.newBlockingStub(quiet.channel())
        .setQuota(
            SetQuotaRequest.newBuilder()
                .setProject(floodProject)
                .setQuota(Quota.newBuilder().setRequestsPerSecond(rate))
                .build());
    results.addAll(target.loadRun(options, 8).run(List.of(quietPost, quietClaim, floodWork)));
    return results;
  }
}
