package io.kvdb.client;

import io.grpc.stub.StreamObserver;
import io.kvdb.proto.v1.ClaimServiceGrpc;
import io.kvdb.proto.v1.ConsumeRequest;
import io.kvdb.proto.v1.ConsumeResponse;
import io.kvdb.proto.v1.ConsumeStart;
import io.kvdb.proto.v1.Message;
import io.kvdb.proto.v1.MessageIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a handler for each message of a queue over one {@code Consume} stream: the gateway pushes
 * messages as they arrive, up to {@code 2 x threads x batch} unsettled at a time; a message whose
 * handler returns is acknowledged (deleted), one whose handler throws is released and delivered
 * again (to dead letters after the queue's {@code _max_claim_count}). Acknowledgements go back in
 * small batches. If the stream breaks, the consumer opens a new one; the gateway released what
 * the old one held, so nothing is lost (delivery is at least once).
 *
 * <pre>{@code
 * try (Consumer consumer = kvdb.consumer("invoices", message -> bill(message)).threads(4).start()) {
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

  private static final long FLUSH_MILLIS = 5;
  /** Batches in hand per thread: one being handled while the next is on its way. */
  private static final int PREFETCH = 2;
  private static final long RECONNECT_MILLIS = 500;

  private final Builder settings;
  private final ExecutorService handlers;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "kvdb-consumer-flush");
    thread.setDaemon(true);
    return thread;
  });
  private final Object sending = new Object();
  private final List<String> acks = new ArrayList<>();
  private final List<String> releases = new ArrayList<>();
  private StreamObserver<ConsumeRequest> stream;
  private volatile boolean running = true;

  private Consumer(Builder settings) {
    this.settings = settings;
    this.handlers = Executors.newFixedThreadPool(settings.threads, runnable -> {
      Thread thread = new Thread(runnable, "kvdb-consumer-" + settings.queue);
      thread.setDaemon(true);
      return thread;
    });
  }

  private Consumer start() {
    connect();
    timer.scheduleWithFixedDelay(this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    return this;
  }

  private void connect() {
    ConsumeStart start = ConsumeStart.newBuilder()
        .setQueue(settings.queue)
        .setTtl(ProtoDurations.of(settings.ttl))
        .setGrace(ProtoDurations.of(settings.ttl))
        .setMaxBatch(settings.batch)
        .build();
    synchronized (sending) {
      acks.clear();
      releases.clear();
      stream = ClaimServiceGrpc.newStub(settings.client.channel()).consume(new Pushes());
      stream.onNext(ConsumeRequest.newBuilder().setStart(start).build());
      stream.onNext(ConsumeRequest.newBuilder().setCredit(PREFETCH * settings.threads * settings.batch).build());
    }
  }

  private void handle(Message message) {
    boolean handled;
    try {
      settings.handler.handle(message);
      handled = true;
    } catch (Exception failed) {
      handled = false;
    }
    synchronized (sending) {
      (handled ? acks : releases).add(message.getId());
    }
  }

  /** Sends settled messages back, and as much new credit. */
  private void flush() {
    synchronized (sending) {
      int settled = acks.size() + releases.size();
      if (settled == 0 || stream == null) {
        return;
      }
      try {
        if (!acks.isEmpty()) {
          stream.onNext(ConsumeRequest.newBuilder().setAck(MessageIds.newBuilder().addAllIds(acks)).build());
        }
        if (!releases.isEmpty()) {
          stream.onNext(ConsumeRequest.newBuilder().setRelease(MessageIds.newBuilder().addAllIds(releases)).build());
        }
        if (running) {
          stream.onNext(ConsumeRequest.newBuilder().setCredit(settled).build());
        }
      } catch (RuntimeException streamGone) {
        // The stream broke; the reconnect that follows starts afresh.
      }
      acks.clear();
      releases.clear();
    }
  }

  private void reconnectLater() {
    if (running) {
      timer.schedule(() -> {
        if (running) {
          connect();
        }
      }, RECONNECT_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** Stops taking messages, lets handlers in progress finish, settles them, closes the stream. */
  @Override
  public void close() {
    running = false;
    handlers.shutdown();
    try {
      handlers.awaitTermination(settings.ttl.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
    timer.shutdownNow();
    synchronized (sending) {
      if (stream != null) {
        stream.onCompleted();
        stream = null;
      }
    }
  }

  private final class Pushes implements StreamObserver<ConsumeResponse> {
    @Override
    public void onNext(ConsumeResponse push) {
      for (Message message : push.getMessagesList()) {
        if (running) {
          handlers.execute(() -> handle(message));
        }
      }
    }

    @Override
    public void onError(Throwable broken) {
      reconnectLater();
    }

    @Override
    public void onCompleted() {
      reconnectLater();
    }
  }

  /** Settings of a {@link Consumer}: handler threads, batch size and how long a message is held. */
  public static final class Builder {
    private final KvdbClient client;
    private final String queue;
    private final Handler handler;
    private int threads = 1;
    private int batch = 10;
    private Duration ttl = Duration.ofSeconds(60);

    Builder(KvdbClient client, String queue, Handler handler) {
      this.client = client;
      this.queue = Objects.requireNonNull(queue, "queue");
      this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** Handler threads; default 1. */
    public Builder threads(int count) {
      this.threads = count;
      return this;
    }

    /** Messages per push, and unsettled messages per thread; default 10. */
    public Builder batch(int size) {
      this.batch = size;
      return this;
    }

    /** How long a pushed message is held before others may have it; default 60 s. */
    public Builder ttl(Duration claimTtl) {
      this.ttl = claimTtl;
      return this;
    }

    public Consumer start() {
      return new Consumer(this).start();
    }
  }
}
