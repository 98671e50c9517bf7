package io.kvdb.gateway.stats;

import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import io.kvdb.gateway.api.Bounds;
import io.kvdb.gateway.api.CallContext;
import io.kvdb.gateway.api.Durations;
import io.kvdb.gateway.api.InvalidArgumentException;
import io.kvdb.gateway.api.Names;
import io.kvdb.gateway.api.PageRequest;
import io.kvdb.gateway.api.Pages;
import io.kvdb.gateway.api.ProtoTime;
import io.kvdb.gateway.api.Unary;
import io.kvdb.lua.stats.Aggregate;
import io.kvdb.lua.stats.InvocationRecord;
import io.kvdb.lua.stats.KeptInvocation;
import io.kvdb.lua.stats.Level;
import io.kvdb.lua.stats.Period;
import io.kvdb.lua.stats.SamplingPolicy;
import io.kvdb.lua.stats.Stats;
import io.kvdb.proto.v1.DeleteServiceStatsRequest;
import io.kvdb.proto.v1.GetSamplesRequest;
import io.kvdb.proto.v1.GetSamplesResponse;
import io.kvdb.proto.v1.GetServiceSettingsRequest;
import io.kvdb.proto.v1.GetServiceStatsRequest;
import io.kvdb.proto.v1.ListServicesRequest;
import io.kvdb.proto.v1.ListServicesResponse;
import io.kvdb.proto.v1.ListSlowResponsesRequest;
import io.kvdb.proto.v1.ListSlowResponsesResponse;
import io.kvdb.proto.v1.RecordRequest;
import io.kvdb.proto.v1.RecordResponse;
import io.kvdb.proto.v1.RejectedInvocation;
import io.kvdb.proto.v1.RollupRequest;
import io.kvdb.proto.v1.RollupResponse;
import io.kvdb.proto.v1.ServiceStats;
import io.kvdb.proto.v1.ServiceTotal;
import io.kvdb.proto.v1.StatsServiceGrpc;
import io.kvdb.proto.v1.TopOrder;
import io.kvdb.proto.v1.TopServicesRequest;
import io.kvdb.proto.v1.TopServicesResponse;
import io.kvdb.proto.v1.UpdateServiceSettingsRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** {@code kvdb.v1.StatsService}: validates, calls {@link Stats}, turns aggregates into figures. */
public final class StatsService extends StatsServiceGrpc.StatsServiceImplBase {
  static final int MAX_BATCH = 1000;
  private static final int MAX_SAMPLES_KEPT = 100;
  private static final int MAX_SLOW_KEPT = 1000;

  /** Periods x services one TopServices call may read (each read step stays within its budget). */
  static final long MAX_TOP_READS = 200_000;

  private static final Duration MAX_DURATION = Duration.ofHours(1);
  private static final List<String> SETTINGS_FIELDS =
      List.of("sample_every", "samples_kept", "slow_threshold", "slow_kept");

  private final Stats stats;
  private final StatsProjects projects;
  private final int maxPayload;

  public StatsService(Stats stats, StatsProjects projects, int maxPayload) {
    this.stats = stats;
    this.projects = projects;
    this.maxPayload = maxPayload;
  }

  @Override
  public void record(RecordRequest request, StreamObserver<RecordResponse> observer) {
    Unary.respond(
        observer,
        () -> {
          int count = request.getInvocationsCount();
          Bounds.count("invocations", count, 1, MAX_BATCH);
          List<InvocationRecord> batch = new ArrayList<>(count);
          List<Integer> requestIndexes = new ArrayList<>(count);
          List<RejectedInvocation> rejected = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            String field = "invocations." + i;
            try {
              batch.add(invocation(field, request.getInvocations(i)));
              requestIndexes.add(i);
            } catch (InvalidArgumentException refused) {
              if (!request.getSkipRejected()) {
                throw refused;
              }
              rejected.add(
                  rejection(
                      i,
                      refused.field(),
                      refused.getMessage().substring(refused.field().length() + 2)));
            }
          }
          if (!batch.isEmpty()) {
            for (int skipped :
                stats.record(CallContext.project(), batch, request.getSkipRejected())) {
              int index = requestIndexes.get(skipped);
              rejected.add(
                  rejection(
                      index,
                      "invocations." + index + ".time",
                      "must be at most a minute ahead of the Redis clock and within the minutes' retention behind it"));
            }
          }
          rejected.sort(Comparator.comparingInt(RejectedInvocation::getIndex));
          return RecordResponse.newBuilder()
              .setRecorded(count - rejected.size())
              .addAllRejected(rejected)
              .build();
        });
  }

  private static RejectedInvocation rejection(int index, String field, String description) {
    return RejectedInvocation.newBuilder()
        .setIndex(index)
        .setField(field)
        .setDescription(description)
        .build();
  }

  private InvocationRecord invocation(String field, io.kvdb.proto.v1.Invocation invocation) {
    String service = Names.service(field + ".service", invocation.getService());
    Duration duration =
        Durations.within(
            field + ".duration",
            invocation.hasDuration(),
            invocation.getDuration(),
            Duration.ZERO,
            MAX_DURATION);
    if (!invocation.hasDuration()) {
      throw new InvalidArgumentException(field + ".duration", "is required");
    }
    Long time =
        invocation.hasTime()
            ? ProtoTime.instant(field + ".time", invocation.getTime()).toEpochMilli()
            : null;
    byte[] payload = new byte[0];
    if (!invocation.getCorrelationId().isEmpty()
        || !invocation.getRequest().isEmpty()
        || !invocation.getResponse().isEmpty()) {
      byte[] request = invocation.getRequest().toByteArray();
      byte[] response = invocation.getResponse().toByteArray();
      boolean truncated = request.length > maxPayload || response.length > maxPayload;
      String correlationId = invocation.getCorrelationId();
      if (correlationId.length() > 256) {
        throw new InvalidArgumentException(
            field + ".correlation_id", "must be at most 256 characters");
      }
      payload =
          KeptInvocation.payload(
              correlationId,
              Arrays.copyOf(request, Math.min(request.length, maxPayload)),
              Arrays.copyOf(response, Math.min(response.length, maxPayload)),
              truncated);
    }
    return new InvocationRecord(
        service, duration.toNanos() / 1000, invocation.getError(), time, payload);
  }

  @Override
  public void getServiceStats(
      GetServiceStatsRequest request, StreamObserver<ServiceStats> observer) {
    Unary.respond(
        observer,
        () -> {
          String service = Names.service("service", request.getService());
          long[] range =
              Ranges.range(
                  request.hasStart(), request.getStart(), request.hasEnd(), request.getEnd());
          Level level = Ranges.level(request.getResolution(), range[0], range[1]);
          List<Period> periods = Ranges.periods(level, range[0], range[1]);
          if (periods.size() > Ranges.MAX_POINTS) {
            throw new InvalidArgumentException(
                "resolution",
                "gives over "
                    + Ranges.MAX_POINTS
                    + " points for this range; choose a coarser one or a shorter range");
          }
          Stats.Reading reading = stats.read(CallContext.project(), service, periods);
          ServiceStats.Builder series =
              ServiceStats.newBuilder()
                  .setService(service)
                  .setResolution(io.kvdb.proto.v1.Resolution.forNumber(level.ordinal() + 1))
                  .setUsage(reading.usage());
          Aggregate total = Aggregate.EMPTY;
          for (int i = 0; i < periods.size(); i++) {
            series.addBuckets(StatsProtos.bucket(periods.get(i), reading.periods().get(i)));
            total = total.merge(reading.periods().get(i));
          }
          Period first = periods.get(0);
          long seconds = periods.get(periods.size() - 1).end() - first.start();
          series.setTotal(StatsProtos.bucket(Instant.ofEpochSecond(first.start()), seconds, total));
          return series.build();
        });
  }

  @Override
  public void topServices(
      TopServicesRequest request, StreamObserver<TopServicesResponse> observer) {
    Unary.respond(
        observer,
        () -> {
          long[] range =
              Ranges.range(
                  request.hasStart(), request.getStart(), request.hasEnd(), request.getEnd());
          int limit =
              request.getLimit() == 0 ? 10 : Bounds.within("limit", request.getLimit(), 1, 1000);
          ToDoubleFunction<Aggregate> measure = measure(request.getOrderBy());
          String project = CallContext.project();
          // Nothing is recorded past the Redis clock (plus a minute); a day of margin covers any
          // difference from this gateway's clock, so a range "until 9999" costs no more than "until
          // now".
          long horizon = Instant.now().getEpochSecond() + 86_400;
          List<Period> cover =
              Ranges.cover(range[0], Math.min(range[1], Math.max(range[0], horizon)));
          if (cover.size() > Ranges.MAX_POINTS) {
            throw new InvalidArgumentException(
                "start",
                "the range takes over "
                    + Ranges.MAX_POINTS
                    + " periods (whole months, days and hours, minutes at the edges); choose a later start");
          }
          long cost = cover.size() * stats.serviceCount(project);
          if (cost > MAX_TOP_READS) {
            throw new InvalidArgumentException(
                "start",
                "the range takes "
                    + cover.size()
                    + " periods for each service, "
                    + cost
                    + " in all, over the "
                    + MAX_TOP_READS
                    + " one call may read; choose a shorter range");
          }
          List<ServiceTotal> totals = new ArrayList<>();
          List<Aggregate> figures = new ArrayList<>();
          for (String service : cover.isEmpty() ? List.<String>of() : allServices(project)) {
            Aggregate total =
                stats.read(project, service, cover).periods().stream()
                    .reduce(Aggregate.EMPTY, Aggregate::merge);
            if (total.count() > 0) {
              figures.add(total);
              totals.add(
                  ServiceTotal.newBuilder()
                      .setService(service)
                      .setTotal(
                          StatsProtos.bucket(
                              Instant.ofEpochSecond(range[0]), range[1] - range[0], total))
                      .build());
            }
          }
          List<Integer> order = new ArrayList<>();
          for (int i = 0; i < totals.size(); i++) {
            order.add(i);
          }
          order.sort(
              Comparator.comparingDouble((Integer i) -> measure.applyAsDouble(figures.get(i)))
                  .reversed()
                  .thenComparing(i -> totals.get(i).getService()));
          TopServicesResponse.Builder response = TopServicesResponse.newBuilder();
          order.stream().limit(limit).forEach(i -> response.addServices(totals.get(i)));
          return response.build();
        });
  }

  @Override
  public void listServices(
      ListServicesRequest request, StreamObserver<ListServicesResponse> observer) {
    Unary.respond(
        observer,
        () -> {
          PageRequest page =
              PageRequest.of(request.getPageSize(), 10, 1000, request.getPageToken());
          List<String> found = stats.services(CallContext.project(), page.after(), page.size() + 1);
          ListServicesResponse.Builder response =
              ListServicesResponse.newBuilder()
                  .addAllServices(found.subList(0, Math.min(page.size(), found.size())));
          if (found.size() > page.size()) {
            response.setNextPageToken(PageRequest.tokenAfter(found.get(page.size() - 1)));
          }
          return response.build();
        });
  }

  @Override
  public void deleteServiceStats(
      DeleteServiceStatsRequest request, StreamObserver<Empty> observer) {
    Unary.respond(
        observer,
        () -> {
          stats.delete(CallContext.project(), Names.service("service", request.getService()));
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void rollup(RollupRequest request, StreamObserver<RollupResponse> observer) {
    Unary.respond(
        observer,
        () ->
            RollupResponse.newBuilder().setMerged(projects.rollup(CallContext.project())).build());
  }

  @Override
  public void getServiceSettings(
      GetServiceSettingsRequest request,
      StreamObserver<io.kvdb.proto.v1.ServiceSettings> observer) {
    Unary.respond(
        observer,
        () -> {
          String service = Names.service("service", request.getService());
          return toProto(service, stats.settings(CallContext.project(), service));
        });
  }

  @Override
  public void updateServiceSettings(
      UpdateServiceSettingsRequest request,
      StreamObserver<io.kvdb.proto.v1.ServiceSettings> observer) {
    Unary.respond(
        observer,
        () -> {
          io.kvdb.proto.v1.ServiceSettings wanted = request.getSettings();
          String service = Names.service("settings.service", wanted.getService());
          List<String> fields = request.getUpdateMask().getPathsList();
          for (String field : fields) {
            if (!SETTINGS_FIELDS.contains(field)) {
              throw new InvalidArgumentException(
                  "update_mask",
                  "names no setting: " + field + "; settings are " + SETTINGS_FIELDS);
            }
          }
          SamplingPolicy current = stats.settings(CallContext.project(), service);
          boolean all = fields.isEmpty();
          SamplingPolicy settings =
              new SamplingPolicy(
                  all || fields.contains("sample_every")
                      ? Bounds.within(
                          "settings.sample_every", wanted.getSampleEvery(), 0, 1_000_000)
                      : current.sampleEvery(),
                  all || fields.contains("samples_kept")
                      ? (wanted.getSamplesKept() == 0
                          ? 1
                          : Bounds.within(
                              "settings.samples_kept",
                              wanted.getSamplesKept(),
                              1,
                              MAX_SAMPLES_KEPT))
                      : current.samplesKept(),
                  all || fields.contains("slow_threshold")
                      ? Durations.within(
                                  "settings.slow_threshold",
                                  true,
                                  wanted.getSlowThreshold(),
                                  Duration.ZERO,
                                  MAX_DURATION)
                              .toNanos()
                          / 1000
                      : current.slowThresholdMicros(),
                  all || fields.contains("slow_kept")
                      ? (wanted.getSlowKept() == 0
                          ? 100
                          : Bounds.within(
                              "settings.slow_kept", wanted.getSlowKept(), 1, MAX_SLOW_KEPT))
                      : current.slowKept());
          stats.updateSettings(CallContext.project(), service, settings);
          return toProto(service, settings);
        });
  }

  @Override
  public void getSamples(GetSamplesRequest request, StreamObserver<GetSamplesResponse> observer) {
    Unary.respond(
        observer,
        () -> {
          String service = Names.service("service", request.getService());
          Stats.SamplePage page =
              stats.samples(
                  CallContext.project(), service, offset(request.getPageToken(), MAX_SAMPLES_KEPT));
          GetSamplesResponse.Builder response = GetSamplesResponse.newBuilder();
          page.samples().forEach(sample -> response.addSamples(StatsProtos.sample(sample)));
          if (page.next() >= 0) {
            response.setNextPageToken(Integer.toString(page.next()));
          }
          return response.build();
        });
  }

  @Override
  public void listSlowResponses(
      ListSlowResponsesRequest request, StreamObserver<ListSlowResponsesResponse> observer) {
    Unary.respond(
        observer,
        () -> {
          String service = Names.service("service", request.getService());
          int limit =
              request.getLimit() == 0
                  ? 100
                  : Bounds.within("limit", request.getLimit(), 1, MAX_SLOW_KEPT);
          Stats.SamplePage page =
              stats.slowest(
                  CallContext.project(),
                  service,
                  offset(request.getPageToken(), MAX_SLOW_KEPT),
                  limit);
          ListSlowResponsesResponse.Builder response = ListSlowResponsesResponse.newBuilder();
          page.samples().forEach(sample -> response.addResponses(StatsProtos.sample(sample)));
          if (page.next() >= 0) {
            response.setNextPageToken(Integer.toString(page.next()));
          }
          return response.build();
        });
  }

  /** A page token of samples: the offset of the page, from 0 to {@code max}; empty for 0. */
  private static int offset(String token, int max) {
    if (token.isEmpty()) {
      return 0;
    }
    if (!token.matches("[0-9]{1,4}") || Integer.parseInt(token) > max) {
      throw new InvalidArgumentException("page_token", "is not a token this call gave");
    }
    return Integer.parseInt(token);
  }

  private List<String> allServices(String project) {
    List<String> services = new ArrayList<>();
    Pages.eachName((after, size) -> stats.services(project, after, size), 1000, services::add);
    return services;
  }

  private static ToDoubleFunction<Aggregate> measure(TopOrder order) {
    return switch (order) {
      case TOP_ORDER_UNSPECIFIED, USAGE -> Aggregate::count;
      case MEAN -> Aggregate::meanMicros;
      case P99 -> figures -> figures.percentileMicros(0.99);
      case MAX -> Aggregate::maxMicros;
      case ERRORS -> Aggregate::errors;
      case TOTAL_TIME -> Aggregate::sumMicros;
      case UNRECOGNIZED -> throw new InvalidArgumentException("order_by", "is not a known order");
    };
  }

  private static io.kvdb.proto.v1.ServiceSettings toProto(String service, SamplingPolicy settings) {
    return io.kvdb.proto.v1.ServiceSettings.newBuilder()
        .setService(service)
        .setSampleEvery(settings.sampleEvery())
        .setSamplesKept(settings.samplesKept())
        .setSlowThreshold(
            ProtoTime.duration(Duration.ofNanos(settings.slowThresholdMicros() * 1000)))
        .setSlowKept(settings.slowKept())
        .build();
  }
}
