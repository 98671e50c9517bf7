package io.kvdb.lua.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every {@code KVDB_<REASON>} written in the Lua scripts of a folder, read from their source so
 * tests can hold the scripts to the error conventions of {@code lua/scripts/README.md}.
 */
public final class ScriptErrors {
  private static final Pattern REASON = Pattern.compile("KVDB_([A-Z][A-Z_]*)");

  /** Stands in the text of a raised error for each value joined in with {@code ..}. */
  public static final String VALUE = "{}";

  private ScriptErrors() {}

  /**
   * One {@code KVDB_<REASON>}, in a header comment or in code. When it opens a string literal (the
   * script raises it), {@code text} is what follows {@code KVDB_<REASON> } in the built string,
   * each joined value shown as {@link #VALUE}.
   */
  public record Mention(String where, String reason, Optional<String> text) {}

  /** Every mention in the {@code .lua} files under {@code folder}, in file and line order. */
  public static List<Mention> scan(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      List<Mention> mentions = new ArrayList<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".lua")).sorted().toList()) {
        mentions.addAll(scanSource(folder.relativize(file).toString(), Files.readString(file)));
      }
      return mentions;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Mention> scanSource(String name, String source) {
    List<Mention> mentions = new ArrayList<>();
    Matcher reason = REASON.matcher(source);
    while (reason.find()) {
      int start = reason.start();
      String where =
          name + ":" + (1 + source.substring(0, start).chars().filter(c -> c == '\n').count());
      boolean raised =
          start > 0 && (source.charAt(start - 1) == '\'' || source.charAt(start - 1) == '"');
      Optional<String> text =
          raised
              ? Optional.of(stripPrefix(builtString(source, start - 1), reason.group()))
              : Optional.empty();
      mentions.add(new Mention(where, reason.group(1), text));
    }
    return mentions;
  }

  private static String stripPrefix(String built, String prefix) {
    String rest = built.substring(prefix.length());
    return rest.startsWith(" ") ? rest.substring(1) : rest;
  }

  /**
   * The string the Lua expression at {@code at} builds: string literals joined by {@code ..}, where
   * every other operand becomes {@link #VALUE}.
   */
  private static String builtString(String source, int at) {
    StringBuilder built = new StringBuilder();
    int i = at;
    while (true) {
      char c = source.charAt(i);
      if (c == '\'' || c == '"') {
        i = literal(source, i, built);
      } else {
        i = operand(source, i);
        built.append(VALUE);
      }
      i = skipSpace(source, i);
      if (!source.startsWith("..", i) || source.startsWith("...", i)) {
        return built.toString();
      }
      i = skipSpace(source, i + 2);
    }
  }

  /** Appends the content of the literal opening at {@code i}; returns the index after it. */
  private static int literal(String source, int i, StringBuilder into) {
    char quote = source.charAt(i);
    for (i++; source.charAt(i) != quote; i++) {
      if (source.charAt(i) == '\\') {
        i++;
      }
      into.append(source.charAt(i));
    }
    return i + 1;
  }

  /**
   * Skips a non-literal operand: up to a {@code ..}, {@code ,}, closing bracket or line end at its
   * depth.
   */
  private static int operand(String source, int i) {
    int depth = 0;
    for (; i < source.length(); i++) {
      char c = source.charAt(i);
      if (depth == 0
          && (source.startsWith("..", i)
              || c == ','
              || c == ')'
              || c == ']'
              || c == '}'
              || c == '\n')) {
        return i;
      }
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      }
    }
    return i;
  }

  private static int skipSpace(String source, int i) {
    while (i < source.length() && Character.isWhitespace(source.charAt(i))) {
      i++;
    }
    return i;
  }
}
