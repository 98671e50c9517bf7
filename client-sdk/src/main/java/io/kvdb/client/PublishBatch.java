package io.kvdb.client;

import io.kvdb.proto.v1.NewMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * The messages one {@link MessagePublisher} post carries, with the futures of their ids; {@link
 * #done()} completes after all of them have.
 */
final class PublishBatch {
  private final List<NewMessage> messages = new ArrayList<>();
  private final List<CompletableFuture<String>> ids = new ArrayList<>();
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private long bytes;
  private ScheduledFuture<?> delay;

  /** Bodies and attributes, as the gateway counts them against a post's size limit. */
  static long bytesOf(NewMessage message) {
    return message.getBody().size() + message.getAttributes().getSerializedSize();
  }

  void add(NewMessage message, long messageBytes, CompletableFuture<String> id) {
    messages.add(message);
    ids.add(id);
    bytes += messageBytes;
  }

  /** Sets the timer that posts this batch when its delay ends; cancelled by {@link #closed()}. */
  void delayEndsWith(ScheduledFuture<?> delay) {
    this.delay = delay;
  }

  void closed() {
    delay.cancel(false);
  }

  List<NewMessage> messages() {
    return messages;
  }

  int size() {
    return messages.size();
  }

  long bytes() {
    return bytes;
  }

  CompletableFuture<Void> done() {
    return done;
  }

  /** Completes each message's future with its id, or all of them with the post's failure. */
  void answered(List<String> postedIds, Throwable failure) {
    if (failure == null && postedIds.size() != ids.size()) {
      failure =
          new IllegalStateException(
              "the gateway answered " + postedIds.size() + " ids for " + ids.size() + " messages");
    }
    for (int i = 0; i < ids.size(); i++) {
      if (failure == null) {
        ids.get(i).complete(postedIds.get(i));
      } else {
        ids.get(i).completeExceptionally(KvdbException.from(failure));
      }
    }
    done.complete(null);
  }
}
