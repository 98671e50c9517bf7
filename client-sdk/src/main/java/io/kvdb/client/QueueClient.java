package io.kvdb.client;

import com.google.protobuf.Empty;
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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;

/**
 * The project's queues: each method blocks, and its {@code ...Async} twin returns a
 * {@link CompletableFuture}. Failures are {@link KvdbException}s. Metadata goes in as a plain map
 * of JSON-like values and comes back as the {@code google.protobuf.Struct} of the reply
 * ({@link StructValues#toMap} turns it into a map).
 */
public final class QueueClient {
  private final KvdbClient client;

  QueueClient(KvdbClient client) {
    this.client = client;
  }

  /** Creates a queue, or returns the existing one unchanged ({@code created} says which). */
  public CreateQueueResponse create(String name, Map<String, ?> metadata) {
    return Calls.blocking(() -> blocking().createQueue(createRequest(name, metadata)));
  }

  public CreateQueueResponse create(String name) {
    return create(name, Map.of());
  }

  public CompletableFuture<CreateQueueResponse> createAsync(String name, Map<String, ?> metadata) {
    return Calls.async(async()::createQueue, createRequest(name, metadata));
  }

  /** The queue with its metadata; {@code NOT_FOUND} when it does not exist. */
  public Queue get(String name) {
    return Calls.blocking(() -> blocking().getQueue(getRequest(name)));
  }

  public CompletableFuture<Queue> getAsync(String name) {
    return Calls.async(async()::getQueue, getRequest(name));
  }

  /** One page of queues, as the request asks. */
  public ListQueuesResponse list(ListQueuesRequest request) {
    return Calls.blocking(() -> blocking().listQueues(request));
  }

  public CompletableFuture<ListQueuesResponse> listAsync(ListQueuesRequest request) {
    return Calls.async(async()::listQueues, request);
  }

  /** Every queue whose name starts with {@code prefix}, in name order, fetching pages lazily. */
  public Iterable<Queue> listAll(String prefix, boolean includeMetadata) {
    ListQueuesRequest first = ListQueuesRequest.newBuilder()
        .setPrefix(prefix)
        .setIncludeMetadata(includeMetadata)
        .setPageSize(1000)
        .build();
    return () -> new PageWalker(first);
  }

  /** Merges into or replaces the queue's metadata; {@code NOT_FOUND} for a missing queue. */
  public Queue update(String name, Map<String, ?> metadata, UpdateQueueRequest.Mode mode) {
    return Calls.blocking(() -> blocking().updateQueue(updateRequest(name, metadata, mode)));
  }

  public CompletableFuture<Queue> updateAsync(String name, Map<String, ?> metadata, UpdateQueueRequest.Mode mode) {
    return Calls.async(async()::updateQueue, updateRequest(name, metadata, mode));
  }

  /** Deletes the queue and all it holds; a missing queue is fine. */
  public void delete(String name) {
    Calls.blocking(() -> blocking().deleteQueue(deleteRequest(name)));
  }

  public CompletableFuture<Void> deleteAsync(String name) {
    CompletableFuture<Empty> deleted = Calls.async(async()::deleteQueue, deleteRequest(name));
    return deleted.thenApply(empty -> null);
  }

  /** Message counts, oldest and newest message; {@code NOT_FOUND} for a missing queue. */
  public QueueStats stats(String name) {
    return Calls.blocking(() -> blocking().getQueueStats(statsRequest(name)));
  }

  public CompletableFuture<QueueStats> statsAsync(String name) {
    return Calls.async(async()::getQueueStats, statsRequest(name));
  }

  private QueueServiceGrpc.QueueServiceBlockingStub blocking() {
    return client.withDeadline(QueueServiceGrpc.newBlockingStub(client.channel()));
  }

  private QueueServiceGrpc.QueueServiceStub async() {
    return client.withDeadline(QueueServiceGrpc.newStub(client.channel()));
  }

  private static CreateQueueRequest createRequest(String name, Map<String, ?> metadata) {
    return CreateQueueRequest.newBuilder().setName(name).setMetadata(StructValues.toStruct(metadata)).build();
  }

  private static GetQueueRequest getRequest(String name) {
    return GetQueueRequest.newBuilder().setName(name).build();
  }

  private static UpdateQueueRequest updateRequest(String name, Map<String, ?> metadata, UpdateQueueRequest.Mode mode) {
    return UpdateQueueRequest.newBuilder()
        .setName(name)
        .setMetadata(StructValues.toStruct(metadata))
        .setMode(mode)
        .build();
  }

  private static DeleteQueueRequest deleteRequest(String name) {
    return DeleteQueueRequest.newBuilder().setName(name).build();
  }

  private static GetQueueStatsRequest statsRequest(String name) {
    return GetQueueStatsRequest.newBuilder().setName(name).build();
  }

  /** Walks pages on demand, following next_page_token until a page comes without one. */
  private final class PageWalker implements Iterator<Queue> {
    private ListQueuesRequest next;
    private Iterator<Queue> page = List.<Queue>of().iterator();

    PageWalker(ListQueuesRequest first) {
      this.next = first;
    }

    @Override
    public boolean hasNext() {
      while (!page.hasNext() && next != null) {
        ListQueuesResponse response = list(next);
        page = response.getQueuesList().iterator();
        next = response.getNextPageToken().isEmpty()
            ? null
            : next.toBuilder().setPageToken(response.getNextPageToken()).build();
      }
      return page.hasNext();
    }

    @Override
    public Queue next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return page.next();
    }
  }
}
