package io.kvdb.client;

import com.google.protobuf.ByteString;
import io.kvdb.proto.v1.DeleteMessagesRequest;
import io.kvdb.proto.v1.GetMessagesRequest;
import io.kvdb.proto.v1.GetMessagesResponse;
import io.kvdb.proto.v1.ListMessagesRequest;
import io.kvdb.proto.v1.ListMessagesResponse;
import io.kvdb.proto.v1.Message;
import io.kvdb.proto.v1.MessageServiceGrpc;
import io.kvdb.proto.v1.NewMessage;
import io.kvdb.proto.v1.PopMessagesRequest;
import io.kvdb.proto.v1.PopMessagesResponse;
import io.kvdb.proto.v1.PostMessagesRequest;
import io.kvdb.proto.v1.PostMessagesResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A project's messages: post, list, get, delete and pop; each call blocks, and its {@code ...Async}
 * twin returns a {@link CompletableFuture}.
 *
 * <pre>{@code
 * List<String> ids = kvdb.messages().post("invoices", "first", "second");
 * List<Message> oldest = kvdb.messages().pop("invoices", 10);
 * }</pre>
 *
 * A client that posts many single messages gathers them into posts with a {@link #publisher}.
 */
public final class MessageClient {
  private final KvdbClient client;
  private final ScheduledExecutorService timer;

  MessageClient(KvdbClient client, ScheduledExecutorService timer) {
    this.client = client;
    this.timer = timer;
  }

  /** A publisher to the queue that batches single messages into posts, with the default options. */
  public MessagePublisher publisher(String queue) {
    return publisher(queue, PublisherOptions.DEFAULTS);
  }

  /** A publisher to the queue that batches single messages into posts as the options say. */
  public MessagePublisher publisher(String queue, PublisherOptions options) {
    return new MessagePublisher(this, queue, options, timer);
  }

  /**
   * Posts messages (1 to 1000) and returns their ids in order; creates the queue if missing. The
   * post carries a random idempotency key (unless the client's options turn keys off), so the
   * client's retry after {@code UNAVAILABLE} stores the messages once.
   */
  public List<String> post(String queue, List<NewMessage> messages) {
    return Calls.await(postAsync(queue, messages));
  }

  public CompletableFuture<List<String>> postAsync(String queue, List<NewMessage> messages) {
    return postAsync(queue, messages, PostOptions.DEFAULTS);
  }

  /**
   * Posts messages as the options say: with their idempotency key, a post repeated within the
   * gateway's window (default 5 min) stores nothing and returns the first post's ids.
   */
  public List<String> post(String queue, List<NewMessage> messages, PostOptions options) {
    return Calls.await(postAsync(queue, messages, options));
  }

  public CompletableFuture<List<String>> postAsync(
      String queue, List<NewMessage> messages, PostOptions options) {
    PostMessagesRequest.Builder request =
        PostMessagesRequest.newBuilder().setQueue(queue).addAllMessages(messages);
    options
        .idempotencyKey()
        .or(
            () ->
                client.postIdempotencyKeys()
                    ? Optional.of(UUID.randomUUID().toString())
                    : Optional.empty())
        .ifPresent(request::setIdempotencyKey);
    return Calls.unary(stub()::postMessages, request.build())
        .thenApply(PostMessagesResponse::getMessageIdsList);
  }

  /** Posts UTF-8 text bodies with the queue's default TTL and delay. */
  public List<String> post(String queue, String... bodies) {
    return Calls.await(postAsync(queue, bodies));
  }

  public CompletableFuture<List<String>> postAsync(String queue, String... bodies) {
    return postAsync(
        queue,
        Arrays.stream(bodies)
            .map(
                body ->
                    NewMessage.newBuilder()
                        .setBody(ByteString.copyFrom(body, StandardCharsets.UTF_8))
                        .build())
            .toList());
  }

  /** One page of the queue's messages, in FIFO order, as the options ask. */
  public ListMessagesResponse list(String queue, ListMessagesOptions options) {
    return Calls.await(listAsync(queue, options));
  }

  public CompletableFuture<ListMessagesResponse> listAsync(
      String queue, ListMessagesOptions options) {
    ListMessagesRequest request =
        ListMessagesRequest.newBuilder()
            .setQueue(queue)
            .setEcho(options.echo())
            .setIncludeClaimed(options.includeClaimed())
            .setIncludeDelayed(options.includeDelayed())
            .setPageSize(options.pageSize())
            .setPageToken(options.pageToken())
            .build();
    return Calls.unary(stub()::listMessages, request);
  }

  /** The live messages among the ids; a single unknown id asked alone is NOT_FOUND. */
  public List<Message> get(String queue, List<String> ids) {
    return Calls.await(getAsync(queue, ids));
  }

  public CompletableFuture<List<Message>> getAsync(String queue, List<String> ids) {
    GetMessagesRequest request =
        GetMessagesRequest.newBuilder().setQueue(queue).addAllIds(ids).build();
    return Calls.unary(stub()::getMessages, request)
        .thenApply(GetMessagesResponse::getMessagesList);
  }

  /** Deletes unclaimed messages, all or none. */
  public void delete(String queue, List<String> ids) {
    Calls.await(deleteAsync(queue, ids));
  }

  public CompletableFuture<Void> deleteAsync(String queue, List<String> ids) {
    return deleteAsync(queue, ids, "");
  }

  /** Deletes messages held by the claim, all or none. */
  public void delete(String queue, List<String> ids, String claimId) {
    Calls.await(deleteAsync(queue, ids, claimId));
  }

  public CompletableFuture<Void> deleteAsync(String queue, List<String> ids, String claimId) {
    DeleteMessagesRequest request =
        DeleteMessagesRequest.newBuilder()
            .setQueue(queue)
            .addAllIds(ids)
            .setClaimId(claimId)
            .build();
    return Calls.unary(stub()::deleteMessages, request).thenApply(empty -> null);
  }

  /** Removes and returns up to {@code count} of the oldest free messages. */
  public List<Message> pop(String queue, int count) {
    return Calls.await(popAsync(queue, count));
  }

  public CompletableFuture<List<Message>> popAsync(String queue, int count) {
    PopMessagesRequest request =
        PopMessagesRequest.newBuilder().setQueue(queue).setCount(count).build();
    return Calls.unary(stub()::popMessages, request)
        .thenApply(PopMessagesResponse::getMessagesList);
  }

  private MessageServiceGrpc.MessageServiceStub stub() {
    return client.unaryStub(MessageServiceGrpc.newStub(client.channel()));
  }
}
