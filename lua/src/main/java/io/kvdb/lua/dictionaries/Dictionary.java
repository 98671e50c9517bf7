package io.kvdb.lua.dictionaries;

import io.kvdb.lua.Keys;
import java.util.UUID;

/**
 * Where a dictionary's keys live: a project's own dictionary, or the staging area of one import
 * into it, which shares its hash tag so that one script may read both (see
 * lua/scripts/lib/dictionaries.lua).
 */
public record Dictionary(String prefix) {
  public static Dictionary of(String project) {
    return new Dictionary(Keys.dictionary(project));
  }

  /** A fresh staging area for an import into this dictionary. */
  public Dictionary newStaging() {
    return new Dictionary(prefix + ":import:" + UUID.randomUUID());
  }
}
