package io.kvdb.client;

import com.google.protobuf.FieldMask;
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
import io.kvdb.proto.v1.Sample;
import io.kvdb.proto.v1.ServiceSettings;
import io.kvdb.proto.v1.ServiceStats;
import io.kvdb.proto.v1.StatsServiceGrpc;
import io.kvdb.proto.v1.TopServicesRequest;
import io.kvdb.proto.v1.TopServicesResponse;
import io.kvdb.proto.v1.UpdateServiceSettingsRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Service statistics: record invocations (directly, or timed and batched in the background by
 * a {@link StatsRecorder}), query series and rankings, samples and slow responses.
 */
public final class StatsClient {
  private final KvdbClient client;

  StatsClient(KvdbClient client) {
    this.client = client;
  }

  /** Records 1 to 1000 invocations in one call; one the gateway refuses refuses them all. */
  public void record(List<Invocation> invocations) {
    RecordRequest request = RecordRequest.newBuilder().addAllInvocations(invocations).build();
    Calls.blocking(() -> blocking().record(request));
  }

  /** Records 1 to 1000 invocations in one call, all but those the gateway refuses, which it lists. */
  public RecordResponse recordSkippingRejected(List<Invocation> invocations) {
    RecordRequest request = RecordRequest.newBuilder().addAllInvocations(invocations).setSkipRejected(true).build();
    return Calls.blocking(() -> blocking().record(request));
  }

  /**
   * A recorder that times work and sends invocations in batches from a background thread; an
   * invocation it or the gateway refuses is logged and counted as dropped.
   */
  public StatsRecorder recorder() {
    return new StatsRecorder(this, StatsRecorder.Rejection::log);
  }

  /** A recorder that hands each invocation it or the gateway refuses to {@code onRejected}. */
  public StatsRecorder recorder(java.util.function.Consumer<StatsRecorder.Rejection> onRejected) {
    return new StatsRecorder(this, onRejected);
  }

  public ServiceStats get(GetServiceStatsRequest request) {
    return Calls.blocking(() -> blocking().getServiceStats(request));
  }

  public TopServicesResponse top(TopServicesRequest request) {
    return Calls.blocking(() -> blocking().topServices(request));
  }

  public ListServicesResponse list(ListServicesRequest request) {
    return Calls.blocking(() -> blocking().listServices(request));
  }

  public void delete(String service) {
    Calls.blocking(() -> blocking().deleteServiceStats(DeleteServiceStatsRequest.newBuilder().setService(service).build()));
  }

  /** Rolls complete buckets up now; returns how many were merged. */
  public long rollup() {
    return Calls.blocking(() -> blocking().rollup(RollupRequest.getDefaultInstance())).getMerged();
  }

  public ServiceSettings settings(String service) {
    return Calls.blocking(() -> blocking().getServiceSettings(
        GetServiceSettingsRequest.newBuilder().setService(service).build()));
  }

  /** Replaces all four settings of {@code settings.getService()}. */
  public ServiceSettings updateSettings(ServiceSettings settings) {
    return updateSettings(settings, new String[0]);
  }

  /** Changes only the named settings (sample_every, samples_kept, slow_threshold, slow_kept). */
  public ServiceSettings updateSettings(ServiceSettings settings, String... fields) {
    UpdateServiceSettingsRequest request = UpdateServiceSettingsRequest.newBuilder()
        .setSettings(settings)
        .setUpdateMask(FieldMask.newBuilder().addAllPaths(List.of(fields)))
        .build();
    return Calls.blocking(() -> blocking().updateServiceSettings(request));
  }

  /** The kept samples, newest first: every page. */
  public List<Sample> samples(String service) {
    List<Sample> samples = new ArrayList<>();
    GetSamplesRequest.Builder request = GetSamplesRequest.newBuilder().setService(service);
    GetSamplesResponse page;
    do {
      page = samples(request.build());
      samples.addAll(page.getSamplesList());
      request.setPageToken(page.getNextPageToken());
    } while (!page.getNextPageToken().isEmpty());
    return samples;
  }

  /** One page of kept samples (at most 1 MiB of them). */
  public GetSamplesResponse samples(GetSamplesRequest request) {
    return Calls.blocking(() -> blocking().getSamples(request));
  }

  /** The {@code limit} slowest responses kept (0: 100), slowest first: every page. */
  public List<Sample> slowest(String service, int limit) {
    List<Sample> slowest = new ArrayList<>();
    ListSlowResponsesRequest.Builder request = ListSlowResponsesRequest.newBuilder().setService(service).setLimit(limit);
    ListSlowResponsesResponse page;
    do {
      page = slowest(request.build());
      slowest.addAll(page.getResponsesList());
      request.setPageToken(page.getNextPageToken());
    } while (!page.getNextPageToken().isEmpty());
    return slowest;
  }

  /** One page of the slowest responses kept (at most 1 MiB of them). */
  public ListSlowResponsesResponse slowest(ListSlowResponsesRequest request) {
    return Calls.blocking(() -> blocking().listSlowResponses(request));
  }

  private StatsServiceGrpc.StatsServiceBlockingStub blocking() {
    return client.withDeadline(StatsServiceGrpc.newBlockingStub(client.channel()));
  }
}
