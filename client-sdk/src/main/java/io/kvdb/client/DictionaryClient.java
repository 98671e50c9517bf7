package io.kvdb.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.grpc.stub.StreamObserver;
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
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Data dictionaries: entries per system, translations both ways, export and import as JSON. */
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
    return Calls.blocking(() -> blocking().putEntries(PutEntriesRequest.newBuilder().addAllEntries(entries).build()))
        .getCount();
  }

  /** Deletes entries and their translations; returns how many existed. */
  public long deleteEntries(List<Entry> entries) {
    return Calls.blocking(() -> blocking().deleteEntries(DeleteEntriesRequest.newBuilder().addAllEntries(entries).build()))
        .getCount();
  }

  public ListSystemsResponse listSystems(ListSystemsRequest request) {
    return Calls.blocking(() -> blocking().listSystems(request));
  }

  public ListEntriesResponse listEntries(ListEntriesRequest request) {
    return Calls.blocking(() -> blocking().listEntries(request));
  }

  /** Links pairs of existing entries; returns how many links were new. */
  public long putTranslations(List<Translation> translations) {
    PutTranslationsRequest request = PutTranslationsRequest.newBuilder().addAllTranslations(translations).build();
    return Calls.blocking(() -> blocking().putTranslations(request)).getCount();
  }

  public long deleteTranslations(List<Translation> translations) {
    DeleteTranslationsRequest request = DeleteTranslationsRequest.newBuilder().addAllTranslations(translations).build();
    return Calls.blocking(() -> blocking().deleteTranslations(request)).getCount();
  }

  /** What {@code value} of {@code key} in one system is in another (same key); empty if unknown. */
  public Optional<String> translate(String fromSystem, String key, String value, String toSystem) {
    return translate(TranslateRequest.newBuilder()
        .setFromSystem(fromSystem).setKey(key).setValue(value).setToSystem(toSystem).build());
  }

  public Optional<String> translate(TranslateRequest request) {
    try {
      return Optional.of(Calls.blocking(() -> blocking().translate(request)).getValue());
    } catch (KvdbException error) {
      if (error.code() == io.grpc.Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw error;
    }
  }

  public TranslateBatchResponse translateBatch(List<TranslateRequest> requests) {
    return Calls.blocking(() -> blocking().translateBatch(
        TranslateBatchRequest.newBuilder().addAllRequests(requests).build()));
  }

  /** Everything, merged into one chunk. */
  public DictionaryChunk export() {
    DictionaryChunk.Builder all = DictionaryChunk.newBuilder();
    Calls.blocking(() -> {
      Iterator<DictionaryChunk> chunks = DictionaryServiceGrpc.newBlockingStub(client.channel())
          .export(ExportRequest.getDefaultInstance());
      chunks.forEachRemaining(all::mergeFrom);
      return null;
    });
    return all.build();
  }

  /** Everything, in the documented JSON exchange format. */
  public String exportJson() {
    try {
      return JsonFormat.printer().print(export());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Loads a dictionary in chunks of 1000, replacing the project's with {@code replace}; a refused
   * import changes nothing (see {@code DictionaryService.Import}).
   */
  public ImportResponse importAll(DictionaryChunk dictionary, boolean replace) {
    CompletableFuture<ImportResponse> done = new CompletableFuture<>();
    StreamObserver<ImportRequest> requests = DictionaryServiceGrpc.newStub(client.channel()).import_(
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
    // Every entry before any translation, so each chunk finds the entries its links name.
    List<DictionaryChunk> chunks = new java.util.ArrayList<>();
    List<Entry> entries = dictionary.getEntriesList();
    for (int at = 0; at < entries.size(); at += CHUNK) {
      chunks.add(DictionaryChunk.newBuilder().addAllEntries(entries.subList(at, Math.min(at + CHUNK, entries.size()))).build());
    }
    List<Translation> translations = dictionary.getTranslationsList();
    for (int at = 0; at < translations.size(); at += CHUNK) {
      chunks.add(DictionaryChunk.newBuilder()
          .addAllTranslations(translations.subList(at, Math.min(at + CHUNK, translations.size()))).build());
    }
    if (chunks.isEmpty()) {
      chunks.add(DictionaryChunk.getDefaultInstance());
    }
    for (int i = 0; i < chunks.size(); i++) {
      requests.onNext(ImportRequest.newBuilder().setReplace(replace && i == 0).setChunk(chunks.get(i)).build());
    }
    requests.onCompleted();
    return Calls.blocking(done::join);
  }

  /** Loads a dictionary from the JSON exchange format. */
  public ImportResponse importJson(String json, boolean replace) {
    DictionaryChunk.Builder dictionary = DictionaryChunk.newBuilder();
    try {
      JsonFormat.parser().merge(json, dictionary);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not a KVDB dictionary: " + e.getMessage(), e);
    }
    return importAll(dictionary.build(), replace);
  }

  private DictionaryServiceGrpc.DictionaryServiceBlockingStub blocking() {
    return client.withDeadline(DictionaryServiceGrpc.newBlockingStub(client.channel()));
  }
}
