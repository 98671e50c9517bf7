package io.kvdb.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kvdb.proto.v1.CountResponse;
import io.kvdb.proto.v1.DeleteEntriesRequest;
import io.kvdb.proto.v1.DeleteTranslationsRequest;
import io.kvdb.proto.v1.DictionaryChunk;
import io.kvdb.proto.v1.DictionaryServiceGrpc;
import io.kvdb.proto.v1.Entry;
import io.kvdb.proto.v1.ExportRequest;
import io.kvdb.proto.v1.ImportRequest;
import io.kvdb.proto.v1.ImportResponse;
import io.kvdb.proto.v1.ListEntriesRequest;
import io.kvdb.proto.v1.ListEntriesResponse;
import io.kvdb.proto.v1.ListSystemsRequest;
import io.kvdb.proto.v1.ListSystemsResponse;
import io.kvdb.proto.v1.PutEntriesRequest;
import io.kvdb.proto.v1.PutTranslationsRequest;
import io.kvdb.proto.v1.TranslateBatchRequest;
import io.kvdb.proto.v1.TranslateBatchResponse;
import io.kvdb.proto.v1.TranslateRequest;
import io.kvdb.proto.v1.Translation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Data dictionaries: entries per system, translations both ways, export and import as JSON. Each
 * call blocks, and its {@code ...Async} twin returns a {@link CompletableFuture}.
 *
 * <pre>{@code
 * Entry usd = DictionaryClient.entry("CRM", "currency", "USD");
 * Entry code = DictionaryClient.entry("ACCOUNTING", "currency", "840");
 * kvdb.dictionaries().putEntries(List.of(usd, code));
 * kvdb.dictionaries().putTranslations(List.of(DictionaryClient.translation(usd, code)));
 * kvdb.dictionaries().translate("CRM", "currency", "USD", "ACCOUNTING"); // Optional[840]
 * }</pre>
 */
public final class DictionaryClient {
  private static final int CHUNK = 1000;

  private final KvdbClient client;

  DictionaryClient(KvdbClient client) {
    this.client = client;
  }

  /** An entry, e.g. {@code entry("CRM", "currency", "USD")}. */
  public static Entry entry(String system, String key, String value) {
    return Entry.newBuilder().setSystem(system).setKey(key).setValue(value).build();
  }

  /** A translation between two entries, usable both ways. */
  public static Translation translation(Entry from, Entry to) {
    return Translation.newBuilder().setFrom(from).setTo(to).build();
  }

  /** Adds entries; returns how many were new. */
  public long putEntries(List<Entry> entries) {
    return Calls.await(putEntriesAsync(entries));
  }

  public CompletableFuture<Long> putEntriesAsync(List<Entry> entries) {
    PutEntriesRequest request = PutEntriesRequest.newBuilder().addAllEntries(entries).build();
    return Calls.unary(stub()::putEntries, request).thenApply(CountResponse::getCount);
  }

  /** Deletes entries and their translations; returns how many existed. */
  public long deleteEntries(List<Entry> entries) {
    return Calls.await(deleteEntriesAsync(entries));
  }

  public CompletableFuture<Long> deleteEntriesAsync(List<Entry> entries) {
    DeleteEntriesRequest request = DeleteEntriesRequest.newBuilder().addAllEntries(entries).build();
    return Calls.unary(stub()::deleteEntries, request).thenApply(CountResponse::getCount);
  }

  /** One page of the systems that have entries, in name order. */
  public ListSystemsResponse listSystems(PageOptions page) {
    return Calls.await(listSystemsAsync(page));
  }

  public CompletableFuture<ListSystemsResponse> listSystemsAsync(PageOptions page) {
    ListSystemsRequest request =
        ListSystemsRequest.newBuilder()
            .setPageSize(page.pageSize())
            .setPageToken(page.pageToken())
            .build();
    return Calls.unary(stub()::listSystems, request);
  }

  /** One page of a system's entries, in key then value order. */
  public ListEntriesResponse listEntries(String system, ListEntriesOptions options) {
    return Calls.await(listEntriesAsync(system, options));
  }

  public CompletableFuture<ListEntriesResponse> listEntriesAsync(
      String system, ListEntriesOptions options) {
    ListEntriesRequest request =
        ListEntriesRequest.newBuilder()
            .setSystem(system)
            .setKey(options.key())
            .setPageSize(options.pageSize())
            .setPageToken(options.pageToken())
            .build();
    return Calls.unary(stub()::listEntries, request);
  }

  /** Links pairs of existing entries; returns how many links were new. */
  public long putTranslations(List<Translation> translations) {
    return Calls.await(putTranslationsAsync(translations));
  }

  public CompletableFuture<Long> putTranslationsAsync(List<Translation> translations) {
    PutTranslationsRequest request =
        PutTranslationsRequest.newBuilder().addAllTranslations(translations).build();
    return Calls.unary(stub()::putTranslations, request).thenApply(CountResponse::getCount);
  }

  /** Unlinks pairs; returns how many links existed. */
  public long deleteTranslations(List<Translation> translations) {
    return Calls.await(deleteTranslationsAsync(translations));
  }

  public CompletableFuture<Long> deleteTranslationsAsync(List<Translation> translations) {
    DeleteTranslationsRequest request =
        DeleteTranslationsRequest.newBuilder().addAllTranslations(translations).build();
    return Calls.unary(stub()::deleteTranslations, request).thenApply(CountResponse::getCount);
  }

  /** What {@code value} of {@code key} in one system is in another (same key); empty if unknown. */
  public Optional<String> translate(String fromSystem, String key, String value, String toSystem) {
    return Calls.await(translateAsync(fromSystem, key, value, toSystem));
  }

  public CompletableFuture<Optional<String>> translateAsync(
      String fromSystem, String key, String value, String toSystem) {
    return translateAsync(
        TranslateRequest.newBuilder()
            .setFromSystem(fromSystem)
            .setKey(key)
            .setValue(value)
            .setToSystem(toSystem)
            .build());
  }

  /**
   * The question in full (with {@code to_key} for another key), as {@link #translateBatch} takes
   * them.
   */
  public Optional<String> translate(TranslateRequest question) {
    return Calls.await(translateAsync(question));
  }

  public CompletableFuture<Optional<String>> translateAsync(TranslateRequest question) {
    return Calls.unary(stub()::translate, question)
        .handle(
            (answer, failure) -> {
              if (failure == null) {
                return Optional.of(answer.getValue());
              }
              KvdbException error = KvdbException.from(failure);
              if (error.code() == Status.Code.NOT_FOUND) {
                return Optional.<String>empty();
              }
              throw error;
            });
  }

  /** Many questions (1 to 1000) in one call; each answer says whether it was found. */
  public TranslateBatchResponse translateBatch(List<TranslateRequest> questions) {
    return Calls.await(translateBatchAsync(questions));
  }

  public CompletableFuture<TranslateBatchResponse> translateBatchAsync(
      List<TranslateRequest> questions) {
    TranslateBatchRequest request =
        TranslateBatchRequest.newBuilder().addAllRequests(questions).build();
    return Calls.unary(stub()::translateBatch, request);
  }

  /** Everything, merged into one chunk. */
  public DictionaryChunk export() {
    return Calls.await(exportAsync());
  }

  public CompletableFuture<DictionaryChunk> exportAsync() {
    CompletableFuture<DictionaryChunk> done = new CompletableFuture<>();
    DictionaryChunk.Builder all = DictionaryChunk.newBuilder();
    // No deadline, as for Import: an export takes as long as the dictionary is big.
    DictionaryServiceGrpc.newStub(client.channel())
        .export(
            ExportRequest.getDefaultInstance(),
            new StreamObserver<>() {
              @Override
              public void onNext(DictionaryChunk chunk) {
                all.mergeFrom(chunk);
              }

              @Override
              public void onError(Throwable error) {
                done.completeExceptionally(KvdbException.from(error));
              }

              @Override
              public void onCompleted() {
                done.complete(all.build());
              }
            });
    return done;
  }

  /** Everything, in the documented JSON exchange format. */
  public String exportJson() {
    return Calls.await(exportJsonAsync());
  }

  public CompletableFuture<String> exportJsonAsync() {
    return exportAsync()
        .thenApply(
            dictionary -> {
              try {
                return JsonFormat.printer().print(dictionary);
              } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
              }
            });
  }

  /**
   * Loads a dictionary in chunks of 1000, replacing the project's with {@code replace}; a refused
   * import changes nothing (see {@code DictionaryService.Import}).
   */
  public ImportResponse importAll(DictionaryChunk dictionary, boolean replace) {
    return Calls.await(importAllAsync(dictionary, replace));
  }

  public CompletableFuture<ImportResponse> importAllAsync(
      DictionaryChunk dictionary, boolean replace) {
    CompletableFuture<ImportResponse> done = new CompletableFuture<>();
    StreamObserver<ImportRequest> requests =
        DictionaryServiceGrpc.newStub(client.channel())
            .import_(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ImportResponse response) {
                    done.complete(response);
                  }

                  @Override
                  public void onError(Throwable error) {
                    done.completeExceptionally(KvdbException.from(error));
                  }

                  @Override
                  public void onCompleted() {}
                });
    List<DictionaryChunk> chunks = chunks(dictionary);
    for (int i = 0; i < chunks.size(); i++) {
      requests.onNext(
          ImportRequest.newBuilder().setReplace(replace && i == 0).setChunk(chunks.get(i)).build());
    }
    requests.onCompleted();
    return done;
  }

  /** Loads a dictionary from the JSON exchange format. */
  public ImportResponse importJson(String json, boolean replace) {
    return Calls.await(importJsonAsync(json, replace));
  }

  public CompletableFuture<ImportResponse> importJsonAsync(String json, boolean replace) {
    DictionaryChunk.Builder dictionary = DictionaryChunk.newBuilder();
    try {
      JsonFormat.parser().merge(json, dictionary);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not a KVDB dictionary: " + e.getMessage(), e);
    }
    return importAllAsync(dictionary.build(), replace);
  }

  /** Every entry before any translation, so each chunk finds the entries its links name. */
  private static List<DictionaryChunk> chunks(DictionaryChunk dictionary) {
    List<DictionaryChunk> chunks = new ArrayList<>();
    List<Entry> entries = dictionary.getEntriesList();
    for (int at = 0; at < entries.size(); at += CHUNK) {
      chunks.add(
          DictionaryChunk.newBuilder()
              .addAllEntries(entries.subList(at, Math.min(at + CHUNK, entries.size())))
              .build());
    }
    List<Translation> translations = dictionary.getTranslationsList();
    for (int at = 0; at < translations.size(); at += CHUNK) {
      chunks.add(
          DictionaryChunk.newBuilder()
              .addAllTranslations(
                  translations.subList(at, Math.min(at + CHUNK, translations.size())))
              .build());
    }
    if (chunks.isEmpty()) {
      chunks.add(DictionaryChunk.getDefaultInstance());
    }
    return chunks;
  }

  private DictionaryServiceGrpc.DictionaryServiceStub stub() {
    return client.unaryStub(DictionaryServiceGrpc.newStub(client.channel()));
  }
}
