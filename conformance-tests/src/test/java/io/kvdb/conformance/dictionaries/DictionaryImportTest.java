package io.kvdb.conformance.dictionaries;

import static io.kvdb.client.DictionaryClient.entry;
import static io.kvdb.client.DictionaryClient.translation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.kvdb.client.KvdbClient;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.proto.v1.DictionaryChunk;
import io.kvdb.proto.v1.DictionaryServiceGrpc;
import io.kvdb.proto.v1.Entry;
import io.kvdb.proto.v1.ExportRequest;
import io.kvdb.proto.v1.ImportRequest;
import io.kvdb.proto.v1.ImportResponse;
import io.kvdb.proto.v1.Translation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Export and Import as raw streams: every export imports chunk by chunk; a refused import changes
 * nothing.
 */
class DictionaryImportTest {
  private static final Entry OLD = entry("OLD", "k", "v");

  private ManagedChannel channel;
  private String source;
  private String target;

  @BeforeEach
  void openChannel() {
    channel = ManagedChannelBuilder.forTarget(KvdbTarget.address()).usePlaintext().build();
    source = KvdbTarget.freshProject();
    target = KvdbTarget.freshProject();
  }

  @AfterEach
  void closeChannel() {
    channel.shutdownNow();
  }

  private DictionaryServiceGrpc.DictionaryServiceStub stub(String project) {
    return DictionaryServiceGrpc.newStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers(project)));
  }

  private List<DictionaryChunk> export(String project) {
    List<DictionaryChunk> chunks = new ArrayList<>();
    DictionaryServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers(project)))
        .export(ExportRequest.getDefaultInstance())
        .forEachRemaining(chunks::add);
    return chunks;
  }

  private static Metadata headers(String project) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("x-project-id", Metadata.ASCII_STRING_MARSHALLER), project);
    return headers;
  }

  /** How an import was refused: its status and the field its ErrorInfo names (empty if none). */
  private record Refusal(Status.Code code, String field, String message) {
    static Refusal of(Throwable error) throws Exception {
      com.google.rpc.Status details = StatusProto.fromThrowable(error);
      if (details == null) {
        throw new AssertionError("not a gRPC status", error);
      }
      String field = "";
      for (Any detail : details.getDetailsList()) {
        if (detail.is(ErrorInfo.class)) {
          field = detail.unpack(ErrorInfo.class).getMetadataOrDefault("field", "");
        }
      }
      return new Refusal(Status.fromThrowable(error).getCode(), field, details.getMessage());
    }
  }

  private Refusal refusedImport(String project, boolean replace, List<DictionaryChunk> chunks)
      throws Exception {
    try {
      importChunks(project, replace, chunks);
    } catch (StatusRuntimeException refused) {
      return Refusal.of(refused);
    }
    throw new AssertionError("the import was accepted");
  }

  /** Sends the chunks as one Import stream, as they are; replace on the first. */
  private ImportResponse importChunks(String project, boolean replace, List<DictionaryChunk> chunks)
      throws Exception {
    CompletableFuture<ImportResponse> done = new CompletableFuture<>();
    StreamObserver<ImportRequest> requests =
        stub(project)
            .import_(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ImportResponse response) {
                    done.complete(response);
                  }

                  @Override
                  public void onError(Throwable error) {
                    done.completeExceptionally(error);
                  }

                  @Override
                  public void onCompleted() {}
                });
    for (int i = 0; i < chunks.size(); i++) {
      requests.onNext(
          ImportRequest.newBuilder().setReplace(replace && i == 0).setChunk(chunks.get(i)).build());
    }
    requests.onCompleted();
    try {
      return done.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException failure) {
      throw (Exception) failure.getCause();
    }
  }

  private static DictionaryChunk merged(List<DictionaryChunk> chunks) {
    DictionaryChunk.Builder all = DictionaryChunk.newBuilder();
    chunks.forEach(all::mergeFrom);
    return all.build();
  }

  private static DictionaryChunk entries(Entry... entries) {
    return DictionaryChunk.newBuilder().addAllEntries(List.of(entries)).build();
  }

  @Test
  void anExportWhoseEntriesHaveManyLinksImportsChunkByChunk() throws Exception {
    List<Entry> crm = new ArrayList<>();
    List<Entry> accounting = new ArrayList<>();
    List<Entry> shop = new ArrayList<>();
    List<Translation> links = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      crm.add(entry("A-CRM", "code", "c" + i));
      accounting.add(entry("B-ACCOUNTING", "code", "a" + i));
      shop.add(entry("C-SHOP", "code", "s" + i));
      links.add(translation(crm.get(i), accounting.get(i)));
      links.add(translation(crm.get(i), shop.get(i)));
    }
    try (KvdbClient client = KvdbTarget.client(source)) {
      client.dictionaries().putEntries(crm);
      client.dictionaries().putEntries(accounting);
      client.dictionaries().putEntries(shop);
      client.dictionaries().putTranslations(links.subList(0, 1000));
      client.dictionaries().putTranslations(links.subList(1000, 2000));
    }

    List<DictionaryChunk> chunks = export(source);
    for (DictionaryChunk chunk : chunks) {
      assertTrue(
          chunk.getEntriesCount() <= 1000 && chunk.getTranslationsCount() <= 1000,
          chunk.getEntriesCount()
              + " entries, "
              + chunk.getTranslationsCount()
              + " translations in one chunk");
    }
    ImportResponse loaded = importChunks(target, true, chunks);
    assertEquals(3000, loaded.getEntries());
    assertEquals(2000, loaded.getTranslations());
    DictionaryChunk original = merged(chunks);
    DictionaryChunk copy = merged(export(target));
    assertEquals(new HashSet<>(original.getEntriesList()), new HashSet<>(copy.getEntriesList()));
    assertEquals(
        new HashSet<>(original.getTranslationsList()), new HashSet<>(copy.getTranslationsList()));
    assertEquals(2000, copy.getTranslationsCount(), "each link once");
  }

  private void assertOnlyOld() {
    DictionaryChunk left = merged(export(target));
    assertEquals(List.of(OLD), left.getEntriesList(), "the refused import changed the dictionary");
    assertEquals(0, left.getTranslationsCount());
  }

  @Test
  void aReplaceRefusedByALaterChunkKeepsTheDictionary() throws Exception {
    try (KvdbClient client = KvdbTarget.client(target)) {
      client.dictionaries().putEntries(List.of(OLD));
    }
    Refusal refused =
        refusedImport(
            target,
            true,
            List.of(entries(entry("NEW", "k", "1")), entries(entry("NEW", "k", "tab\there"))));
    assertEquals(Status.Code.INVALID_ARGUMENT, refused.code(), refused.message());
    assertEquals("chunk.entries.0.value", refused.field(), refused.message());
    assertOnlyOld();
  }

  @Test
  void aChunkTooBigIsRefusedBeforeAnythingIsWritten() throws Exception {
    try (KvdbClient client = KvdbTarget.client(target)) {
      client.dictionaries().putEntries(List.of(OLD));
    }
    List<Entry> tooMany = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      tooMany.add(entry("NEW", "k", "v" + i));
    }
    Refusal refused =
        refusedImport(
            target,
            true,
            List.of(
                entries(entry("NEW", "k", "1")),
                DictionaryChunk.newBuilder().addAllEntries(tooMany).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, refused.code(), refused.message());
    assertEquals("chunk.entries", refused.field(), refused.message());
    assertOnlyOld();
  }

  @Test
  void aMergeRefusedByALaterChunkAddsNothing() throws Exception {
    try (KvdbClient client = KvdbTarget.client(target)) {
      client.dictionaries().putEntries(List.of(OLD));
    }
    Entry added = entry("NEW", "k", "1");
    DictionaryChunk dangling =
        DictionaryChunk.newBuilder()
            .addTranslations(translation(added, entry("MISSING", "k", "2")))
            .build();
    Refusal refused = refusedImport(target, false, List.of(entries(added), dangling));
    assertEquals(Status.Code.NOT_FOUND, refused.code(), refused.message());
    assertTrue(refused.message().contains("translations.0.to"), refused.message());
    assertOnlyOld();
  }

  @Test
  void aReplaceValidatesTranslationsAgainstTheImportNotTheDictionaryItReplaces() throws Exception {
    try (KvdbClient client = KvdbTarget.client(target)) {
      client.dictionaries().putEntries(List.of(OLD));
    }
    Entry added = entry("NEW", "k", "1");
    DictionaryChunk toOld =
        DictionaryChunk.newBuilder().addTranslations(translation(added, OLD)).build();
    Refusal refused = refusedImport(target, true, List.of(entries(added), toOld));
    assertEquals(Status.Code.NOT_FOUND, refused.code(), refused.message());
    assertOnlyOld();
  }

  @Test
  void aMergeMayLinkToEntriesTheDictionaryHas() throws Exception {
    Entry first = entry("A-FIRST", "k", "a");
    try (KvdbClient client = KvdbTarget.client(target)) {
      client.dictionaries().putEntries(List.of(OLD, first));
    }
    Entry added = entry("NEW", "k", "1");
    ImportResponse loaded =
        importChunks(
            target,
            false,
            List.of(
                entries(added),
                DictionaryChunk.newBuilder()
                    .addTranslations(translation(added, OLD))
                    .addTranslations(translation(added, first))
                    .build()));
    assertEquals(1, loaded.getEntries());
    assertEquals(2, loaded.getTranslations());
    try (KvdbClient client = KvdbTarget.client(target)) {
      assertEquals(Optional.of("1"), client.dictionaries().translate("OLD", "k", "v", "NEW"));
      assertEquals(
          Optional.of("1"),
          client.dictionaries().translate("A-FIRST", "k", "a", "NEW"),
          "a link to an entry that sorts before the imported one");
    }
  }
}
