package io.kvdb.conformance.queues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.client.ListQueuesOptions;
import io.kvdb.conformance.Direct;
import io.kvdb.conformance.Expect;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.StructValues;
import io.kvdb.proto.v1.ListQueuesRequest;
import io.kvdb.proto.v1.ListQueuesResponse;
import io.kvdb.proto.v1.Queue;
import io.kvdb.proto.v1.QueueServiceGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** ListQueues: name order, pages, tokens, prefixes and metadata. */
class QueueListingTest extends ProjectScopedTest {
  private static List<String> names(ListQueuesResponse page) {
    return page.getQueuesList().stream().map(Queue::getName).toList();
  }

  private static ListQueuesOptions.Builder request() {
    return ListQueuesOptions.newBuilder();
  }

  @Test
  void anEmptyProjectListsNothingAndHasNoToken() {
    ListQueuesResponse page = queues.list(request().build());
    assertEquals(List.of(), page.getQueuesList());
    assertEquals("", page.getNextPageToken());
  }

  @Test
  void pagesCoverEveryQueueOnceInNameOrder() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      String name = String.format("q-%02d", 24 - i);
      queues.create(name);
      expected.add(0, name);
    }

    List<String> seen = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String token = "";
    do {
      ListQueuesResponse page = queues.list(request().setPageToken(token).build());
      seen.addAll(names(page));
      sizes.add(page.getQueuesCount());
      token = page.getNextPageToken();
    } while (!token.isEmpty());

    assertEquals(expected, seen);
    assertEquals(List.of(10, 10, 5), sizes, "default page size is 10; the last page has no token");
  }

  @Test
  void aPageThatEndsExactlyAtTheLastQueueHasNoToken() {
    queues.create("a");
    queues.create("b");
    ListQueuesResponse page = queues.list(request().setPageSize(2).build());
    assertEquals(List.of("a", "b"), names(page));
    assertEquals("", page.getNextPageToken());
  }

  @Test
  void theTokenContinuesStrictlyAfterTheLastQueueEvenIfItIsDeleted() {
    for (String name : List.of("a", "b", "c", "d")) {
      queues.create(name);
    }
    ListQueuesResponse first = queues.list(request().setPageSize(2).build());
    queues.delete("b");
    queues.create("bb");

    ListQueuesResponse second =
        queues.list(request().setPageSize(2).setPageToken(first.getNextPageToken()).build());

    assertEquals(List.of("a", "b"), names(first));
    assertEquals(List.of("bb", "c"), names(second));
  }

  @Test
  void aPrefixNarrowsTheListingAndItsPages() {
    for (String name : List.of("jobs.b", "jobs.a", "jobsx", "mail", "jobs.c", "job")) {
      queues.create(name);
    }
    ListQueuesResponse first = queues.list(request().setPrefix("jobs.").setPageSize(2).build());
    ListQueuesResponse second =
        queues.list(
            request()
                .setPrefix("jobs.")
                .setPageSize(2)
                .setPageToken(first.getNextPageToken())
                .build());

    assertEquals(List.of("jobs.a", "jobs.b"), names(first));
    assertEquals(List.of("jobs.c"), names(second));
    assertEquals("", second.getNextPageToken());
  }

  @Test
  void metadataIsListedOnlyWhenAskedFor() {
    queues.create("q", Map.of("k", "v"));

    Queue bare = queues.list(request().build()).getQueues(0);
    Queue full = queues.list(request().setIncludeMetadata(true).build()).getQueues(0);

    assertFalse(bare.hasMetadata());
    assertFalse(bare.hasCreateTime());
    assertEquals(Map.of("k", "v"), StructValues.toMap(full.getMetadata()));
    // A listing does not say where each queue lives; GetQueue does.
    assertEquals("", full.getPool());
    assertEquals(queues.get("q").toBuilder().clearPool().build(), full);
  }

  @Test
  void listAllWalksEveryPage() {
    for (int i = 0; i < 12; i++) {
      queues.create("all-" + (char) ('a' + i));
    }
    List<String> all =
        StreamSupport.stream(
                queues.listAll(request().setPrefix("all-").build()).spliterator(), false)
            .map(Queue::getName)
            .toList();
    assertEquals(12, all.size());
    assertEquals("all-a", all.get(0));
    assertEquals("all-l", all.get(11));
  }

  @Test
  void pageSizeUpToAThousandIsAccepted() {
    queues.create("one");
    assertEquals(1, queues.list(request().setPageSize(1000).build()).getQueuesCount());
  }

  @Test
  void badPaginationIsRefusedNamingTheField() {
    Expect.invalid(
        "page_size",
        () ->
            Direct.call(
                () ->
                    direct().listQueues(ListQueuesRequest.newBuilder().setPageSize(1001).build())));
    Expect.invalid(
        "page_size",
        () ->
            Direct.call(
                () -> direct().listQueues(ListQueuesRequest.newBuilder().setPageSize(-1).build())));
    Expect.invalid("page_token", () -> queues.list(request().setPageToken("not a token!").build()));
    Expect.invalid("page_token", () -> queues.list(request().setPageToken("bm9wZQ").build()));
    Expect.invalid("prefix", () -> queues.list(request().setPrefix("bad/prefix").build()));
  }

  @Test
  void aTokenIsRefusedWithAnotherPrefix() {
    for (String name : List.of("a1", "a2", "a3")) {
      queues.create(name);
    }
    String token = queues.list(request().setPrefix("a").setPageSize(1).build()).getNextPageToken();
    assertTrue(!token.isEmpty());
    Expect.invalid(
        "page_token", () -> queues.list(request().setPrefix("b").setPageToken(token).build()));
  }

  /** The stub for requests the SDK's options refuse before sending. */
  private QueueServiceGrpc.QueueServiceBlockingStub direct() {
    return QueueServiceGrpc.newBlockingStub(kvdb.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
  }
}
