package io.kvdb.lua.script;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a script from the classpath and expands its {@code -- @include lib/name} lines with the
 * named library file, so that helpers shared by several scripts are written once. Redis itself has
 * no include mechanism; the expanded text is what {@code SCRIPT LOAD} receives.
 */
final class ScriptSource {
  private static final String ROOT = "kvdb/scripts/";
  private static final Pattern INCLUDE = Pattern.compile("(?m)^-- @include (\\S+)\\s*$");

  private ScriptSource() {}

  static String read(String path) {
    return expand(path, new HashSet<>());
  }

  private static String expand(String path, Set<String> included) {
    String text = resource(path);
    Matcher include = INCLUDE.matcher(text);
    StringBuilder expanded = new StringBuilder();
    while (include.find()) {
      String library = include.group(1);
      String body = included.add(library) ? expand(library, included) : "";
      include.appendReplacement(expanded, Matcher.quoteReplacement(body));
    }
    include.appendTail(expanded);
    return expanded.toString();
  }

  private static String resource(String path) {
    String name = ROOT + path + ".lua";
    try (InputStream in = ScriptSource.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("script not on the classpath: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }
}
