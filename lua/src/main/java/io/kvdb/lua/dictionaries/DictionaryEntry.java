package io.kvdb.lua.dictionaries;

/** A dictionary entry: a value of a key in a system, e.g. (CRM, currency, USD). */
public record DictionaryEntry(String system, String key, String value) {
  /** Parses '<system>:<key>:<value>' (systems and keys never contain ':'). */
  static DictionaryEntry parse(String text) {
    int first = text.indexOf(':');
    int second = text.indexOf(':', first + 1);
    return new DictionaryEntry(
        text.substring(0, first), text.substring(first + 1, second), text.substring(second + 1));
  }
}
