package io.kvdb.gateway.queues;

import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import io.kvdb.gateway.api.CallContext;
import io.kvdb.gateway.api.InvalidArgumentException;
import io.kvdb.gateway.api.Names;
import io.kvdb.gateway.api.PageRequest;
import io.kvdb.gateway.api.ProtoTime;
import io.kvdb.gateway.api.Unary;
import io.kvdb.gateway.messages.MessageLimits;
import io.kvdb.gateway.pools.PoolConnection;
import io.kvdb.gateway.pools.PoolService;
import io.kvdb.gateway.pools.QueueRouter;
import io.kvdb.gateway.pools.SplitReads;
import io.kvdb.gateway.pools.SplitWrites;
import io.kvdb.gateway.quotas.QuotaChecks;
import io.kvdb.lua.migrations.Migrations;
import io.kvdb.lua.queues.DatedMessage;
import io.kvdb.lua.queues.MetadataUpdate;
import io.kvdb.lua.queues.QueueCounts;
import io.kvdb.lua.queues.QueueInfo;
import io.kvdb.lua.queues.QueueMetadata;
import io.kvdb.lua.queues.QueuePage;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.queues.Queues;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kvdb.v1.QueueService}: validates, calls {@link Queues} in the queue's pool (both pools
 * while a migration splits it: {@link SplitReads}, {@link SplitWrites}), maps records to proto.
 */
public final class QueueService extends QueueServiceGrpc.QueueServiceImplBase {
  static final int DEFAULT_PAGE_SIZE = 10;
  static final int MAX_PAGE_SIZE = 1000;

  private final QueueRouter router;
  private final MessageLimits limits;
  private final QuotaChecks quotaChecks;
  private final Migrations migrations;

  public QueueService(
      QueueRouter router, MessageLimits limits, QuotaChecks quotaChecks, Migrations migrations) {
    this.quotaChecks = quotaChecks;
    this.migrations = migrations;
    this.router = router;
    this.limits = limits;
  }

  @Override
  public void createQueue(
      CreateQueueRequest request, StreamObserver<CreateQueueResponse> observer) {
    Unary.respond(
        observer,
        () -> {
          QueueRef queue = CallContext.queue("name", request.getName());
          var metadata = metadata(queue, request.getMetadata(), true);
          quotaChecks.admitNewQueue(queue);
          String flavor =
              metadata.get(ReservedMetadata.FLAVOR) instanceof String named ? named : "";
          return router.call(
              queue,
              existing -> {
                PoolConnection pool = router.placeForCreate(queue, flavor).pool();
                var creation = pool.queues().create(queue, metadata);
                return CreateQueueResponse.newBuilder()
                    .setQueue(toProto(creation.queue(), pool.name()))
                    .setCreated(creation.created())
                    .build();
              });
        });
  }

  @Override
  public void getQueue(GetQueueRequest request, StreamObserver<Queue> observer) {
    Unary.respond(
        observer,
        () -> {
          QueueRef queue = CallContext.queue("name", request.getName());
          QueueRouter.Route route = router.route(queue);
          Queue found = toProto(route.pool().queues().get(queue), route.pool().name());
          if (route.from().isEmpty()) {
            return found; // not split: no migration runs, or this gateway has yet to learn of it
          }
          return SplitWrites.running(migrations, queue)
              .map(record -> found.toBuilder().setMigration(PoolService.toProto(record)).build())
              .orElse(found);
        });
  }

  @Override
  public void listQueues(ListQueuesRequest request, StreamObserver<ListQueuesResponse> observer) {
    Unary.respond(
        observer,
        () -> {
          String prefix = Names.prefix("prefix", request.getPrefix());
          PageRequest page =
              PageRequest.of(
                  request.getPageSize(), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, request.getPageToken());
          if (page.after() != null && !page.after().startsWith(prefix)) {
            throw new InvalidArgumentException(
                "page_token", "belongs to a listing with another prefix");
          }
          String project = CallContext.project();
          QueuePage found =
              router.defaultPool().queues().list(project, prefix, page.after(), page.size(), false);
          ListQueuesResponse.Builder response = ListQueuesResponse.newBuilder();
          List<QueueInfo> queues =
              request.getIncludeMetadata() ? withMetadata(project, found.queues()) : found.queues();
          queues.forEach(queue -> response.addQueues(toProto(queue, "")));
          if (found.hasMore()) {
            response.setNextPageToken(PageRequest.tokenAfter(found.nextAfter()));
          }
          return response.build();
        });
  }

  /**
   * Each queue's metadata, read in its own pool (one pipeline per pool), in the order of the names;
   * a queue gone meanwhile is left out.
   */
  private List<QueueInfo> withMetadata(String project, List<QueueInfo> names) {
    Map<String, PoolConnection> pools = new HashMap<>();
    Map<String, List<String>> byPool = new LinkedHashMap<>();
    for (QueueInfo name : names) {
      PoolConnection pool = router.route(new QueueRef(project, name.name())).pool();
      pools.putIfAbsent(pool.name(), pool);
      byPool.computeIfAbsent(pool.name(), p -> new ArrayList<>()).add(name.name());
    }
    Map<String, QueueInfo> found = new HashMap<>();
    byPool.forEach(
        (pool, inPool) ->
            pools
                .get(pool)
                .queues()
                .withMetadata(project, inPool)
                .forEach(queue -> found.put(queue.name(), queue)));
    List<QueueInfo> ordered = new ArrayList<>();
    for (QueueInfo name : names) {
      QueueInfo queue = found.get(name.name());
      if (queue != null) {
        ordered.add(queue);
      }
    }
    return ordered;
  }

  @Override
  public void updateQueue(UpdateQueueRequest request, StreamObserver<Queue> observer) {
    Unary.respond(
        observer,
        () -> {
          QueueRef queue = CallContext.queue("name", request.getName());
          MetadataUpdate mode =
              switch (request.getMode()) {
                case MODE_UNSPECIFIED, MERGE -> MetadataUpdate.MERGE;
                case REPLACE -> MetadataUpdate.REPLACE;
                case UNRECOGNIZED ->
                    throw new InvalidArgumentException("mode", "must be MERGE or REPLACE");
              };
          var metadata = metadata(queue, request.getMetadata(), mode == MetadataUpdate.REPLACE);
          return router.call(
              queue,
              route ->
                  toProto(SplitWrites.update(route, queue, metadata, mode), route.pool().name()));
        });
  }

  @Override
  public void deleteQueue(DeleteQueueRequest request, StreamObserver<Empty> observer) {
    Unary.respond(
        observer,
        () -> {
          QueueRef queue = CallContext.queue("name", request.getName());
          SplitWrites.delete(router, migrations, queue);
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void getQueueStats(GetQueueStatsRequest request, StreamObserver<QueueStats> observer) {
    Unary.respond(
        observer,
        () -> {
          QueueRef queue = CallContext.queue("name", request.getName());
          return toProto(SplitReads.stats(router.route(queue), queue));
        });
  }

  /**
   * Validates metadata from a request. {@code whole} metadata (create, replace) must fit the size
   * limit alone; a merge's result is measured by the script, against what is stored.
   */
  private Map<String, Object> metadata(
      QueueRef queue, com.google.protobuf.Struct struct, boolean whole) {
    Map<String, Object> metadata = StructValues.toMap(struct);
    ReservedMetadata.validate(queue.name(), metadata, limits);
    if (whole) {
      int size = QueueMetadata.sizeOf(metadata);
      if (size > QueueMetadata.MAX_BYTES) {
        throw new InvalidArgumentException(
            "metadata", "is " + size + " bytes, over the limit of " + QueueMetadata.MAX_BYTES);
      }
    }
    return metadata;
  }

  /** {@code pool} is empty where the call does not report it. */
  private static Queue toProto(QueueInfo queue, String pool) {
    Queue.Builder proto = Queue.newBuilder().setName(queue.name()).setPool(pool);
    if (queue.createdAt() != null) {
      proto.setCreateTime(ProtoTime.timestamp(queue.createdAt()));
      proto.setMetadata(StructValues.toStruct(queue.metadata()));
    }
    return proto.build();
  }

  private static QueueStats toProto(QueueCounts counts) {
    QueueStats.Builder stats =
        QueueStats.newBuilder()
            .setFree(counts.free())
            .setClaimed(counts.claimed())
            .setDelayed(counts.delayed())
            .setTotal(counts.total());
    toProto(counts.oldest()).ifPresent(stats::setOldest);
    toProto(counts.newest()).ifPresent(stats::setNewest);
    return stats.build();
  }

  private static Optional<io.kvdb.proto.v1.MessageAge> toProto(Optional<DatedMessage> age) {
    return age.map(
        found ->
            io.kvdb.proto.v1.MessageAge.newBuilder()
                .setId(found.id())
                .setAge(ProtoTime.duration(found.age()))
                .setCreateTime(ProtoTime.timestamp(found.createdAt()))
                .build());
  }
}
