package io.kvdb.gateway.dict;

import io.kvdb.gateway.api.Pages;
import io.kvdb.lua.dict.DictEntry;
import io.kvdb.lua.dict.Dictionaries;
import io.kvdb.lua.dict.ExportedEntry;
import io.kvdb.proto.v1.DictionaryChunk;
import io.kvdb.proto.v1.Translation;
import java.util.List;
import java.util.function.Consumer;

/**
 * Walks a project's dictionary system by system, a page of entries at a time: first every
 * entry, then every link (once: from the entry whose text sorts first), so that chunks imported
 * in order always find the entries their translations name.
 */
final class Exporter {
  private static final int PAGE = 1000;

  private final Dictionaries dictionaries;
  private final String project;
  private final Consumer<DictionaryChunk> sink;

  Exporter(Dictionaries dictionaries, String project, Consumer<DictionaryChunk> sink) {
    this.dictionaries = dictionaries;
    this.project = project;
    this.sink = sink;
  }

  void run() {
    Pages.eachName((after, size) -> dictionaries.systems(project, after, size), PAGE,
        system -> exportSystem(system, true));
    Pages.eachName((after, size) -> dictionaries.systems(project, after, size), PAGE,
        system -> exportSystem(system, false));
  }

  /** One system's entries, or its links, in chunks of a page of entries each. */
  private void exportSystem(String system, boolean entries) {
    String after = null;
    List<ExportedEntry> page;
    do {
      page = dictionaries.exportPage(project, system, after, PAGE);
      DictionaryChunk.Builder chunk = DictionaryChunk.newBuilder();
      for (ExportedEntry exported : page) {
        if (entries) {
          chunk.addEntries(DictionaryService.toProto(exported.entry()));
          continue;
        }
        for (DictEntry other : exported.links()) {
          if (text(exported.entry()).compareTo(text(other)) < 0) {
            chunk.addTranslations(Translation.newBuilder()
                .setFrom(DictionaryService.toProto(exported.entry()))
                .setTo(DictionaryService.toProto(other)));
          }
        }
      }
      if (chunk.getEntriesCount() + chunk.getTranslationsCount() > 0) {
        sink.accept(chunk.build());
      }
      if (!page.isEmpty()) {
        DictEntry last = page.get(page.size() - 1).entry();
        after = last.key() + ":" + last.value();
      }
    } while (page.size() == PAGE);
  }

  private static String text(DictEntry entry) {
    return entry.system() + ":" + entry.key() + ":" + entry.value();
  }
}
