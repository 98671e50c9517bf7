package io.kvdb.lua.dict;

import java.util.List;

/** An entry with the entries it is linked to, as export reads them. */
public record ExportedEntry(DictEntry entry, List<DictEntry> links) {
  public ExportedEntry {
    links = List.copyOf(links);
  }
}
