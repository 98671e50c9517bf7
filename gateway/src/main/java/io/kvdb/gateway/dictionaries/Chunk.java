package io.kvdb.gateway.dictionaries;

import io.kvdb.lua.dictionaries.DictionaryEntry;
import io.kvdb.lua.dictionaries.Link;
import io.kvdb.proto.v1.DictionaryChunk;
import io.kvdb.proto.v1.Translation;
import java.util.List;

/**
 * A piece of a dictionary as Export reads it and Import takes it: at most 1000 entries and 1000
 * links.
 */
record Chunk(List<DictionaryEntry> entries, List<Link> links) {
  Chunk {
    entries = List.copyOf(entries);
    links = List.copyOf(links);
  }

  DictionaryChunk toProto() {
    DictionaryChunk.Builder chunk = DictionaryChunk.newBuilder();
    entries.forEach(entry -> chunk.addEntries(DictionaryService.toProto(entry)));
    links.forEach(
        link ->
            chunk.addTranslations(
                Translation.newBuilder()
                    .setFrom(DictionaryService.toProto(link.from()))
                    .setTo(DictionaryService.toProto(link.to()))));
    return chunk.build();
  }
}
