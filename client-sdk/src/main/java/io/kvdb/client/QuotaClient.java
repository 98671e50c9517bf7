package io.kvdb.client;

import io.kvdb.proto.v1.GetQuotaRequest;
import io.kvdb.proto.v1.GetQuotaResponse;
import io.kvdb.proto.v1.QuotaServiceGrpc;
import io.kvdb.proto.v1.SetQuotaRequest;
import java.util.concurrent.CompletableFuture;

/**
 * Per-project quotas; every call needs an administrator's credential and names its project (any
 * project, not the client's). Each call blocks, and its {@code ...Async} twin returns a {@link
 * CompletableFuture}. A call over a quota fails with {@code RESOURCE_EXHAUSTED}, reason {@code
 * LIMIT}, and {@link KvdbException#quota()} and {@link KvdbException#retryDelay()} say which quota
 * and how long to wait.
 *
 * <pre>{@code
 * kvdb.admin().quotas().set("billing", QuotaLimits.newBuilder().setMaxQueues(100).build());
 * long queues = kvdb.admin().quotas().get("billing").usage().queues();
 * }</pre>
 */
public final class QuotaClient {
  private final KvdbClient client;

  QuotaClient(KvdbClient client) {
    this.client = client;
  }

  /** Replaces the project's quota (applied at once here, on other gateways within a refresh). */
  public QuotaLimits set(String project, QuotaLimits limits) {
    return Calls.await(setAsync(project, limits));
  }

  public CompletableFuture<QuotaLimits> setAsync(String project, QuotaLimits limits) {
    SetQuotaRequest request =
        SetQuotaRequest.newBuilder()
            .setProject(project)
            .setQuota(Check.notNull("limits", limits).toProto())
            .build();
    return Calls.unary(stub()::setQuota, request)
        .thenApply(response -> QuotaLimits.of(response.getQuota()));
  }

  /** The project's quota and usage. */
  public ProjectQuota get(String project) {
    return Calls.await(getAsync(project));
  }

  public CompletableFuture<ProjectQuota> getAsync(String project) {
    return Calls.unary(stub()::getQuota, GetQuotaRequest.newBuilder().setProject(project).build())
        .thenApply(QuotaClient::projectQuota);
  }

  private static ProjectQuota projectQuota(GetQuotaResponse response) {
    return new ProjectQuota(
        QuotaLimits.of(response.getQuota()), ProjectUsage.of(response.getUsage()));
  }

  private QuotaServiceGrpc.QuotaServiceStub stub() {
    return client.unaryStub(QuotaServiceGrpc.newStub(client.channel()));
  }
}
