package io.kvdb.client;

import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs a handler for each message of a queue: claims batches (waiting for messages to arrive),
 * deletes each message whose handler returned, and releases the claim's other messages (those
 * whose handler threw) so they are delivered again, to dead letters after the queue's
 * {@code _max_claim_count}.
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

  private final Builder settings;
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean running = true;

  private Consumer(Builder settings) {
    this.settings = settings;
  }

  private Consumer start() {
    for (int i = 0; i < settings.threads; i++) {
      Thread worker = new Thread(this::consume, "kvdb-consumer-" + settings.queue + "-" + i);
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
    return this;
  }

  private void consume() {
    while (running) {
      try {
        Claim claim = settings.client.claims().create(settings.queue, settings.batch, settings.ttl, settings.wait);
        if (!claim.getId().isEmpty()) {
          handle(claim);
        }
      } catch (KvdbException unavailable) {
        pause();
      }
    }
  }

  private void handle(Claim claim) {
    List<String> handled = new ArrayList<>();
    boolean failed = false;
    for (Message message : claim.getMessagesList()) {
      try {
        settings.handler.handle(message);
        handled.add(message.getId());
      } catch (Exception handlerFailed) {
        failed = true;
      }
    }
    if (!handled.isEmpty()) {
      settings.client.messages().delete(settings.queue, handled, claim.getId());
    }
    if (failed) {
      settings.client.claims().release(settings.queue, claim.getId());
    }
  }

  private void pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /** Stops claiming; waits for the batches in hand (and any long poll) to finish. */
  @Override
  public void close() {
    running = false;
    for (Thread worker : workers) {
      try {
        worker.join(settings.wait.plus(settings.client.deadline()).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Settings of a {@link Consumer}: threads, batch size, claim TTL and long-poll wait. */
  public static final class Builder {
    private final KvdbClient client;
    private final String queue;
    private final Handler handler;
    private int threads = 1;
    private int batch = 10;
    private Duration ttl = Duration.ofSeconds(60);
    private Duration wait = Duration.ofSeconds(20);

    Builder(KvdbClient client, String queue, Handler handler) {
      this.client = client;
      this.queue = Objects.requireNonNull(queue, "queue");
      this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** Claiming threads; default 1. */
    public Builder threads(int count) {
      this.threads = count;
      return this;
    }

    /** Messages per claim; default 10. */
    public Builder batch(int size) {
      this.batch = size;
      return this;
    }

    /** How long a batch is held (and grace); default 60 s. Handle a batch well within it. */
    public Builder ttl(Duration claimTtl) {
      this.ttl = claimTtl;
      return this;
    }

    /** How long one claim waits for messages; default 20 s. */
    public Builder wait(Duration longPoll) {
      this.wait = longPoll;
      return this;
    }

    public Consumer start() {
      return new Consumer(this).start();
    }
  }
}
