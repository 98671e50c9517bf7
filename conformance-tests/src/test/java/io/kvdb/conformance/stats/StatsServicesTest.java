package io.kvdb.conformance.stats;

import static io.kvdb.conformance.stats.StatsFixtures.call;
import static io.kvdb.conformance.stats.StatsFixtures.hourAgo;
import static io.kvdb.conformance.stats.StatsFixtures.read;
import static io.kvdb.conformance.stats.StatsFixtures.record;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.PageOptions;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.v1.Invocation;
import io.kvdb.proto.v1.ListServicesResponse;
import io.kvdb.proto.v1.Resolution;
import io.kvdb.proto.v1.ServiceSettings;
import io.kvdb.proto.v1.ServiceStats;
import io.kvdb.proto.v1.TopServicesRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ListServices, DeleteServiceStats, and projects that never see each other's services. */
class StatsServicesTest extends ProjectScopedTest {
  private List<String> listAll(KvdbClient client, int pageSize, List<Integer> sizes) {
    List<String> all = new ArrayList<>();
    String token = "";
    do {
      ListServicesResponse page =
          client
              .stats()
              .list(PageOptions.newBuilder().setPageSize(pageSize).setPageToken(token).build());
      all.addAll(page.getServicesList());
      sizes.add(page.getServicesCount());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return all;
  }

  @Test
  void pagesCoverEveryServiceOnceInNameOrder() {
    List<Invocation> batch = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 24; i >= 0; i--) {
      String service = String.format("svc.%02d", i);
      batch.add(call(service, 10, Instant.now()));
      batch.add(call(service, 20, Instant.now()));
      expected.add(0, service);
    }
    record(kvdb, batch);

    List<Integer> defaultSizes = new ArrayList<>();
    assertEquals(expected, listAll(kvdb, 0, defaultSizes));
    assertEquals(
        List.of(10, 10, 5), defaultSizes, "default page size 10; the last page has no token");
    List<Integer> sizes = new ArrayList<>();
    assertEquals(expected, listAll(kvdb, 25, sizes));
    assertEquals(List.of(25), sizes, "a page ending at the last service has no token");
  }

  @Test
  void deletingAServiceRemovesAllOfIt() {
    Instant hour = hourAgo(2);
    kvdb.stats()
        .updateSettings(
            ServiceSettings.newBuilder()
                .setService("doomed")
                .setSampleEvery(1)
                .setSamplesKept(5)
                .setSlowThreshold(Durations.fromMillis(1))
                .setSlowKept(10)
                .build());
    record(
        kvdb,
        List.of(
            call("doomed", 5_000, hour),
            call("doomed", 7_000, hour.plusSeconds(600)),
            call("kept", 5_000, hour)));
    kvdb.stats().rollup();
    record(kvdb, List.of(call("doomed", 9_000, Instant.now())));
    assertEquals(3, kvdb.stats().slowest("doomed", 100).size());
    assertEquals(3, kvdb.stats().samples("doomed").size());

    kvdb.stats().delete("doomed");

    assertEquals(List.of("kept"), kvdb.stats().list(PageOptions.FIRST).getServicesList());
    ServiceStats stats =
        read(
            kvdb,
            "doomed",
            hour.truncatedTo(java.time.temporal.ChronoUnit.DAYS),
            Instant.now().plus(Duration.ofDays(1)),
            Resolution.HOUR);
    assertEquals(0, stats.getTotal().getCount());
    assertEquals(0, stats.getUsage());
    assertEquals(List.of(), kvdb.stats().samples("doomed"));
    assertEquals(List.of(), kvdb.stats().slowest("doomed", 100));
    assertEquals(
        ServiceSettings.newBuilder()
            .setService("doomed")
            .setSampleEvery(1)
            .setSamplesKept(1)
            .setSlowThreshold(com.google.protobuf.Duration.getDefaultInstance())
            .setSlowKept(100)
            .build(),
        kvdb.stats().settings("doomed"),
        "settings are back to the defaults");
    assertEquals(
        1,
        read(kvdb, "kept", hour, hour.plusSeconds(3600), Resolution.HOUR).getUsage(),
        "other services stay");

    record(kvdb, List.of(call("doomed", 1_000, hour)));
    ServiceStats again = read(kvdb, "doomed", hour, hour.plusSeconds(3600), Resolution.HOUR);
    assertEquals(1, again.getTotal().getCount(), "a service recorded again starts from nothing");
    assertEquals(1, again.getUsage());
  }

  @Test
  void deletingAServiceNeverRecordedSucceeds() {
    kvdb.stats().delete("never-seen");
    assertEquals(List.of(), kvdb.stats().list(PageOptions.FIRST).getServicesList());
  }

  @Test
  void projectsNeverSeeEachOthersServices() {
    Instant hour = hourAgo(2);
    record(kvdb, List.of(call("shared-name", 1_000, hour)));
    try (KvdbClient other = KvdbTarget.newClient()) {
      record(other, List.of(call("shared-name", 2_000, hour), call("theirs", 3_000, hour)));

      assertEquals(List.of("shared-name"), kvdb.stats().list(PageOptions.FIRST).getServicesList());
      ServiceStats mine = read(kvdb, "shared-name", hour, hour.plusSeconds(3600), Resolution.HOUR);
      assertEquals(1, mine.getUsage());
      assertEquals(1_000, mine.getTotal().getTotalUs());
      assertEquals(
          1,
          StatsFixtures.top(
                  kvdb,
                  TopServicesRequest.newBuilder()
                      .setStart(Timestamps.fromMillis(hour.toEpochMilli()))
                      .setEnd(Timestamps.fromMillis(hour.plusSeconds(3600).toEpochMilli()))
                      .build())
              .getServicesCount());

      other.stats().delete("shared-name");
      assertEquals(
          1,
          read(kvdb, "shared-name", hour, hour.plusSeconds(3600), Resolution.HOUR).getUsage(),
          "deleting in one project leaves the other's service alone");
    }
  }
}
