package io.kvdb.gateway.dictionaries;

import io.kvdb.lua.dictionaries.Dictionaries;
import io.kvdb.lua.dictionaries.Dictionary;
import io.kvdb.lua.dictionaries.DictionaryEntry;
import io.kvdb.lua.dictionaries.ExportedEntry;
import io.kvdb.lua.dictionaries.Link;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads a dictionary chunk by chunk, one bounded page at a time and only when the next chunk is
 * asked for: first every entry, system by system, then every link once (from the entry whose text
 * sorts first), so that chunks imported in order always find the entries their translations name. A
 * chunk never holds more than {@link #CHUNK} entries or translations, what Import takes, however
 * many links the entries have.
 */
final class Exporter implements Iterator<Chunk> {
  static final int CHUNK = DictionaryService.MAX_BATCH;

  private final Dictionaries dictionaries;
  private final Dictionary dictionary;
  private final Deque<Link> links = new ArrayDeque<>();
  private boolean readingLinks;
  private String system;
  private String after;
  private boolean systemDone = true;
  private boolean exhausted;
  private Chunk next;

  Exporter(Dictionaries dictionaries, Dictionary dictionary) {
    this.dictionaries = dictionaries;
    this.dictionary = dictionary;
  }

  @Override
  public boolean hasNext() {
    if (next == null) {
      next = read();
    }
    return next != null;
  }

  @Override
  public Chunk next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Chunk chunk = next;
    next = null;
    return chunk;
  }

  /** The next chunk, or null at the end. */
  private Chunk read() {
    while (true) {
      if (links.size() >= CHUNK || (exhausted && !links.isEmpty())) {
        return takeLinks();
      }
      if (exhausted) {
        return null;
      }
      if (systemDone && !nextSystem()) {
        continue;
      }
      if (!readingLinks) {
        List<DictionaryEntry> page = dictionaries.entries(dictionary, system, "", after, CHUNK);
        systemDone = page.size() < CHUNK;
        if (!page.isEmpty()) {
          after = member(page.get(page.size() - 1));
          return new Chunk(page, List.of());
        }
      } else {
        List<ExportedEntry> page = dictionaries.exportPage(dictionary, system, after, CHUNK, CHUNK);
        systemDone = page.isEmpty();
        for (ExportedEntry exported : page) {
          for (DictionaryEntry other : exported.links()) {
            if (text(exported.entry()).compareTo(text(other)) < 0) {
              links.add(new Link(exported.entry(), other));
            }
          }
          after = member(exported.entry());
        }
      }
    }
  }

  /**
   * Moves to the next system, or to the links pass, or to the end; false if no system was found.
   */
  private boolean nextSystem() {
    List<String> found = dictionaries.systems(dictionary, system, 1);
    if (found.isEmpty()) {
      system = null;
      exhausted = readingLinks;
      readingLinks = true;
      return false;
    }
    system = found.get(0);
    after = null;
    systemDone = false;
    return true;
  }

  private Chunk takeLinks() {
    List<Link> taken = new ArrayList<>(Math.min(CHUNK, links.size()));
    while (taken.size() < CHUNK && !links.isEmpty()) {
      taken.add(links.poll());
    }
    return new Chunk(List.of(), taken);
  }

  private static String member(DictionaryEntry entry) {
    return entry.key() + ":" + entry.value();
  }

  private static String text(DictionaryEntry entry) {
    return entry.system() + ":" + entry.key() + ":" + entry.value();
  }
}
