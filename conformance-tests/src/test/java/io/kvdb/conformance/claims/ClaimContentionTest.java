package io.kvdb.conformance.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.kvdb.client.KvdbClient;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.conformance.messages.Messaging;
import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.Message;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Short claims that expire and are taken again under contention. Every claim's span comes from the
 * Redis clock (expire time minus ttl), so "never held by two live claims" is checked exactly: the
 * spans of one message's claims never overlap, and its claim_count numbers them 1, 2, 3... in the
 * order they were made.
 */
class ClaimContentionTest {
  private static final int CHANNELS = 3;
  private static final int THREADS = 9;
  private static final int MESSAGES = 40;
  private static final long RUN_MS = 1_500;

  private record Span(String claimId, long startMs, long endMs, int count) {}

  @Test
  void expiringAndReleasedClaimsNeverShareAMessage() throws Exception {
    Assumptions.assumeTrue(KvdbTarget.allowsShortTtls());
    String project = KvdbTarget.freshProject();
    List<KvdbClient> clients = new ArrayList<>();
    for (int i = 0; i < CHANNELS; i++) {
      clients.add(KvdbTarget.client(project));
    }
    List<String> posted =
        clients.get(0).messages().post("hot", Messaging.numbered(MESSAGES).toArray(String[]::new));
    Map<String, ConcurrentLinkedQueue<Span>> spans = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    AtomicInteger claims = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    long end = System.currentTimeMillis() + RUN_MS;
    List<Future<?>> work = new ArrayList<>();
    try {
      for (int t = 0; t < THREADS; t++) {
        KvdbClient client = clients.get(t % CHANNELS);
        work.add(
            threads.submit(
                () -> {
                  while (System.currentTimeMillis() < end) {
                    Claim claim =
                        Messaging.claim(client, "hot", 3, KvdbTarget.SHORT, Messaging.HOLD);
                    if (claim.getId().isEmpty()) {
                      continue;
                    }
                    claims.incrementAndGet();
                    long endMs = Timestamps.toMillis(claim.getExpireTime());
                    long startMs = endMs - Durations.toMillis(claim.getTtl());
                    for (Message message : claim.getMessagesList()) {
                      spans
                          .computeIfAbsent(message.getId(), id -> new ConcurrentLinkedQueue<>())
                          .add(new Span(claim.getId(), startMs, endMs, message.getClaimCount()));
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> future : work) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
      clients.forEach(KvdbClient::close);
    }
    spans.forEach(
        (id, held) -> {
          List<Span> sorted = new ArrayList<>(held);
          sorted.sort(Comparator.comparingLong(Span::startMs));
          for (int i = 0; i < sorted.size(); i++) {
            if (sorted.get(i).count() != i + 1) {
              violations.add(id + " delivery " + (i + 1) + " counted " + sorted.get(i));
            }
            if (i > 0 && sorted.get(i).startMs() < sorted.get(i - 1).endMs()) {
              violations.add(id + " held by " + sorted.get(i - 1) + " and " + sorted.get(i));
            }
          }
        });
    assertEquals(List.of(), List.copyOf(violations));
    assertTrue(claims.get() > MESSAGES, "claims were taken again after expiring: " + claims.get());
    assertTrue(posted.containsAll(spans.keySet()));
  }
}
