package io.kvdb.client;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import io.kvdb.proto.v1.DeleteServiceStatsRequest;
import io.kvdb.proto.v1.GetSamplesRequest;
import io.kvdb.proto.v1.GetSamplesResponse;
import io.kvdb.proto.v1.GetServiceSettingsRequest;
import io.kvdb.proto.v1.GetServiceStatsRequest;
import io.kvdb.proto.v1.Invocation;
import io.kvdb.proto.v1.ListServicesRequest;
import io.kvdb.proto.v1.ListServicesResponse;
import io.kvdb.proto.v1.ListSlowResponsesRequest;
import io.kvdb.proto.v1.ListSlowResponsesResponse;
import io.kvdb.proto.v1.RecordRequest;
import io.kvdb.proto.v1.RecordResponse;
import io.kvdb.proto.v1.RollupRequest;
import io.kvdb.proto.v1.RollupResponse;
import io.kvdb.proto.v1.Sample;
import io.kvdb.proto.v1.ServiceSettings;
import io.kvdb.proto.v1.ServiceStats;
import io.kvdb.proto.v1.StatsServiceGrpc;
import io.kvdb.proto.v1.TopServicesRequest;
import io.kvdb.proto.v1.TopServicesResponse;
import io.kvdb.proto.v1.UpdateServiceSettingsRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Service statistics: record invocations (directly, or timed and batched in the background by a
 * {@link StatsRecorder}), query series and rankings, samples and slow responses. Each call blocks,
 * and its {@code ...Async} twin returns a {@link CompletableFuture}.
 *
 * <pre>{@code
 * try (StatsRecorder stats = kvdb.stats().recorder()) {
 *   stats.time("billing.create-invoice", () -> createInvoice(order));
 * }
 * List<Sample> slowest = kvdb.stats().slowest("billing.create-invoice", 10);
 * }</pre>
 */
public final class StatsClient {
  private final KvdbClient client;

  StatsClient(KvdbClient client) {
    this.client = client;
  }

  /** Records 1 to 1000 invocations in one call; one the gateway refuses refuses them all. */
  public void record(List<Invocation> invocations) {
    Calls.await(recordAsync(invocations));
  }

  public CompletableFuture<Void> recordAsync(List<Invocation> invocations) {
    RecordRequest request = RecordRequest.newBuilder().addAllInvocations(invocations).build();
    return Calls.unary(stub()::record, request).thenApply(response -> null);
  }

  /**
   * Records 1 to 1000 invocations in one call, all but those the gateway refuses, which it lists.
   */
  public RecordResponse recordSkippingRejected(List<Invocation> invocations) {
    return Calls.await(recordSkippingRejectedAsync(invocations));
  }

  public CompletableFuture<RecordResponse> recordSkippingRejectedAsync(
      List<Invocation> invocations) {
    RecordRequest request =
        RecordRequest.newBuilder().addAllInvocations(invocations).setSkipRejected(true).build();
    return Calls.unary(stub()::record, request);
  }

  /**
   * A recorder that times work and sends invocations in batches from a background thread; an
   * invocation it or the gateway refuses is logged and counted as dropped.
   */
  public StatsRecorder recorder() {
    return recorder(StatsRecorderOptions.DEFAULTS);
  }

  /** A recorder that reports refused invocations as the options say. */
  public StatsRecorder recorder(StatsRecorderOptions options) {
    return new StatsRecorder(this, options);
  }

  /** The service's series over the options' range. */
  public ServiceStats get(String service, ServiceStatsOptions options) {
    return Calls.await(getAsync(service, options));
  }

  public CompletableFuture<ServiceStats> getAsync(String service, ServiceStatsOptions options) {
    GetServiceStatsRequest.Builder request =
        GetServiceStatsRequest.newBuilder().setService(service).setResolution(options.resolution());
    options.start().ifPresent(start -> request.setStart(timestamp(start)));
    options.end().ifPresent(end -> request.setEnd(timestamp(end)));
    return Calls.unary(stub()::getServiceStats, request.build());
  }

  /** The services that ran in the options' range, ranked as they say. */
  public TopServicesResponse top(TopServicesOptions options) {
    return Calls.await(topAsync(options));
  }

  public CompletableFuture<TopServicesResponse> topAsync(TopServicesOptions options) {
    TopServicesRequest.Builder request =
        TopServicesRequest.newBuilder().setOrderBy(options.orderBy()).setLimit(options.limit());
    options.start().ifPresent(start -> request.setStart(timestamp(start)));
    options.end().ifPresent(end -> request.setEnd(timestamp(end)));
    return Calls.unary(stub()::topServices, request.build());
  }

  /** One page of the project's services, in name order. */
  public ListServicesResponse list(PageOptions page) {
    return Calls.await(listAsync(page));
  }

  public CompletableFuture<ListServicesResponse> listAsync(PageOptions page) {
    ListServicesRequest request =
        ListServicesRequest.newBuilder()
            .setPageSize(page.pageSize())
            .setPageToken(page.pageToken())
            .build();
    return Calls.unary(stub()::listServices, request);
  }

  /** Deletes everything recorded and kept for the service. */
  public void delete(String service) {
    Calls.await(deleteAsync(service));
  }

  public CompletableFuture<Void> deleteAsync(String service) {
    DeleteServiceStatsRequest request =
        DeleteServiceStatsRequest.newBuilder().setService(service).build();
    return Calls.unary(stub()::deleteServiceStats, request).thenApply(empty -> null);
  }

  /** Rolls complete buckets up now; returns how many were merged. */
  public long rollup() {
    return Calls.await(rollupAsync());
  }

  public CompletableFuture<Long> rollupAsync() {
    return Calls.unary(stub()::rollup, RollupRequest.getDefaultInstance())
        .thenApply(RollupResponse::getMerged);
  }

  /** The service's sampling and slow-response settings. */
  public ServiceSettings settings(String service) {
    return Calls.await(settingsAsync(service));
  }

  public CompletableFuture<ServiceSettings> settingsAsync(String service) {
    GetServiceSettingsRequest request =
        GetServiceSettingsRequest.newBuilder().setService(service).build();
    return Calls.unary(stub()::getServiceSettings, request);
  }

  /**
   * Changes the named settings (sample_every, samples_kept, slow_threshold, slow_kept) of {@code
   * settings.getService()}; with no names, replaces all four.
   */
  public ServiceSettings updateSettings(ServiceSettings settings, String... fields) {
    return Calls.await(updateSettingsAsync(settings, fields));
  }

  public CompletableFuture<ServiceSettings> updateSettingsAsync(
      ServiceSettings settings, String... fields) {
    UpdateServiceSettingsRequest request =
        UpdateServiceSettingsRequest.newBuilder()
            .setSettings(settings)
            .setUpdateMask(FieldMask.newBuilder().addAllPaths(List.of(fields)))
            .build();
    return Calls.unary(stub()::updateServiceSettings, request);
  }

  /** The kept samples, newest first: every page. */
  public List<Sample> samples(String service) {
    return Calls.await(samplesAsync(service));
  }

  public CompletableFuture<List<Sample>> samplesAsync(String service) {
    return allPages(
        token -> samplesPageAsync(service, token),
        GetSamplesResponse::getSamplesList,
        GetSamplesResponse::getNextPageToken);
  }

  /** One page of kept samples (at most 1 MiB of them), after the page {@code pageToken} ended. */
  public GetSamplesResponse samplesPage(String service, String pageToken) {
    return Calls.await(samplesPageAsync(service, pageToken));
  }

  public CompletableFuture<GetSamplesResponse> samplesPageAsync(String service, String pageToken) {
    GetSamplesRequest request =
        GetSamplesRequest.newBuilder().setService(service).setPageToken(pageToken).build();
    return Calls.unary(stub()::getSamples, request);
  }

  /** The {@code limit} slowest responses kept (0: 100), slowest first: every page. */
  public List<Sample> slowest(String service, int limit) {
    return Calls.await(slowestAsync(service, limit));
  }

  public CompletableFuture<List<Sample>> slowestAsync(String service, int limit) {
    return allPages(
        token -> slowestPageAsync(service, limit, token),
        ListSlowResponsesResponse::getResponsesList,
        ListSlowResponsesResponse::getNextPageToken);
  }

  /**
   * One page of the slowest responses kept (at most 1 MiB of them), after the page {@code
   * pageToken} ended.
   */
  public ListSlowResponsesResponse slowestPage(String service, int limit, String pageToken) {
    return Calls.await(slowestPageAsync(service, limit, pageToken));
  }

  public CompletableFuture<ListSlowResponsesResponse> slowestPageAsync(
      String service, int limit, String pageToken) {
    ListSlowResponsesRequest request =
        ListSlowResponsesRequest.newBuilder()
            .setService(service)
            .setLimit(limit)
            .setPageToken(pageToken)
            .build();
    return Calls.unary(stub()::listSlowResponses, request);
  }

  /** Follows page tokens from the first page until a page comes without one. */
  private static <P> CompletableFuture<List<Sample>> allPages(
      Function<String, CompletableFuture<P>> page,
      Function<P, List<Sample>> items,
      Function<P, String> nextToken) {
    List<Sample> all = new ArrayList<>();
    return followPages(page, items, nextToken, "", all).thenApply(done -> all);
  }

  private static <P> CompletableFuture<Void> followPages(
      Function<String, CompletableFuture<P>> page,
      Function<P, List<Sample>> items,
      Function<P, String> nextToken,
      String token,
      List<Sample> all) {
    return page.apply(token)
        .thenCompose(
            response -> {
              all.addAll(items.apply(response));
              String next = nextToken.apply(response);
              return next.isEmpty()
                  ? CompletableFuture.<Void>completedFuture(null)
                  : followPages(page, items, nextToken, next, all);
            });
  }

  private static Timestamp timestamp(Instant at) {
    return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
  }

  private StatsServiceGrpc.StatsServiceStub stub() {
    return client.unaryStub(StatsServiceGrpc.newStub(client.channel()));
  }
}
