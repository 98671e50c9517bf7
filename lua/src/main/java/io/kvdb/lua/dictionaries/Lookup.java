package io.kvdb.lua.dictionaries;

/** A translation to look up: an entry, and the system and key wanted. */
public record Lookup(String fromSystem, String key, String value, String toSystem, String toKey) {}
