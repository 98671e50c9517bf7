package io.kvdb.gateway.dictionaries;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kvdb.gateway.api.Bounds;
import io.kvdb.gateway.api.CallContext;
import io.kvdb.gateway.api.InvalidArgumentException;
import io.kvdb.gateway.api.Names;
import io.kvdb.gateway.api.PageRequest;
import io.kvdb.gateway.api.Unary;
import io.kvdb.lua.dictionaries.Dictionaries;
import io.kvdb.lua.dictionaries.Dictionary;
import io.kvdb.lua.dictionaries.DictionaryEntry;
import io.kvdb.lua.dictionaries.Link;
import io.kvdb.lua.dictionaries.Lookup;
import io.kvdb.lua.script.Reason;
import io.kvdb.lua.script.ScriptRefusedException;
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
import io.kvdb.proto.v1.TranslateResponse;
import io.kvdb.proto.v1.Translation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code kvdb.v1.DictionaryService}: entries, translations both ways, export and import. */
public final class DictionaryService extends DictionaryServiceGrpc.DictionaryServiceImplBase {
  static final int MAX_BATCH = 1000;
  static final int MAX_VALUE_BYTES = 1024;

  private final Dictionaries dictionaries;

  public DictionaryService(Dictionaries dictionaries) {
    this.dictionaries = dictionaries;
  }

  @Override
  public void putEntries(PutEntriesRequest request, StreamObserver<CountResponse> observer) {
    Unary.respond(
        observer,
        () ->
            count(
                dictionaries.putEntries(
                    CallContext.project(), entries("entries", request.getEntriesList()))));
  }

  @Override
  public void deleteEntries(DeleteEntriesRequest request, StreamObserver<CountResponse> observer) {
    Unary.respond(
        observer,
        () ->
            count(
                dictionaries.deleteEntries(
                    CallContext.project(), entries("entries", request.getEntriesList()))));
  }

  @Override
  public void listSystems(
      ListSystemsRequest request, StreamObserver<ListSystemsResponse> observer) {
    Unary.respond(
        observer,
        () -> {
          PageRequest page =
              PageRequest.of(request.getPageSize(), 10, 1000, request.getPageToken());
          List<String> found =
              dictionaries.systems(
                  Dictionary.of(CallContext.project()), page.after(), page.size() + 1);
          ListSystemsResponse.Builder response =
              ListSystemsResponse.newBuilder()
                  .addAllSystems(found.subList(0, Math.min(page.size(), found.size())));
          if (found.size() > page.size()) {
            response.setNextPageToken(PageRequest.tokenAfter(found.get(page.size() - 1)));
          }
          return response.build();
        });
  }

  @Override
  public void listEntries(
      ListEntriesRequest request, StreamObserver<ListEntriesResponse> observer) {
    Unary.respond(
        observer,
        () -> {
          String system = Names.name("system", request.getSystem());
          String key = request.getKey().isEmpty() ? "" : Names.name("key", request.getKey());
          PageRequest page =
              PageRequest.of(request.getPageSize(), 10, 1000, request.getPageToken());
          List<DictionaryEntry> found =
              dictionaries.entries(
                  Dictionary.of(CallContext.project()), system, key, page.after(), page.size() + 1);
          ListEntriesResponse.Builder response = ListEntriesResponse.newBuilder();
          found.stream().limit(page.size()).forEach(entry -> response.addEntries(toProto(entry)));
          if (found.size() > page.size()) {
            DictionaryEntry last = found.get(page.size() - 1);
            response.setNextPageToken(PageRequest.tokenAfter(last.key() + ":" + last.value()));
          }
          return response.build();
        });
  }

  @Override
  public void putTranslations(
      PutTranslationsRequest request, StreamObserver<CountResponse> observer) {
    Unary.respond(
        observer,
        () ->
            count(
                dictionaries.putTranslations(
                    CallContext.project(), links("translations", request.getTranslationsList()))));
  }

  @Override
  public void deleteTranslations(
      DeleteTranslationsRequest request, StreamObserver<CountResponse> observer) {
    Unary.respond(
        observer,
        () ->
            count(
                dictionaries.deleteTranslations(
                    CallContext.project(), links("translations", request.getTranslationsList()))));
  }

  @Override
  public void translate(TranslateRequest request, StreamObserver<TranslateResponse> observer) {
    Unary.respond(
        observer,
        () -> {
          Optional<String> value =
              dictionaries.translate(CallContext.project(), List.of(lookup("", request))).get(0);
          return TranslateResponse.newBuilder()
              .setValue(
                  value.orElseThrow(
                      () ->
                          new ScriptRefusedException(
                              Reason.NOT_FOUND,
                              "no translation of "
                                  + request.getFromSystem()
                                  + "/"
                                  + request.getKey()
                                  + "/"
                                  + request.getValue()
                                  + " into "
                                  + request.getToSystem())))
              .build();
        });
  }

  @Override
  public void translateBatch(
      TranslateBatchRequest request, StreamObserver<TranslateBatchResponse> observer) {
    Unary.respond(
        observer,
        () -> {
          Bounds.count("requests", request.getRequestsCount(), 1, MAX_BATCH);
          List<Lookup> lookups = new ArrayList<>();
          for (int i = 0; i < request.getRequestsCount(); i++) {
            lookups.add(lookup("requests." + i + ".", request.getRequests(i)));
          }
          TranslateBatchResponse.Builder response = TranslateBatchResponse.newBuilder();
          for (Optional<String> value : dictionaries.translate(CallContext.project(), lookups)) {
            response.addAnswers(
                TranslateBatchResponse.Answer.newBuilder()
                    .setFound(value.isPresent())
                    .setValue(value.orElse("")));
          }
          return response.build();
        });
  }

  @Override
  public void export(ExportRequest request, StreamObserver<DictionaryChunk> observer) {
    ExportStream.start(
        new Exporter(dictionaries, Dictionary.of(CallContext.project())),
        (ServerCallStreamObserver<DictionaryChunk>) observer);
  }

  @Override
  public StreamObserver<ImportRequest> import_(StreamObserver<ImportResponse> observer) {
    return new Importer(dictionaries, Dictionary.of(CallContext.project()), observer);
  }

  private static CountResponse count(long count) {
    return CountResponse.newBuilder().setCount(count).build();
  }

  private static List<DictionaryEntry> entries(String field, List<Entry> entries) {
    return entries(field, entries, 1);
  }

  static List<DictionaryEntry> entries(String field, List<Entry> entries, int min) {
    Bounds.count(field, entries.size(), min, MAX_BATCH);
    List<DictionaryEntry> valid = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      valid.add(entry(field + "." + i, entries.get(i)));
    }
    return valid;
  }

  private static List<Link> links(String field, List<Translation> translations) {
    return links(field, translations, 1);
  }

  static List<Link> links(String field, List<Translation> translations, int min) {
    Bounds.count(field, translations.size(), min, MAX_BATCH);
    List<Link> valid = new ArrayList<>(translations.size());
    for (int i = 0; i < translations.size(); i++) {
      Translation translation = translations.get(i);
      valid.add(
          new Link(
              entry(field + "." + i + ".from", translation.getFrom()),
              entry(field + "." + i + ".to", translation.getTo())));
    }
    return valid;
  }

  static DictionaryEntry entry(String field, Entry entry) {
    return new DictionaryEntry(
        Names.name(field + ".system", entry.getSystem()),
        Names.name(field + ".key", entry.getKey()),
        value(field + ".value", entry.getValue()));
  }

  private static Lookup lookup(String field, TranslateRequest request) {
    String key = Names.name(field + "key", request.getKey());
    return new Lookup(
        Names.name(field + "from_system", request.getFromSystem()),
        key,
        value(field + "value", request.getValue()),
        Names.name(field + "to_system", request.getToSystem()),
        request.getToKey().isEmpty() ? key : Names.name(field + "to_key", request.getToKey()));
  }

  private static String value(String field, String value) {
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes == 0 || bytes > MAX_VALUE_BYTES) {
      throw new InvalidArgumentException(
          field, "must be 1 to " + MAX_VALUE_BYTES + " bytes, got " + bytes);
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidArgumentException(field, "must not contain control characters");
    }
    return value;
  }

  static Entry toProto(DictionaryEntry entry) {
    return Entry.newBuilder()
        .setSystem(entry.system())
        .setKey(entry.key())
        .setValue(entry.value())
        .build();
  }
}
