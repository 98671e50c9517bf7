package io.kvdb.gateway.api;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/** Walks a listing kept in name order (a Redis lex range) page by page, for background work. */
public final class Pages {
  private Pages() {}

  /**
   * Calls {@code action} for every name {@code page} returns, asking for pages of {@code size}
   * names after the last name of the page before (null for the first).
   */
  public static void eachName(
      BiFunction<String, Integer, List<String>> page, int size, Consumer<String> action) {
    String after = null;
    List<String> names;
    do {
      names = page.apply(after, size);
      names.forEach(action);
      after = names.isEmpty() ? null : names.get(names.size() - 1);
    } while (names.size() == size);
  }
}
