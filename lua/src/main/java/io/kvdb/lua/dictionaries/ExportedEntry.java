package io.kvdb.lua.dictionaries;

import io.kvdb.lua.script.ScriptReply;
import java.util.ArrayList;
import java.util.List;

/** An entry with the entries it is linked to, as export reads them. */
public record ExportedEntry(DictionaryEntry entry, List<DictionaryEntry> links) {
  public ExportedEntry {
    links = List.copyOf(links);
  }

  /** Decodes the reply of dictionaries/export_page, a page of {@code system}'s entries. */
  static List<ExportedEntry> decodePage(String system, Object result) {
    ScriptReply reply = ScriptReply.of(result);
    List<ExportedEntry> page = new ArrayList<>();
    while (reply.hasNext()) {
      DictionaryEntry entry = DictionaryEntry.parse(system + ":" + reply.nextString());
      int linkCount = reply.nextInt();
      List<DictionaryEntry> linked = new ArrayList<>(linkCount);
      for (int l = 0; l < linkCount; l++) {
        linked.add(DictionaryEntry.parse(reply.nextString()));
      }
      page.add(new ExportedEntry(entry, linked));
    }
    return page;
  }
}
