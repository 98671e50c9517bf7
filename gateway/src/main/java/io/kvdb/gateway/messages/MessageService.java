package io.kvdb.gateway.messages;

import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import io.kvdb.gateway.api.Bounds;
import io.kvdb.gateway.api.CallContext;
import io.kvdb.gateway.api.Durations;
import io.kvdb.gateway.api.Ids;
import io.kvdb.gateway.api.Names;
import io.kvdb.gateway.api.PageRequest;
import io.kvdb.gateway.api.Unary;
import io.kvdb.gateway.pools.PoolConnection;
import io.kvdb.gateway.pools.QueueRouter;
import io.kvdb.gateway.pools.SplitQueue;
import io.kvdb.gateway.pools.SplitReads;
import io.kvdb.gateway.quotas.QuotaChecks;
import io.kvdb.lua.messages.MessagePage;
import io.kvdb.lua.messages.MessageToPost;
import io.kvdb.lua.messages.Messages;
import io.kvdb.lua.messages.Messages.IdempotencyKey;
import io.kvdb.lua.messages.Messages.PostOutcome;
import io.kvdb.lua.messages.StoredMessage;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.script.Reason;
import io.kvdb.lua.script.ScriptRefusedException;
import io.kvdb.proto.StructValues;
import io.kvdb.proto.v1.DeleteMessagesRequest;
import io.kvdb.proto.v1.GetMessagesRequest;
import io.kvdb.proto.v1.GetMessagesResponse;
import io.kvdb.proto.v1.ListMessagesRequest;
import io.kvdb.proto.v1.ListMessagesResponse;
import io.kvdb.proto.v1.MessageServiceGrpc;
import io.kvdb.proto.v1.PopMessagesRequest;
import io.kvdb.proto.v1.PopMessagesResponse;
import io.kvdb.proto.v1.PostMessagesRequest;
import io.kvdb.proto.v1.PostMessagesResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kvdb.v1.MessageService}: validates, calls {@link Messages} in the queue's pool (both pools
 * while a migration splits it: {@link SplitQueue}, {@link SplitReads}), maps records to proto.
 */
public final class MessageService extends MessageServiceGrpc.MessageServiceImplBase {
  static final int MAX_BATCH = 1000;
  static final int DEFAULT_PAGE_SIZE = 10;
  static final int MAX_PAGE_SIZE = 100;

  /** Messages a list may examine beyond its page (claimed, delayed or echoed ones it skips). */
  static final int LIST_SCAN_BUDGET = 2000;

  private final QueueRouter router;
  private final MessageLimits limits;
  private final QuotaChecks quotaChecks;

  public MessageService(QueueRouter router, MessageLimits limits, QuotaChecks quotaChecks) {
    this.quotaChecks = quotaChecks;
    this.router = router;
    this.limits = limits;
  }

  @Override
  public void postMessages(
      PostMessagesRequest request, StreamObserver<PostMessagesResponse> observer) {
    Unary.respond(
        observer,
        () -> {
          QueueRef queue = CallContext.queue("queue", request.getQueue());
          int count = request.getMessagesCount();
          Bounds.count("messages", count, 1, MAX_BATCH);
          IdempotencyKey idempotency =
              request.getIdempotencyKey().isEmpty()
                  ? null
                  : new IdempotencyKey(
                      Names.idempotencyKey("idempotency_key", request.getIdempotencyKey()),
                      limits.idempotencyWindow());
          List<MessageToPost> batch = new ArrayList<>(count);
          long bytes = 0;
          for (int i = 0; i < count; i++) {
            var message = request.getMessages(i);
            // As the script counts (body and msgpack attributes), near enough for a quota check.
            bytes += message.getBody().size() + message.getAttributes().getSerializedSize();
            String field = "messages." + i;
            Duration ttl =
                message.hasTtl()
                    ? Durations.within(
                        field + ".ttl", true, message.getTtl(), limits.minTtl(), limits.maxTtl())
                    : null;
            Duration delay =
                message.hasDelay()
                    ? Durations.within(
                        field + ".delay",
                        true,
                        message.getDelay(),
                        Duration.ZERO,
                        limits.maxDelay())
                    : null;
            batch.add(
                new MessageToPost(
                    Ids.random(),
                    message.getBody().toByteArray(),
                    StructValues.toMap(message.getAttributes()),
                    ttl,
                    delay));
          }
          boolean quotaAllowsCreate = quotaChecks.checkPost(queue.project(), count, bytes);
          PostOutcome posted =
              router.call(
                  queue, route -> post(queue, route, batch, idempotency, quotaAllowsCreate));
          return PostMessagesResponse.newBuilder().addAllMessageIds(posted.ids()).build();
        });
  }

  /**
   * Posts in one round trip to a queue that exists. A missing queue is created where the post went
   * when it may be: not when its project limits queues (it is admitted first, exactly), nor when it
   * has no placement while other pools exist (it is placed first).
   */
  private PostOutcome post(
      QueueRef queue,
      QueueRouter.Route route,
      List<MessageToPost> batch,
      IdempotencyKey idempotency,
      boolean quotaAllowsCreate) {
    PoolConnection pool = route.pool();
    boolean mayCreateQueue = quotaAllowsCreate && router.mayCreateIn(route);
    PostOutcome posted;
    try {
      posted = post(pool, queue, batch, idempotency, mayCreateQueue);
    } catch (ScriptRefusedException missing) {
      if (mayCreateQueue || missing.reason() != Reason.NOT_FOUND) {
        throw missing;
      }
      if (!quotaAllowsCreate) {
        quotaChecks.admit(queue);
      }
      pool = router.placeForCreate(queue, "").pool();
      posted = post(pool, queue, batch, idempotency, true);
    }
    if (posted.unregistered()) {
      pool.queues().register(queue);
    }
    return posted;
  }

  private PostOutcome post(
      PoolConnection pool,
      QueueRef queue,
      List<MessageToPost> batch,
      IdempotencyKey idempotency,
      boolean mayCreateQueue) {
    return pool.messages()
        .post(
            queue,
            CallContext.clientId(),
            batch,
            limits.defaultTtl(),
            limits.defaultMaxPostBytes(),
            idempotency,
            mayCreateQueue);
  }

  @Override
  public void listMessages(
      ListMessagesRequest request, StreamObserver<ListMessagesResponse> observer) {
    Unary.respond(
        observer,
        () -> {
          QueueRef queue = CallContext.queue("queue", request.getQueue());
          PageRequest page =
              PageRequest.of(
                  request.getPageSize(), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, request.getPageToken());
          MessagePage found =
              SplitReads.list(
                  router.route(queue),
                  pool ->
                      pool.messages()
                          .list(
                              queue,
                              page.afterNumber(),
                              page.size(),
                              request.getEcho(),
                              CallContext.clientId(),
                              request.getIncludeClaimed(),
                              request.getIncludeDelayed(),
                              LIST_SCAN_BUDGET),
                  page.size());
          ListMessagesResponse.Builder response = ListMessagesResponse.newBuilder();
          found.messages().forEach(message -> response.addMessages(MessageProtos.toProto(message)));
          if (found.continueAfterRank() != null) {
            response.setNextPageToken(
                PageRequest.tokenAfter(Long.toString(found.continueAfterRank())));
          }
          return response.build();
        });
  }

  @Override
  public void getMessages(
      GetMessagesRequest request, StreamObserver<GetMessagesResponse> observer) {
    Unary.respond(
        observer,
        () -> {
          QueueRef queue = CallContext.queue("queue", request.getQueue());
          List<String> ids = Ids.valid("ids", request.getIdsList(), MAX_BATCH);
          List<StoredMessage> found = SplitReads.get(router.route(queue), queue, ids);
          if (ids.size() == 1 && found.isEmpty()) {
            throw new ScriptRefusedException(Reason.NOT_FOUND, "message does not exist");
          }
          GetMessagesResponse.Builder response = GetMessagesResponse.newBuilder();
          found.forEach(message -> response.addMessages(MessageProtos.toProto(message)));
          return response.build();
        });
  }

  @Override
  public void deleteMessages(DeleteMessagesRequest request, StreamObserver<Empty> observer) {
    Unary.respond(
        observer,
        () -> {
          QueueRef queue = CallContext.queue("queue", request.getQueue());
          List<String> ids = Ids.valid("ids", request.getIdsList(), MAX_BATCH);
          String claimId =
              request.getClaimId().isEmpty() ? "" : Ids.valid("claim_id", request.getClaimId());
          // A message in a migration's transit answers MOVED until the step stored it.
          router.call(
              queue,
              route -> {
                SplitQueue.delete(route, queue, ids, claimId);
                return null;
              });
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void popMessages(
      PopMessagesRequest request, StreamObserver<PopMessagesResponse> observer) {
    Unary.respond(
        observer,
        () -> {
          QueueRef queue = CallContext.queue("queue", request.getQueue());
          int count =
              request.getCount() == 0
                  ? 1
                  : Bounds.within("count", request.getCount(), 1, MAX_BATCH);
          PopMessagesResponse.Builder response = PopMessagesResponse.newBuilder();
          SplitReads.pop(router.route(queue), queue, count)
              .forEach(message -> response.addMessages(MessageProtos.toProto(message)));
          return response.build();
        });
  }
}
