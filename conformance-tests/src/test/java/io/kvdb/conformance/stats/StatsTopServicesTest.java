package io.kvdb.conformance.stats;

import static io.kvdb.conformance.stats.StatsFixtures.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Timestamps;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.v1.Invocation;
import io.kvdb.proto.v1.ServiceTotal;
import io.kvdb.proto.v1.StatsBucket;
import io.kvdb.proto.v1.TopOrder;
import io.kvdb.proto.v1.TopServicesRequest;
import io.kvdb.proto.v1.TopServicesResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TopServices: services ranked by each measure over yesterday, descending, ties by name. */
class StatsTopServicesTest extends ProjectScopedTest {
  private final Map<String, StatsFixtures.Expected> expected = new TreeMap<>();
  private Instant day;

  /**
   * Twelve services with random figures, and two twins with identical ones (a tie on every
   * measure), recorded over yesterday; plus invocations just after it, which no ranking counts.
   */
  @BeforeEach
  void recordYesterday() {
    day = StatsFixtures.yesterday();
    Instant from = StatsFixtures.recordableFrom(day);
    Instant to = day.plus(Duration.ofDays(1));
    Random random = new Random(11);
    List<Invocation> batch = new ArrayList<>();
    for (int s = 0; s < 12; s++) {
      String service = "svc-" + (char) ('a' + s);
      int count = 1 + random.nextInt(40);
      List<Long> durations = StatsFixtures.logUniform(random, count, 10, 5_000_000);
      for (int i = 0; i < count; i++) {
        boolean error = random.nextInt(4) == 0;
        batch.add(call(service, durations.get(i), error, StatsFixtures.spread(from, to, i, count)));
        expected
            .computeIfAbsent(service, name -> new StatsFixtures.Expected())
            .add(durations.get(i), error);
      }
    }
    for (String twin : List.of("twin-b", "twin-a")) {
      batch.add(call(twin, 777, true, from));
      batch.add(call(twin, 1_234, false, from.plusSeconds(3600)));
      expected
          .computeIfAbsent(twin, name -> new StatsFixtures.Expected())
          .add(777, true)
          .add(1_234, false);
    }
    for (String service : expected.keySet()) {
      batch.add(call(service, 3_000_000, true, to));
    }
    batch.add(call("only-today", 10, to));
    StatsFixtures.record(kvdb, batch);
  }

  private TopServicesResponse top(TopOrder order, int limit) {
    return StatsFixtures.top(
        kvdb,
        TopServicesRequest.newBuilder()
            .setStart(Timestamps.fromMillis(day.toEpochMilli()))
            .setEnd(Timestamps.fromMillis(day.plus(Duration.ofDays(1)).toEpochMilli()))
            .setOrderBy(order)
            .setLimit(limit)
            .build());
  }

  private static List<String> names(TopServicesResponse response) {
    return response.getServicesList().stream().map(ServiceTotal::getService).toList();
  }

  private List<String> rankedBy(ToDoubleFunction<StatsFixtures.Expected> measure) {
    return expected.entrySet().stream()
        .sorted(
            Comparator.comparingDouble(
                    (Map.Entry<String, StatsFixtures.Expected> e) ->
                        measure.applyAsDouble(e.getValue()))
                .reversed()
                .thenComparing(Map.Entry::getKey))
        .map(Map.Entry::getKey)
        .toList();
  }

  @Test
  void eachOrderRanksDescendingWithTiesByName() {
    Map<TopOrder, List<String>> orders =
        Map.of(
            TopOrder.USAGE, rankedBy(StatsFixtures.Expected::count),
            TopOrder.TOP_ORDER_UNSPECIFIED, rankedBy(StatsFixtures.Expected::count),
            TopOrder.MEAN, rankedBy(StatsFixtures.Expected::mean),
            TopOrder.MAX, rankedBy(StatsFixtures.Expected::max),
            TopOrder.ERRORS, rankedBy(StatsFixtures.Expected::errors),
            TopOrder.TOTAL_TIME, rankedBy(StatsFixtures.Expected::total));
    orders.forEach(
        (order, ranking) -> {
          TopServicesResponse response = top(order, 1000);
          assertEquals(ranking, names(response), order.name());
          assertTrue(
              names(response).indexOf("twin-a") < names(response).indexOf("twin-b"),
              order + ": a tie goes by name");
          response
              .getServicesList()
              .forEach(
                  ranked -> expected.get(ranked.getService()).assertMatches(ranked.getTotal()));
        });
  }

  @Test
  void p99RanksByTheReportedP99WithTiesByName() {
    List<ServiceTotal> ranked = top(TopOrder.P99, 1000).getServicesList();

    assertEquals(
        expected.keySet().stream().sorted().toList(),
        ranked.stream().map(ServiceTotal::getService).sorted().toList(),
        "every service that ran in the range");
    for (int i = 1; i < ranked.size(); i++) {
      StatsBucket previous = ranked.get(i - 1).getTotal();
      StatsBucket current = ranked.get(i).getTotal();
      assertTrue(
          previous.getP99Us() > current.getP99Us()
              || previous.getP99Us() == current.getP99Us()
                  && ranked.get(i - 1).getService().compareTo(ranked.get(i).getService()) < 0,
          "position " + i + ": " + ranked);
    }
    ranked.forEach(service -> expected.get(service.getService()).assertMatches(service.getTotal()));
  }

  @Test
  void theLimitCutsTheRankingDefaultingToTen() {
    List<String> all = names(top(TopOrder.TOTAL_TIME, 1000));

    assertEquals(all.subList(0, 10), names(top(TopOrder.TOTAL_TIME, 0)));
    assertEquals(all.subList(0, 3), names(top(TopOrder.TOTAL_TIME, 3)));
  }

  @Test
  void theRankingIsTheSameAfterRollup() {
    List<TopServicesResponse> before = new ArrayList<>();
    for (TopOrder order : List.of(TopOrder.USAGE, TopOrder.MEAN, TopOrder.P99)) {
      before.add(top(order, 1000));
    }
    kvdb.stats().rollup();

    assertEquals(before.get(0), top(TopOrder.USAGE, 1000));
    assertEquals(before.get(1), top(TopOrder.MEAN, 1000));
    assertEquals(before.get(2), top(TopOrder.P99, 1000));
  }
}
