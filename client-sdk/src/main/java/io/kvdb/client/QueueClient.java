package io.kvdb.client;

import io.kvdb.proto.StructValues;
import io.kvdb.proto.v1.CreateQueueRequest;
import io.kvdb.proto.v1.CreateQueueResponse;
import io.kvdb.proto.v1.DeleteQueueRequest;
import io.kvdb.proto.v1.GetQueueRequest;
import io.kvdb.proto.v1.GetQueueStatsRequest;
import io.kvdb.proto.v1.ListQueuesRequest;
import io.kvdb.proto.v1.ListQueuesResponse;
import io.kvdb.proto.v1.Queue;
import io.kvdb.proto.v1.QueueServiceGrpc;
import io.kvdb.proto.v1.QueueStats;
import io.kvdb.proto.v1.UpdateQueueRequest;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The project's queues: each method blocks, and its {@code ...Async} twin returns a {@link
 * CompletableFuture}. Failures are {@link KvdbException}s. Metadata goes in as a plain map of
 * JSON-like values and comes back as the {@code google.protobuf.Struct} of the reply ({@link
 * StructValues#toMap} turns it into a map).
 *
 * <pre>{@code
 * kvdb.queues().create("invoices", Map.of("_max_claim_count", 5));
 * QueueStats stats = kvdb.queues().stats("invoices");
 * kvdb.queues().updateAsync("invoices", Map.of("owner", "ops"), Mode.MERGE).join();
 * }</pre>
 */
public final class QueueClient {
  private final KvdbClient client;

  QueueClient(KvdbClient client) {
    this.client = client;
  }

  /** Creates a queue without metadata, or returns the existing one unchanged. */
  public CreateQueueResponse create(String name) {
    return create(name, Map.of());
  }

  public CompletableFuture<CreateQueueResponse> createAsync(String name) {
    return createAsync(name, Map.of());
  }

  /** Creates a queue, or returns the existing one unchanged ({@code created} says which). */
  public CreateQueueResponse create(String name, Map<String, ?> metadata) {
    return Calls.await(createAsync(name, metadata));
  }

  public CompletableFuture<CreateQueueResponse> createAsync(String name, Map<String, ?> metadata) {
    CreateQueueRequest request =
        CreateQueueRequest.newBuilder()
            .setName(name)
            .setMetadata(StructValues.toStruct(metadata))
            .build();
    return Calls.unary(stub()::createQueue, request);
  }

  /** The queue with its metadata; {@code NOT_FOUND} when it does not exist. */
  public Queue get(String name) {
    return Calls.await(getAsync(name));
  }

  public CompletableFuture<Queue> getAsync(String name) {
    return Calls.unary(stub()::getQueue, GetQueueRequest.newBuilder().setName(name).build());
  }

  /** One page of queues, as the options ask. */
  public ListQueuesResponse list(ListQueuesOptions options) {
    return Calls.await(listAsync(options));
  }

  public CompletableFuture<ListQueuesResponse> listAsync(ListQueuesOptions options) {
    return Calls.unary(stub()::listQueues, listRequest(options));
  }

  /**
   * Every queue the options select, in name order, fetching pages (of 1000 unless the options say
   * otherwise) lazily as the iteration goes; no async twin, as it is itself lazy.
   */
  public Iterable<Queue> listAll(ListQueuesOptions options) {
    ListQueuesRequest first = listRequest(options);
    ListQueuesRequest sized =
        first.getPageSize() == 0 ? first.toBuilder().setPageSize(1000).build() : first;
    return new Pages<>(
        sized,
        request -> Calls.unary(stub()::listQueues, request),
        ListQueuesResponse::getQueuesList,
        ListQueuesResponse::getNextPageToken,
        (request, token) -> request.toBuilder().setPageToken(token).build());
  }

  /** Merges into or replaces the queue's metadata; {@code NOT_FOUND} for a missing queue. */
  public Queue update(String name, Map<String, ?> metadata, UpdateQueueRequest.Mode mode) {
    return Calls.await(updateAsync(name, metadata, mode));
  }

  public CompletableFuture<Queue> updateAsync(
      String name, Map<String, ?> metadata, UpdateQueueRequest.Mode mode) {
    UpdateQueueRequest request =
        UpdateQueueRequest.newBuilder()
            .setName(name)
            .setMetadata(StructValues.toStruct(metadata))
            .setMode(mode)
            .build();
    return Calls.unary(stub()::updateQueue, request);
  }

  /** Deletes the queue and all it holds; a missing queue is fine. */
  public void delete(String name) {
    Calls.await(deleteAsync(name));
  }

  public CompletableFuture<Void> deleteAsync(String name) {
    return Calls.unary(stub()::deleteQueue, DeleteQueueRequest.newBuilder().setName(name).build())
        .thenApply(empty -> null);
  }

  /** Message counts, oldest and newest message; {@code NOT_FOUND} for a missing queue. */
  public QueueStats stats(String name) {
    return Calls.await(statsAsync(name));
  }

  public CompletableFuture<QueueStats> statsAsync(String name) {
    return Calls.unary(
        stub()::getQueueStats, GetQueueStatsRequest.newBuilder().setName(name).build());
  }

  private QueueServiceGrpc.QueueServiceStub stub() {
    return client.unaryStub(QueueServiceGrpc.newStub(client.channel()));
  }

  private static ListQueuesRequest listRequest(ListQueuesOptions options) {
    return ListQueuesRequest.newBuilder()
        .setPrefix(options.prefix())
        .setIncludeMetadata(options.includeMetadata())
        .setPageSize(options.pageSize())
        .setPageToken(options.pageToken())
        .build();
  }
}
