package io.kvdb.conformance.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.kvdb.client.Consumer;
import io.kvdb.client.ConsumerOptions;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.KvdbClientOptions;
import io.kvdb.client.KvdbException;
import io.kvdb.conformance.Expect;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.conformance.messages.Messaging;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.proto.v1.ErrorReason;
import io.kvdb.proto.v1.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The SDK consumer: handled messages are deleted, failed ones come again, then go to dead letters.
 */
class ConsumerTest extends ProjectScopedTest {
  private Consumer consume(String queue, Consumer.Handler handler) {
    return kvdb.claims()
        .consumer(
            queue,
            ConsumerOptions.newBuilder().setThreads(2).setBatch(5).setTtl(Messaging.HOLD).build(),
            handler);
  }

  @Test
  void handledMessagesAreDeleted() throws Exception {
    List<String> posted = kvdb.messages().post("q", Messaging.numbered(30).toArray(String[]::new));
    ConcurrentLinkedQueue<String> handled = new ConcurrentLinkedQueue<>();
    try (Consumer consumer = consume("q", message -> handled.add(message.getId()))) {
      Messaging.eventually("all handled", () -> queues.stats("q").getTotal() == 0);
    }
    assertEquals(posted.size(), handled.size(), "each handled once");
    assertEquals(new HashSet<>(posted), new HashSet<>(handled));
  }

  @Test
  void aMessageWhoseHandlerThrewIsDeliveredAgain() throws Exception {
    String flaky = kvdb.messages().post("q", "flaky").get(0);
    ConcurrentLinkedQueue<Integer> deliveries = new ConcurrentLinkedQueue<>();
    try (Consumer consumer =
        consume(
            "q",
            message -> {
              deliveries.add(message.getClaimCount());
              if (message.getClaimCount() == 1) {
                throw new IllegalStateException("first attempt fails");
              }
            })) {
      Messaging.eventually(
          "handled on the second delivery", () -> queues.stats("q").getTotal() == 0);
    }
    assertEquals(List.of(1, 2), List.copyOf(deliveries));
    Expect.notFound(() -> kvdb.messages().get("q", List.of(flaky)));
  }

  @Test
  void aMessageThatAlwaysFailsEndsInTheDeadLetterQueue() throws Exception {
    queues.create("q", Map.of("_max_claim_count", 2, "_dead_letter_queue", "dlq"));
    String poison = kvdb.messages().post("q", "poison", "fine").get(0);
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    try (Consumer consumer =
        consume(
            "q",
            message -> {
              seen.add(message.getBody().toStringUtf8());
              if (message.getBody().toStringUtf8().equals("poison")) {
                throw new IllegalStateException("cannot handle it");
              }
            })) {
      // The claim takes the letter out of q at once; the gateway's outbox delivers it to dlq just
      // after.
      Messaging.eventually(
          "the poison message moved",
          () -> queues.stats("q").getTotal() == 0 && totalOrZero("dlq") == 1);
    }
    List<Message> dead = kvdb.messages().get("dlq", List.of(poison));
    assertEquals("poison", dead.get(0).getBody().toStringUtf8());
    assertEquals(1, queues.stats("dlq").getTotal());
    assertEquals(
        2, seen.stream().filter("poison"::equals).count(), "delivered _max_claim_count times");
    assertEquals(1, seen.stream().filter("fine"::equals).count());
  }

  @Test
  void aClaimTtlTheGatewayRefusesFailsStart() {
    Expect.invalid(
        "start.ttl",
        () ->
            kvdb.claims()
                .consumer(
                    "q",
                    ConsumerOptions.newBuilder().setTtl(Duration.ofMillis(1)).build(),
                    message -> {}));
  }

  @Test
  void aRefusalAfterAReconnectReachesTheListenerAndStopsTheConsumer() throws Exception {
    try (RestartingGateway gateway = new RestartingGateway(KvdbTarget.SHORT);
        KvdbClient client = gateway.client()) {
      CopyOnWriteArrayList<KvdbException> stops = new CopyOnWriteArrayList<>();
      try (Consumer consumer =
          client
              .claims()
              .consumer(
                  "q",
                  ConsumerOptions.newBuilder()
                      .setTtl(Duration.ofSeconds(1))
                      .setReconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(100))
                      .setOnError(stops::add)
                      .build(),
                  message -> {})) {
        gateway.restart(Duration.ofSeconds(60));

        Eventually.await("the refusal reached the listener", () -> !stops.isEmpty());
        assertEquals(Status.Code.INVALID_ARGUMENT, stops.get(0).code());
        assertEquals(Optional.of("start.ttl"), stops.get(0).field());
        assertFalse(consumer.isRunning());
        Eventually.holdsFor("told once", Duration.ofMillis(300), () -> stops.size() == 1);
      }
    }
  }

  /**
   * Handlers that outlive their stream settle outside the next one: across gateway restarts the
   * consumer never holds more than its window, and handles a message twice only once its claim has
   * lapsed. The ttl is short so that a push lost with a stopping gateway comes again in time.
   */
  @Test
  void acrossGatewayRestartsTheWindowHoldsAndNothingIsHandledTwice() throws Exception {
    int window = 10;
    Duration ttl = Duration.ofSeconds(60);
    try (RestartingGateway gateway = new RestartingGateway(KvdbTarget.SHORT);
        KvdbClient client = gateway.client()) {
      List<String> posted =
          client.messages().post("q", Messaging.numbered(60).toArray(String[]::new));
      AtomicInteger inHandlers = new AtomicInteger();
      AtomicInteger mostInHandlers = new AtomicInteger();
      Map<String, List<Long>> handlingStarts = new ConcurrentHashMap<>();
      Consumer.Handler handler =
          message -> {
            mostInHandlers.accumulateAndGet(inHandlers.incrementAndGet(), Math::max);
            handlingStarts
                .computeIfAbsent(message.getId(), id -> new CopyOnWriteArrayList<>())
                .add(System.nanoTime());
            try {
              Thread.sleep(600);
            } finally {
              inHandlers.decrementAndGet();
            }
          };
      // More threads than the window: a window that breaks shows as handlers running at once.
      // Handlers outlast a reconnect, so some of every stream run on into the next.
      try (Consumer consumer =
          client
              .claims()
              .consumer(
                  "q",
                  ConsumerOptions.newBuilder()
                      .setThreads(2 * window)
                      .setBatch(5)
                      .setWindow(window)
                      .setTtl(ttl)
                      .setReconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(200))
                      .build(),
                  handler)) {
        for (int restart = 1; restart <= 3; restart++) {
          int seen = restart * 15;
          Eventually.await(
              () -> "handled " + seen + " before restart, got " + handlingStarts.size(),
              () -> handlingStarts.size() >= seen);
          gateway.restart(KvdbTarget.SHORT);
        }
        Eventually.await(
            () -> "every message handled, got " + handlingStarts.size(),
            () -> handlingStarts.size() == posted.size());
        Eventually.await(
            () -> "every message deleted: " + client.queues().stats("q"),
            () -> client.queues().stats("q").getTotal() == 0);
      }
      assertTrue(
          mostInHandlers.get() <= window,
          "in hand at once: " + mostInHandlers.get() + ", window " + window);
      List<String> twiceWithALiveClaim = new ArrayList<>();
      handlingStarts.forEach(
          (id, starts) -> {
            for (int i = 1; i < starts.size(); i++) {
              if (starts.get(i) - starts.get(i - 1) < ttl.toNanos()) {
                twiceWithALiveClaim.add(id);
              }
            }
          });
      assertEquals(List.of(), twiceWithALiveClaim, "handled again while the first claim was live");
    }
  }

  /** An in-process gateway on a fixed port, restarted on demand, on the test Redis. */
  private static final class RestartingGateway implements AutoCloseable {
    private final int port = freePort();
    private Gateway gateway;

    RestartingGateway(Duration minClaimTtl) {
      gateway = start(minClaimTtl);
    }

    KvdbClient client() {
      return KvdbClient.create(
          KvdbClientOptions.newBuilder()
              .setTarget("127.0.0.1:" + port)
              .setProject(KvdbTarget.freshProject())
              .build());
    }

    /** Stops the gateway (cancelling its streams at once) and starts a new one on the port. */
    void restart(Duration minClaimTtl) {
      gateway.close();
      gateway = start(minClaimTtl);
    }

    private Gateway start(Duration minClaimTtl) {
      return KvdbTarget.ownGateway(
          "--port", Integer.toString(port),
          "--shutdown-grace-seconds", "0",
          "--min-claim-ttl-ms", Long.toString(minClaimTtl.toMillis()));
    }

    private static int freePort() {
      try (ServerSocket socket = new ServerSocket(0)) {
        return socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      gateway.close();
    }
  }

  /** A queue's total, 0 while the queue does not exist yet (the first dead letter creates it). */
  private long totalOrZero(String queue) {
    try {
      return queues.stats(queue).getTotal();
    } catch (KvdbException missing) {
      if (missing.reason() == ErrorReason.NOT_FOUND) {
        return 0;
      }
      throw missing;
    }
  }
}
