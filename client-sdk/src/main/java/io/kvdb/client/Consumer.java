package io.kvdb.client;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kvdb.proto.v1.ClaimServiceGrpc;
import io.kvdb.proto.v1.ConsumeRequest;
import io.kvdb.proto.v1.ConsumeResponse;
import io.kvdb.proto.v1.ConsumeStart;
import io.kvdb.proto.v1.Message;
import io.kvdb.proto.v1.MessageIds;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a handler for each message of a queue over one {@code Consume} stream: the gateway pushes
 * messages as they arrive, never more than the window (default {@code 2 x threads x batch}) in hand
 * at a time; a message whose handler returns is acknowledged (deleted), one whose handler throws is
 * released and delivered again (to dead letters after the queue's {@code _max_claim_count}).
 * Acknowledgements go back in small batches, with as much new credit.
 *
 * <p>If the stream breaks, the consumer opens a new one after an exponential backoff with jitter;
 * an error that no retry can fix ({@code INVALID_ARGUMENT}, {@code NOT_FOUND}, {@code
 * PERMISSION_DENIED}...) fails {@link ClaimClient#consumer} when it ends the first stream, or else
 * stops the consumer and reaches the {@link ErrorListener} of its {@link ConsumerOptions}. Handlers
 * still running from a broken stream count against the window of the next one, and their messages
 * stay under the old stream's claim: a handled one is deleted with a unary call by that claim, a
 * failed one is left to it (the gateway released it when the stream ended, or the claim lapses at
 * its ttl). A message the next stream delivers again while it is in hand, or after it was handled,
 * is not handled again but settled on the new stream, so a message is handled twice only when its
 * claim lapsed (delivery is at least once).
 *
 * <pre>{@code
 * ConsumerOptions options = ConsumerOptions.newBuilder().setThreads(4).build();
 * try (Consumer consumer = kvdb.claims().consumer("invoices", options, message -> bill(message))) {
 *   ...
 * }
 * }</pre>
 */
public final class Consumer implements AutoCloseable {
  /** Handles one message; throwing makes it claimable again. */
  @FunctionalInterface
  public interface Handler {
    void handle(Message message) throws Exception;
  }

  /** Told once when the consumer stopped by itself, on an error no retry can fix. */
  @FunctionalInterface
  public interface ErrorListener {
    void stopped(KvdbException cause);
  }

  private static final long FLUSH_MILLIS = 5;

  /** Refusals that a new stream would get again; anything else is worth a retry. */
  private static final Set<Status.Code> PERMANENT =
      EnumSet.of(
          Status.Code.INVALID_ARGUMENT,
          Status.Code.NOT_FOUND,
          Status.Code.ALREADY_EXISTS,
          Status.Code.PERMISSION_DENIED,
          Status.Code.UNAUTHENTICATED,
          Status.Code.FAILED_PRECONDITION,
          Status.Code.OUT_OF_RANGE,
          Status.Code.UNIMPLEMENTED);

  /**
   * A message in hand: pushed, its handler not yet done, under the claim of the stream that pushed
   * it.
   */
  private record Delivery(Message message, Stream stream, String claimId, long lapsesAtNanos) {
    String id() {
      return message.getId();
    }
  }

  /** Acks sent on a stream, and the credit the stream had been granted before them. */
  private record SentAcks(long grantedBefore, List<Delivery> acked) {}

  private final KvdbClient client;
  private final String queue;
  private final Handler handler;
  private final ConsumerOptions options;
  private final int window;
  private final ExecutorService handlers;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "kvdb-consumer-flush");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * Completes when the first stream delivers or breaks: exceptionally if it was refused for good.
   */
  private final CompletableFuture<Void> firstVerdict = new CompletableFuture<>();

  // Guarded by this.
  private Stream stream;
  private final Map<String, Delivery> inHand = new HashMap<>();

  /**
   * Handled messages of ended streams, until their claim lapses: delivered again, they are only
   * settled.
   */
  private final Map<String, Long> handledOnEndedStreams = new HashMap<>();

  private int failedAttempts;
  private volatile boolean running = true;

  private Consumer(KvdbClient client, String queue, ConsumerOptions options, Handler handler) {
    this.client = client;
    this.queue = Objects.requireNonNull(queue, "queue");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.options = Objects.requireNonNull(options, "options");
    this.window = options.window();
    this.handlers =
        Executors.newFixedThreadPool(
            options.threads(),
            runnable -> {
              Thread thread = new Thread(runnable, "kvdb-consumer-" + queue);
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Opens the stream; throws {@link KvdbException} if the gateway refuses it for good. */
  static Consumer start(KvdbClient client, String queue, ConsumerOptions options, Handler handler) {
    return new Consumer(client, queue, options, handler).start();
  }

  private Consumer start() {
    timer.scheduleWithFixedDelay(this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    connect();
    try {
      firstVerdict.get(options.startTimeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException answered) {
      // The gateway says nothing when it accepts a stream; a refusal is looked at below.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // From here on, a refusal goes to the error listener.
    firstVerdict.complete(null);
    if (firstVerdict.isCompletedExceptionally()) {
      close();
      throw KvdbException.from(firstVerdict.handle((accepted, refusal) -> refusal).join());
    }
    return this;
  }

  /** False once closed, or once stopped by an error that no retry can fix. */
  public boolean isRunning() {
    return running;
  }

  private synchronized void connect() {
    if (!running) {
      return;
    }
    ConsumeStart start =
        ConsumeStart.newBuilder()
            .setQueue(queue)
            .setTtl(ProtoDurations.of(options.ttl()))
            .setGrace(ProtoDurations.of(options.ttl()))
            .setMaxBatch(options.batch())
            .build();
    stream = new Stream();
    stream.requests = ClaimServiceGrpc.newStub(client.channel()).consume(stream);
    stream.requests.onNext(ConsumeRequest.newBuilder().setStart(start).build());
    stream.grant(window - inHand.size());
  }

  private void handle(String id) {
    Message message;
    synchronized (this) {
      Delivery delivery = inHand.get(id);
      if (delivery.stream().ended) {
        // Not started before its stream ended: the gateway released it, or its claim lapses.
        inHand.remove(id);
        oweCredit();
        return;
      }
      message = delivery.message();
    }
    boolean handled;
    try {
      handler.handle(message);
      handled = true;
    } catch (Exception failed) {
      handled = false;
    }
    synchronized (this) {
      Delivery delivery = inHand.remove(id);
      if (!delivery.stream().ended) {
        (handled ? delivery.stream().acks : delivery.stream().releases).add(delivery);
      } else if (handled) {
        settleByClaim(delivery);
      }
      oweCredit();
    }
  }

  /** One message fewer in hand: the live stream may push one more. */
  private void oweCredit() {
    if (stream != null) {
      stream.owed++;
    }
  }

  /**
   * Deletes a handled message of an ended stream under that stream's claim, and remembers it
   * meanwhile.
   */
  private void settleByClaim(Delivery delivery) {
    handledOnEndedStreams.put(delivery.id(), delivery.lapsesAtNanos());
    deleteByClaim(delivery, 0);
  }

  /** Tries again after transient errors (the gateway may be restarting) while the claim is live. */
  private void deleteByClaim(Delivery delivery, int attempt) {
    client
        .messages()
        .deleteAsync(queue, List.of(delivery.id()), delivery.claimId())
        .whenComplete(
            (deleted, failure) -> {
              synchronized (this) {
                if (failure == null) {
                  handledOnEndedStreams.remove(delivery.id());
                  return;
                }
                boolean retry =
                    !PERMANENT.contains(KvdbException.from(failure).code())
                        && handledOnEndedStreams.containsKey(delivery.id())
                        && !timer.isShutdown();
                if (retry) {
                  long wait =
                      options
                          .reconnectBackoff()
                          .delay(attempt, ThreadLocalRandom.current())
                          .toNanos();
                  timer.schedule(
                      () -> deleteByClaim(delivery, attempt + 1), wait, TimeUnit.NANOSECONDS);
                }
              }
            });
  }

  /** Sends settled messages back, and the credit owed. */
  private synchronized void flush() {
    long now = System.nanoTime();
    handledOnEndedStreams.values().removeIf(lapsesAt -> lapsesAt - now <= 0);
    if (stream != null) {
      stream.flush();
    }
  }

  private void ended(Stream ended, Throwable error) {
    int attempt;
    synchronized (this) {
      if (ended.ended) {
        return;
      }
      ended.ended = true;
      if (stream == ended) {
        stream = null;
      }
      if (!running) {
        return;
      }
      // Acks the gateway may not have applied before the stream broke.
      ended.acks.forEach(this::settleByClaim);
      ended.unconfirmed.forEach(sent -> sent.acked().forEach(this::settleByClaim));
      boolean healthy =
          ended.delivered
              || System.nanoTime() - ended.openedNanos
                  >= options.reconnectBackoff().max().toNanos();
      failedAttempts = healthy ? 0 : failedAttempts + 1;
      attempt = failedAttempts;
    }
    KvdbException failure = error == null ? null : KvdbException.from(error);
    if (failure != null && PERMANENT.contains(failure.code())) {
      stop(failure);
      return;
    }
    firstVerdict.complete(null);
    Duration wait = options.reconnectBackoff().delay(attempt, ThreadLocalRandom.current());
    timer.schedule(this::connect, wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Stops on a refusal no retry fixes: start() throws it, or the listener hears it. */
  private void stop(KvdbException failure) {
    synchronized (this) {
      running = false;
    }
    handlers.shutdown();
    timer.shutdown();
    if (firstVerdict.completeExceptionally(failure)) {
      return;
    }
    options.onError().stopped(failure);
  }

  /** Stops taking messages, lets handlers in progress finish, settles them, closes the stream. */
  @Override
  public void close() {
    synchronized (this) {
      running = false;
    }
    handlers.shutdown();
    try {
      handlers.awaitTermination(options.ttl().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
    timer.shutdownNow();
    synchronized (this) {
      if (stream != null) {
        stream.ended = true;
        stream.requests.onCompleted();
        stream = null;
      }
    }
  }

  /** One Consume call: what it was granted, received and settled. Guarded by the consumer. */
  private final class Stream implements StreamObserver<ConsumeResponse> {
    private final long openedNanos = System.nanoTime();
    private StreamObserver<ConsumeRequest> requests;
    private boolean ended;
    private boolean delivered;
    private long granted;
    private long received;

    /** Credit for messages that left the hand since the last flush. */
    private int owed;

    private final List<Delivery> acks = new ArrayList<>();
    private final List<Delivery> releases = new ArrayList<>();

    /** Acks sent, until a push shows that the gateway read the credit sent after them. */
    private final ArrayDeque<SentAcks> unconfirmed = new ArrayDeque<>();

    void grant(int credit) {
      if (credit > 0) {
        requests.onNext(ConsumeRequest.newBuilder().setCredit(credit).build());
        granted += credit;
      }
    }

    void flush() {
      if (acks.isEmpty() && releases.isEmpty() && owed == 0) {
        return;
      }
      try {
        if (!acks.isEmpty()) {
          requests.onNext(ConsumeRequest.newBuilder().setAck(ids(acks)).build());
          unconfirmed.add(new SentAcks(granted, List.copyOf(acks)));
        }
        if (!releases.isEmpty()) {
          requests.onNext(ConsumeRequest.newBuilder().setRelease(ids(releases)).build());
        }
        if (running) {
          grant(owed);
        }
      } catch (RuntimeException streamGone) {
        // The stream broke; ended() settles what it may have lost.
        return;
      }
      acks.clear();
      releases.clear();
      owed = 0;
    }

    private MessageIds ids(List<Delivery> deliveries) {
      return MessageIds.newBuilder()
          .addAllIds(deliveries.stream().map(Delivery::id).toList())
          .build();
    }

    @Override
    public void onNext(ConsumeResponse push) {
      synchronized (Consumer.this) {
        if (ended || !running) {
          return;
        }
        delivered = true;
        received += push.getMessagesCount();
        while (!unconfirmed.isEmpty() && unconfirmed.peek().grantedBefore() < received) {
          unconfirmed.poll();
        }
        long lapsesAt = System.nanoTime() + options.ttl().toNanos();
        for (Message message : push.getMessagesList()) {
          Delivery delivery = new Delivery(message, this, push.getClaimId(), lapsesAt);
          if (inHand.containsKey(message.getId())) {
            // Still being handled since an earlier stream: its handler settles it on this one.
            inHand.put(message.getId(), delivery);
            owed++;
          } else if (handledOnEndedStreams.remove(message.getId()) != null) {
            acks.add(delivery);
            owed++;
          } else {
            inHand.put(message.getId(), delivery);
            handlers.execute(() -> handle(message.getId()));
          }
        }
      }
      firstVerdict.complete(null);
    }

    @Override
    public void onError(Throwable broken) {
      ended(this, broken);
    }

    @Override
    public void onCompleted() {
      ended(this, null);
    }
  }
}
