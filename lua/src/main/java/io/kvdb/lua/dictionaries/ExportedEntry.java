package io.kvdb.lua.dictionaries;

import java.util.List;

/** An entry with the entries it is linked to, as export reads them. */
public record ExportedEntry(DictionaryEntry entry, List<DictionaryEntry> links) {
  public ExportedEntry {
    links = List.copyOf(links);
  }
}
