package io.kvdb.gateway.quotas;

import io.grpc.stub.StreamObserver;
import io.kvdb.gateway.api.Bounds;
import io.kvdb.gateway.api.InvalidArgumentException;
import io.kvdb.gateway.api.Names;
import io.kvdb.gateway.api.ProtoTime;
import io.kvdb.gateway.api.Unary;
import io.kvdb.lua.quotas.Quota;
import io.kvdb.lua.quotas.QuotaState;
import io.kvdb.lua.quotas.QuotaUsage;
import io.kvdb.lua.quotas.Quotas;
import io.kvdb.proto.v1.GetQuotaRequest;
import io.kvdb.proto.v1.GetQuotaResponse;
import io.kvdb.proto.v1.QuotaServiceGrpc;
import io.kvdb.proto.v1.SetQuotaRequest;
import io.kvdb.proto.v1.SetQuotaResponse;
import java.time.Instant;

/** Administrators set and read any project's quota (quotas.proto). */
public final class QuotaService extends QuotaServiceGrpc.QuotaServiceImplBase {
  private static final long MAX_COUNT = 1_000_000;
  private static final long MAX_MESSAGES = 1_000_000_000_000L;
  private static final long MAX_BYTES = 1_000_000_000_000_000L;
  private static final long MAX_BURST = 10_000_000;

  private final Quotas quotas;
  private final QuotaCache cache;

  public QuotaService(Quotas quotas, QuotaCache cache) {
    this.quotas = quotas;
    this.cache = cache;
  }

  @Override
  public void setQuota(SetQuotaRequest request, StreamObserver<SetQuotaResponse> observer) {
    Unary.respond(
        observer,
        () -> {
          String project = Names.project("project", request.getProject());
          Quota quota = validated(request.getQuota());
          quotas.set(project, quota);
          cache.forget(project);
          return SetQuotaResponse.newBuilder().setQuota(toProto(quota)).build();
        });
  }

  @Override
  public void getQuota(GetQuotaRequest request, StreamObserver<GetQuotaResponse> observer) {
    Unary.respond(
        observer,
        () -> {
          QuotaState state = quotas.get(Names.project("project", request.getProject()));
          QuotaUsage usage = state.usage();
          var proto =
              io.kvdb.proto.v1.QuotaUsage.newBuilder()
                  .setQueues(usage.queues())
                  .setChannels(usage.channels())
                  .setMessages(usage.messages())
                  .setBytes(usage.bytes());
          if (usage.measuredAtMs() > 0) {
            proto.setMeasuredAt(ProtoTime.timestamp(Instant.ofEpochMilli(usage.measuredAtMs())));
          }
          return GetQuotaResponse.newBuilder()
              .setQuota(toProto(state.quota()))
              .setUsage(proto)
              .build();
        });
  }

  private static Quota validated(io.kvdb.proto.v1.Quota quota) {
    Quota valid =
        new Quota(
            Bounds.within("quota.max_queues", quota.getMaxQueues(), 0, MAX_COUNT),
            Bounds.within("quota.max_messages", quota.getMaxMessages(), 0, MAX_MESSAGES),
            Bounds.within("quota.max_bytes", quota.getMaxBytes(), 0, MAX_BYTES),
            Bounds.within("quota.max_channels", quota.getMaxChannels(), 0, MAX_COUNT),
            Bounds.within("quota.requests_per_second", quota.getRequestsPerSecond(), 0, MAX_COUNT),
            Bounds.within("quota.burst", quota.getBurst(), 0, MAX_BURST));
    if (valid.burst() > 0 && !valid.limitsRate()) {
      throw new InvalidArgumentException("quota.burst", "needs a requests_per_second above 0");
    }
    return valid;
  }

  private static io.kvdb.proto.v1.Quota toProto(Quota quota) {
    return io.kvdb.proto.v1.Quota.newBuilder()
        .setMaxQueues(quota.maxQueues())
        .setMaxMessages(quota.maxMessages())
        .setMaxBytes(quota.maxBytes())
        .setMaxChannels(quota.maxChannels())
        .setRequestsPerSecond(quota.requestsPerSecond())
        .setBurst(quota.burst())
        .build();
  }
}
