package io.kvdb.lua.dict;

import io.kvdb.lua.Keys;

/** Where a dictionary's keys live (see lua/scripts/lib/dict.lua). */
public record Dictionary(String prefix) {
  public static Dictionary of(String project) {
    return new Dictionary(Keys.dictionary(project));
  }
}
