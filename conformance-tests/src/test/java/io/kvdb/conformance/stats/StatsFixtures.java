package io.kvdb.conformance.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.ServiceStatsOptions;
import io.kvdb.client.TopServicesOptions;
import io.kvdb.proto.v1.GetServiceStatsRequest;
import io.kvdb.proto.v1.Invocation;
import io.kvdb.proto.v1.Resolution;
import io.kvdb.proto.v1.ServiceStats;
import io.kvdb.proto.v1.StatsBucket;
import io.kvdb.proto.v1.StatsServiceGrpc;
import io.kvdb.proto.v1.TopServicesRequest;
import io.kvdb.proto.v1.TopServicesResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Small helpers the statistics tests share: invocations, time windows, expected figures. */
public final class StatsFixtures {
  /** The histogram reports a percentile within 2.5 % of the true one (bucket middle to edge). */
  public static final double HISTOGRAM_ERROR = 0.025;

  private StatsFixtures() {}

  public static Invocation call(String service, long micros, boolean error, Instant at) {
    return Invocation.newBuilder()
        .setService(service)
        .setDuration(Durations.fromMicros(micros))
        .setError(error)
        .setTime(Timestamps.fromMillis(at.toEpochMilli()))
        .build();
  }

  public static Invocation call(String service, long micros, Instant at) {
    return call(service, micros, false, at);
  }

  /** Records any number of invocations, in batches of the largest size allowed. */
  public static void record(KvdbClient kvdb, List<Invocation> invocations) {
    for (int from = 0; from < invocations.size(); from += 1000) {
      kvdb.stats().record(invocations.subList(from, Math.min(invocations.size(), from + 1000)));
    }
  }

  public static ServiceStats read(
      KvdbClient kvdb, String service, Instant start, Instant end, Resolution resolution) {
    return get(kvdb, series(service, start, end, resolution).build());
  }

  /** Reads the series the request asks for, through the SDK's options. */
  public static ServiceStats get(KvdbClient kvdb, GetServiceStatsRequest request) {
    ServiceStatsOptions.Builder options =
        ServiceStatsOptions.newBuilder().setResolution(request.getResolution());
    if (request.hasStart()) {
      options.setStart(instant(request.getStart()));
    }
    if (request.hasEnd()) {
      options.setEnd(instant(request.getEnd()));
    }
    return kvdb.stats().get(request.getService(), options.build());
  }

  /** Ranks as the request asks, through the SDK's options. */
  public static TopServicesResponse top(KvdbClient kvdb, TopServicesRequest request) {
    TopServicesOptions.Builder options =
        TopServicesOptions.newBuilder().setOrderBy(request.getOrderBy());
    if (request.getLimit() != 0) {
      options.setLimit(request.getLimit());
    }
    if (request.hasStart()) {
      options.setStart(instant(request.getStart()));
    }
    if (request.hasEnd()) {
      options.setEnd(instant(request.getEnd()));
    }
    return kvdb.stats().top(options.build());
  }

  /** The stub for requests the SDK's options cannot express or refuse before sending. */
  public static StatsServiceGrpc.StatsServiceBlockingStub direct(KvdbClient kvdb) {
    return StatsServiceGrpc.newBlockingStub(kvdb.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }

  public static GetServiceStatsRequest.Builder series(
      String service, Instant start, Instant end, Resolution resolution) {
    return GetServiceStatsRequest.newBuilder()
        .setService(service)
        .setStart(Timestamps.fromMillis(start.toEpochMilli()))
        .setEnd(Timestamps.fromMillis(end.toEpochMilli()))
        .setResolution(resolution);
  }

  /**
   * The hour (UTC) that began {@code hoursAgo} full hours before the current one: complete and
   * recordable.
   */
  public static Instant hourAgo(int hoursAgo) {
    return Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(hoursAgo));
  }

  public static Instant today() {
    return Instant.now().truncatedTo(ChronoUnit.DAYS);
  }

  /** Yesterday (UTC): a complete day, all of it less than 48 h old. */
  public static Instant yesterday() {
    return today().minus(Duration.ofDays(1));
  }

  /**
   * The part of yesterday that is safely recordable: minutes older than 48 h are refused, so from
   * 47 h ago at the earliest (at least 23 h of the day whatever the time now).
   */
  public static Instant recordableFrom(Instant dayStart) {
    Instant cutoff =
        Instant.now()
            .minus(Duration.ofHours(47))
            .truncatedTo(ChronoUnit.MINUTES)
            .plus(Duration.ofMinutes(1));
    return cutoff.isAfter(dayStart) ? cutoff : dayStart;
  }

  /** The i-th of n times spread evenly over [from, to). */
  public static Instant spread(Instant from, Instant to, int i, int n) {
    return from.plusMillis((to.toEpochMilli() - from.toEpochMilli()) * i / n);
  }

  /** n durations log-uniform over [minMicros, maxMicros], the same for the same seed. */
  public static List<Long> logUniform(Random random, int n, long minMicros, long maxMicros) {
    List<Long> durations = new ArrayList<>(n);
    double low = Math.log(minMicros);
    double high = Math.log(maxMicros);
    for (int i = 0; i < n; i++) {
      durations.add(Math.round(Math.exp(low + random.nextDouble() * (high - low))));
    }
    return durations;
  }

  /** A bucket's figures without the fields that depend on the period (start and rate). */
  public static StatsBucket figures(StatsBucket bucket) {
    return bucket.toBuilder().clearStart().clearRate().build();
  }

  /** The figures a set of raw invocations should give, computed here from the durations. */
  public static final class Expected {
    private final List<Long> sorted = new ArrayList<>();
    private long errors;

    Expected add(long micros, boolean error) {
      sorted.add(micros);
      if (error) {
        errors++;
      }
      return this;
    }

    long count() {
      return sorted.size();
    }

    long errors() {
      return errors;
    }

    long total() {
      return sorted.stream().mapToLong(Long::longValue).sum();
    }

    double mean() {
      return (double) total() / count();
    }

    long max() {
      return sorted.stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    /**
     * The nearest-rank percentile: the smallest duration with at least q of them at or below it.
     */
    long percentile(double q) {
      sorted.sort(null);
      return sorted.get((int) Math.max(1, Math.ceil(q * sorted.size())) - 1);
    }

    void assertMatches(StatsBucket bucket) {
      sorted.sort(null);
      assertEquals(count(), bucket.getCount(), "count");
      assertEquals(errors, bucket.getErrors(), "errors");
      assertEquals(total(), bucket.getTotalUs(), "total_us");
      assertEquals(
          mean(), bucket.getMeanUs(), 1e-6 * mean(), "mean_us is the exact, weighted mean");
      assertEquals(sorted.get(0), bucket.getMinUs(), "min_us");
      assertEquals(max(), bucket.getMaxUs(), "max_us");
      assertNear(percentile(0.50), bucket.getP50Us(), "p50_us");
      assertNear(percentile(0.90), bucket.getP90Us(), "p90_us");
      assertNear(percentile(0.99), bucket.getP99Us(), "p99_us");
      assertTrue(
          bucket.getP50Us() <= bucket.getP90Us() && bucket.getP90Us() <= bucket.getP99Us(),
          "percentiles grow with the quantile: " + bucket);
    }

    private void assertNear(long expected, double actual, String what) {
      assertEquals(
          expected,
          actual,
          expected * HISTOGRAM_ERROR,
          what + " within the histogram's 2.5 % of the true " + expected);
      assertTrue(
          actual >= sorted.get(0) && actual <= max(), what + " clamped to min and max: " + actual);
    }
  }
}
