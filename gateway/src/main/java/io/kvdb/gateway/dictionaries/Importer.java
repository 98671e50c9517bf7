package io.kvdb.gateway.dictionaries;

import io.grpc.stub.StreamObserver;
import io.kvdb.gateway.api.ErrorMapper;
import io.kvdb.lua.dictionaries.ChunkCounts;
import io.kvdb.lua.dictionaries.Dictionaries;
import io.kvdb.lua.dictionaries.Dictionary;
import io.kvdb.proto.v1.DictionaryChunk;
import io.kvdb.proto.v1.ImportRequest;
import io.kvdb.proto.v1.ImportResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Import call. Each chunk is validated as it arrives (its fields here, its translations and
 * link counts by the staging script) and staged beside the dictionary, which stays untouched; only
 * when the client has sent everything is the dictionary emptied (with replace) and the staged
 * import applied to it, chunk by chunk. So a refused chunk changes nothing; a failure while
 * applying (Redis lost, the gateway killed) can leave part applied, and importing again is safe.
 * The staging area is removed at the end, or expires if the gateway dies first.
 */
final class Importer implements StreamObserver<ImportRequest> {
  /** How long an import's staged chunks live: the longest an import may take. */
  static final Duration STAGING_TTL = Duration.ofHours(24);

  private static final Logger log = LoggerFactory.getLogger(Importer.class);

  private final Dictionaries dictionaries;
  private final Dictionary dictionary;
  private final Dictionary staging;
  private final StreamObserver<ImportResponse> response;
  private boolean first = true;
  private boolean replace;
  private boolean over;

  Importer(
      Dictionaries dictionaries, Dictionary dictionary, StreamObserver<ImportResponse> response) {
    this.dictionaries = dictionaries;
    this.dictionary = dictionary;
    this.staging = dictionary.newStaging();
    this.response = response;
  }

  @Override
  public void onNext(ImportRequest request) {
    if (over) {
      return;
    }
    try {
      if (first) {
        replace = request.getReplace();
        first = false;
      }
      DictionaryChunk chunk = request.getChunk();
      dictionaries.stageChunk(
          staging,
          replace ? null : dictionary,
          STAGING_TTL,
          DictionaryService.entries("chunk.entries", chunk.getEntriesList(), 0),
          DictionaryService.links("chunk.translations", chunk.getTranslationsList(), 0));
    } catch (RuntimeException failure) {
      fail(failure);
    }
  }

  @Override
  public void onError(Throwable cancelled) {
    if (!over) {
      over = true;
      discardStaging();
    }
  }

  @Override
  public void onCompleted() {
    if (over) {
      return;
    }
    try {
      if (replace) {
        dictionaries.clear(dictionary);
      }
      long entries = 0;
      long translations = 0;
      for (Exporter staged = new Exporter(dictionaries, staging); staged.hasNext(); ) {
        Chunk chunk = staged.next();
        ChunkCounts added = dictionaries.importChunk(dictionary, chunk.entries(), chunk.links());
        entries += added.entries();
        translations += added.links();
      }
      over = true;
      discardStaging();
      response.onNext(
          ImportResponse.newBuilder().setEntries(entries).setTranslations(translations).build());
      response.onCompleted();
    } catch (RuntimeException failure) {
      fail(failure);
    }
  }

  private void fail(RuntimeException failure) {
    over = true;
    discardStaging();
    response.onError(ErrorMapper.toStatus(failure));
  }

  private void discardStaging() {
    try {
      dictionaries.clear(staging);
    } catch (RuntimeException failure) {
      log.warn(
          "could not remove the staging area {} of a finished import; it expires in {}",
          staging.prefix(),
          STAGING_TTL,
          failure);
    }
  }
}
