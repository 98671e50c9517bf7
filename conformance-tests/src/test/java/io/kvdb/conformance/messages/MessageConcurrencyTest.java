package io.kvdb.conformance.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvdb.client.ClaimOptions;
import io.kvdb.client.KvdbClient;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many consumers on several channels claim one queue while producers post to it. Checked by
 * invariants, not timing: no message is ever handed to two claims (every claim here lives far
 * longer than the test), and every posted message is consumed exactly once.
 */
class MessageConcurrencyTest {
  private static final int CHANNELS = 3;
  private static final int CONSUMERS_PER_CHANNEL = 4;
  private static final int PRODUCERS = 3;
  private static final int BATCHES_PER_PRODUCER = 20;
  private static final int BATCH = 10;
  private static final int TOTAL = PRODUCERS * BATCHES_PER_PRODUCER * BATCH;

  @Test
  void everyMessageIsConsumedExactlyOnce() throws Exception {
    String project = KvdbTarget.freshProject();
    List<KvdbClient> clients = new ArrayList<>();
    for (int i = 0; i < CHANNELS; i++) {
      clients.add(KvdbTarget.client(project));
    }
    Set<String> posted = ConcurrentHashMap.newKeySet();
    Map<String, String> holderOf = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    ExecutorService threads =
        Executors.newFixedThreadPool(PRODUCERS + CHANNELS * CONSUMERS_PER_CHANNEL);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> work = new ArrayList<>();
    try {
      for (int p = 0; p < PRODUCERS; p++) {
        KvdbClient client = clients.get(p % CHANNELS);
        work.add(
            threads.submit(
                () -> {
                  start.await();
                  for (int b = 0; b < BATCHES_PER_PRODUCER; b++) {
                    posted.addAll(
                        client
                            .messages()
                            .post("hot", Messaging.numbered(BATCH).toArray(String[]::new)));
                  }
                  return null;
                }));
      }
      for (int c = 0; c < CHANNELS * CONSUMERS_PER_CHANNEL; c++) {
        KvdbClient client = clients.get(c % CHANNELS);
        work.add(
            threads.submit(
                () -> {
                  start.await();
                  while (holderOf.size() < TOTAL && violations.isEmpty()) {
                    Claim claim =
                        client
                            .claims()
                            .create(
                                "hot",
                                ClaimOptions.newBuilder()
                                    .setLimit(7)
                                    .setTtl(Duration.ofSeconds(60))
                                    .setMaxWait(Duration.ofMillis(200))
                                    .build());
                    for (Message message : claim.getMessagesList()) {
                      String previous = holderOf.putIfAbsent(message.getId(), claim.getId());
                      if (previous != null) {
                        violations.add(
                            message.getId() + " held by " + previous + " and " + claim.getId());
                      }
                    }
                    if (!claim.getId().isEmpty()) {
                      client.messages().delete("hot", Messaging.ids(claim), claim.getId());
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : work) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
      clients.forEach(KvdbClient::close);
    }
    assertEquals(List.of(), List.copyOf(violations));
    assertEquals(TOTAL, posted.size());
    assertEquals(posted, new HashSet<>(holderOf.keySet()), "every posted message was claimed");
    try (KvdbClient client = KvdbTarget.client(project)) {
      assertEquals(0, client.queues().stats("hot").getTotal(), "and deleted");
    }
  }
}
