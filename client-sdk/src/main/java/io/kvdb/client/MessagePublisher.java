package io.kvdb.client;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.kvdb.proto.v1.NewMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Posts single messages to one queue in batches, as Pub/Sub's {@code Publisher}: {@link #publish}
 * returns the future of the message's id at once, and the message goes out with others in one
 * {@code PostMessages} call as the {@link PublisherOptions} say. Each batch is one post of {@link
 * MessageClient#postAsync(String, List)}, with its idempotency key and retries, so a retried batch
 * is stored once. A batch the gateway refuses fails the futures of its messages alone, with its
 * {@link KvdbException}; later batches still go. Its timers run on the client's one timer thread.
 *
 * <pre>{@code
 * try (MessagePublisher publisher = kvdb.messages().publisher("invoices")) {
 *   CompletableFuture<String> id = publisher.publish("first");
 * } // close() waits for every message's answer
 * }</pre>
 *
 * <p>Close a publisher before its client: a client closed first fails what was not yet answered.
 * Futures complete on the gRPC thread that read the reply, so a stage chained on one must not block
 * in {@code publish}: the room it waits for is freed on that thread.
 */
public final class MessagePublisher implements AutoCloseable {
  private final MessageClient messages;
  private final String queue;
  private final PublisherOptions options;
  private final ScheduledExecutorService timer;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition roomFreed = lock.newCondition();
  private PublishBatch gathering;
  private final Queue<PublishBatch> ready = new ArrayDeque<>();
  private final Set<PublishBatch> unanswered = new HashSet<>();
  private int inFlight;
  private int outstandingMessages;
  private long outstandingBytes;
  private boolean closed;

  MessagePublisher(
      MessageClient messages,
      String queue,
      PublisherOptions options,
      ScheduledExecutorService timer) {
    this.messages = messages;
    this.queue = Check.notNull("queue", queue);
    this.options = Check.notNull("options", options);
    this.timer = timer;
  }

  /** Publishes a UTF-8 text body with the queue's default TTL and delay. */
  public CompletableFuture<String> publish(String body) {
    Check.notNull("body", body);
    return publish(NewMessage.newBuilder().setBody(ByteString.copyFromUtf8(body)).build());
  }

  /**
   * Publishes a message (its body, attributes, TTL and delay as {@link MessageClient#post} takes
   * them) and returns the future of its id. Blocks while the publisher has as many messages or
   * bytes outstanding as its options allow, or its most batches in flight and one more waiting. The
   * future fails with an {@link IllegalArgumentException} for a message larger than {@code
   * maxBatchBytes}, and with the batch's {@link KvdbException} when the gateway refuses the batch
   * (a TTL out of bounds, say, refuses every message posted with it).
   *
   * @throws IllegalStateException once the publisher is closed
   */
  public CompletableFuture<String> publish(NewMessage message) {
    long bytes = PublishBatch.bytesOf(Check.notNull("message", message));
    if (bytes > options.maxBatchBytes()) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "message body and attributes take "
                  + bytes
                  + " bytes, more than the publisher's maxBatchBytes "
                  + options.maxBatchBytes()));
    }
    CompletableFuture<String> id = new CompletableFuture<>();
    lock.lock();
    try {
      if (!awaitRoom(bytes)) {
        return CompletableFuture.failedFuture(interrupted());
      }
      if (gathering != null && gathering.bytes() + bytes > options.maxBatchBytes()) {
        closeGathering();
      }
      if (gathering == null) {
        gathering = startBatch();
      }
      gathering.add(message, bytes, id);
      outstandingMessages++;
      outstandingBytes += bytes;
      if (gathering.size() == options.maxBatchMessages()
          || gathering.bytes() == options.maxBatchBytes()) {
        closeGathering();
      }
    } finally {
      lock.unlock();
    }
    sendReady();
    return id;
  }

  /**
   * Waits, holding the lock, until the message fits the flow-control limits; false if interrupted.
   * A full publisher first posts the batch it is gathering, as waiting for its delay frees nothing.
   */
  private boolean awaitRoom(long bytes) {
    while (true) {
      checkOpen();
      boolean full =
          outstandingMessages >= options.maxOutstandingMessages()
              || outstandingBytes + bytes > options.maxOutstandingBytes();
      boolean backlogged = inFlight >= options.maxBatchesInFlight() && !ready.isEmpty();
      if (!full && !backlogged) {
        return true;
      }
      if (full && !backlogged && gathering != null) {
        closeGathering();
        lock.unlock();
        try {
          sendReady();
        } finally {
          lock.lock();
        }
        continue;
      }
      try {
        roomFreed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  private PublishBatch startBatch() {
    PublishBatch batch = new PublishBatch();
    try {
      batch.delayEndsWith(
          timer.schedule(
              () -> delayEnded(batch), options.maxBatchDelay().toNanos(), TimeUnit.NANOSECONDS));
    } catch (RejectedExecutionException clientClosed) {
      throw new IllegalStateException("the publisher's KvdbClient is closed", clientClosed);
    }
    return batch;
  }

  private void delayEnded(PublishBatch batch) {
    lock.lock();
    try {
      if (gathering != batch) {
        return;
      }
      closeGathering();
    } finally {
      lock.unlock();
    }
    sendReady();
  }

  /** Under the lock: the batch being gathered takes no more and waits its turn to be posted. */
  private void closeGathering() {
    gathering.closed();
    ready.add(gathering);
    unanswered.add(gathering);
    gathering = null;
  }

  /** Posts the ready batches, in order, while fewer than the most are in flight. */
  private void sendReady() {
    List<PublishBatch> sending = new ArrayList<>();
    lock.lock();
    try {
      while (inFlight < options.maxBatchesInFlight() && !ready.isEmpty()) {
        sending.add(ready.remove());
        inFlight++;
      }
    } finally {
      lock.unlock();
    }
    for (PublishBatch batch : sending) {
      CompletableFuture<List<String>> posted;
      try {
        posted = messages.postAsync(queue, batch.messages());
      } catch (RuntimeException failure) {
        posted = CompletableFuture.failedFuture(failure);
      }
      posted.whenComplete((ids, failure) -> answered(batch, ids, failure));
    }
  }

  private void answered(PublishBatch batch, List<String> ids, Throwable failure) {
    lock.lock();
    try {
      inFlight--;
      outstandingMessages -= batch.size();
      outstandingBytes -= batch.bytes();
      roomFreed.signalAll();
    } finally {
      lock.unlock();
    }
    sendReady();
    batch.answered(ids, failure);
    lock.lock();
    try {
      unanswered.remove(batch);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Posts what is gathered and waits until every message published before this call is answered
   * (stored or failed, as its future says).
   *
   * @throws KvdbException {@code CANCELLED} if interrupted
   */
  public void flush() {
    CompletableFuture<Void> all;
    lock.lock();
    try {
      if (gathering != null) {
        closeGathering();
      }
      all =
          CompletableFuture.allOf(
              unanswered.stream().map(PublishBatch::done).toArray(CompletableFuture[]::new));
    } finally {
      lock.unlock();
    }
    sendReady();
    Calls.await(all);
  }

  /**
   * Refuses further publishes (with {@link IllegalStateException}, also to those blocked in {@link
   * #publish}), then {@link #flush flushes}.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      roomFreed.signalAll();
    } finally {
      lock.unlock();
    }
    flush();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the publisher to queue " + queue + " is closed");
    }
  }

  private static KvdbException interrupted() {
    return KvdbException.from(Status.CANCELLED.withDescription("interrupted").asRuntimeException());
  }
}
