package io.kvdb.conformance.messages;

import static io.kvdb.conformance.messages.Messaging.delayed;
import static io.kvdb.conformance.messages.Messaging.ids;
import static io.kvdb.conformance.messages.Messaging.listAll;
import static io.kvdb.conformance.messages.Messaging.listing;
import static io.kvdb.conformance.messages.Messaging.numbered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.client.KvdbClient;
import io.kvdb.conformance.Direct;
import io.kvdb.conformance.Expect;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.ListMessagesRequest;
import io.kvdb.proto.v1.ListMessagesResponse;
import io.kvdb.proto.v1.MessageServiceGrpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Listing: FIFO pages that are full when they can be, tokens, echo and the filters. */
class MessageListTest extends ProjectScopedTest {
  private ListMessagesResponse list(ListMessagesRequest.Builder request) {
    return Messaging.list(kvdb, request.build());
  }

  @Test
  void pagesFollowFifoOrderAndTheLastHasNoToken() {
    List<String> posted = kvdb.messages().post("q", numbered(25).toArray(String[]::new));

    ListMessagesResponse first = list(listing("q"));
    assertEquals(posted.subList(0, 10), ids(first.getMessagesList()), "ten by default");
    ListMessagesResponse second = list(listing("q").setPageToken(first.getNextPageToken()));
    assertEquals(posted.subList(10, 20), ids(second.getMessagesList()));
    ListMessagesResponse third = list(listing("q").setPageToken(second.getNextPageToken()));
    assertEquals(posted.subList(20, 25), ids(third.getMessagesList()));
    assertEquals("", third.getNextPageToken());

    assertEquals(posted.subList(0, 25), ids(list(listing("q").setPageSize(100)).getMessagesList()));
  }

  @Test
  void theTokenContinuesStrictlyAfterTheLastMessageReturned() {
    List<String> posted = kvdb.messages().post("q", numbered(5).toArray(String[]::new));
    ListMessagesResponse first = list(listing("q").setPageSize(2));

    kvdb.messages().delete("q", List.of(posted.get(1)));
    List<String> later = kvdb.messages().post("q", "late");

    List<String> rest =
        ids(
            listAll(
                kvdb, listing("q").setPageSize(2).setPageToken(first.getNextPageToken()).build()));
    List<String> expected = new ArrayList<>(posted.subList(2, 5));
    expected.addAll(later);
    assertEquals(
        expected, rest, "neither the deleted last message nor anything before it comes again");
  }

  @Test
  void anEmptyPageHasNoToken() {
    List<String> posted = kvdb.messages().post("q", "a", "b", "c");
    ListMessagesResponse first = list(listing("q").setPageSize(2));
    assertFalse(first.getNextPageToken().isEmpty());

    kvdb.messages().delete("q", List.of(posted.get(2)));
    ListMessagesResponse second =
        list(listing("q").setPageSize(2).setPageToken(first.getNextPageToken()));
    assertEquals(List.of(), second.getMessagesList());
    assertEquals("", second.getNextPageToken());

    ListMessagesResponse missing = list(listing("no-such-queue"));
    assertEquals(0, missing.getMessagesCount(), "a missing queue lists nothing");
    assertEquals("", missing.getNextPageToken());
  }

  @Test
  void theCallersOwnMessagesShowOnlyWithEcho() {
    try (KvdbClient alice = Messaging.client(project, "alice");
        KvdbClient bob = Messaging.client(project, "bob")) {
      List<String> fromAlice = new ArrayList<>();
      List<String> fromBob = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        fromAlice.addAll(alice.messages().post("chat", "a" + i));
        fromBob.addAll(bob.messages().post("chat", "b" + i));
      }
      ListMessagesRequest.Builder noEcho =
          ListMessagesRequest.newBuilder().setQueue("chat").setPageSize(4);
      ListMessagesResponse page = Messaging.list(alice, noEcho.build());
      assertEquals(
          fromBob.subList(0, 4),
          ids(page.getMessagesList()),
          "a page is full though half is skipped");
      assertEquals(
          fromBob.subList(4, 6),
          ids(listAll(alice, noEcho.setPageToken(page.getNextPageToken()).build())));
      assertEquals(
          fromAlice, ids(listAll(bob, ListMessagesRequest.newBuilder().setQueue("chat").build())));
      assertEquals(
          12,
          listAll(bob, ListMessagesRequest.newBuilder().setQueue("chat").setEcho(true).build())
              .size());
    }
  }

  @Test
  void callersWithoutAClientIdAreNotOneClient() {
    List<String> posted = kvdb.messages().post("chat", "anonymous");
    assertEquals(
        posted,
        ids(listAll(kvdb, ListMessagesRequest.newBuilder().setQueue("chat").build())),
        "echo hides a caller's own messages only when the caller says who it is");
  }

  @Test
  void claimedAndDelayedMessagesShowOnlyWhenAsked() {
    List<String> posted = kvdb.messages().post("q", "claimed-1", "claimed-2", "free-1");
    List<String> late =
        kvdb.messages().post("q", List.of(delayed("delayed", Duration.ofMinutes(5))));
    List<String> free = kvdb.messages().post("q", "free-2");
    Claim claim = Messaging.claim(kvdb, "q", 2);
    assertEquals(posted.subList(0, 2), ids(claim));

    assertEquals(
        List.of(posted.get(2), free.get(0)),
        ids(list(listing("q").setPageSize(2)).getMessagesList()),
        "free messages only, a full page");
    List<String> withClaimed = ids(listAll(kvdb, listing("q").setIncludeClaimed(true).build()));
    assertEquals(List.of(posted.get(0), posted.get(1), posted.get(2), free.get(0)), withClaimed);
    List<String> withDelayed = ids(listAll(kvdb, listing("q").setIncludeDelayed(true).build()));
    assertEquals(List.of(posted.get(2), late.get(0), free.get(0)), withDelayed);
    List<String> everything =
        ids(
            listAll(
                kvdb,
                listing("q")
                    .setIncludeClaimed(true)
                    .setIncludeDelayed(true)
                    .setPageSize(1)
                    .build()));
    assertEquals(
        List.of(posted.get(0), posted.get(1), posted.get(2), late.get(0), free.get(0)), everything);

    var shown = list(listing("q").setIncludeClaimed(true).setPageSize(1)).getMessages(0);
    assertEquals(claim.getId(), shown.getClaimId());
    assertTrue(shown.getClaimCount() == 1);
  }

  @Test
  void pageSizeIsOneToAHundred() {
    kvdb.messages().post("q", numbered(101).toArray(String[]::new));
    assertEquals(100, list(listing("q").setPageSize(100)).getMessagesCount());
    Expect.invalid(
        "page_size",
        () -> Direct.call(() -> direct().listMessages(listing("q").setPageSize(101).build())));
    Expect.invalid(
        "page_size",
        () -> Direct.call(() -> direct().listMessages(listing("q").setPageSize(-1).build())));
    Expect.invalid("page_token", () -> list(listing("q").setPageToken("not a token")));
  }

  /** The stub for requests the SDK's options refuse before sending. */
  private MessageServiceGrpc.MessageServiceBlockingStub direct() {
    return MessageServiceGrpc.newBlockingStub(kvdb.channel())
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }
}
