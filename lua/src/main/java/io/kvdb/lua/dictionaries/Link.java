package io.kvdb.lua.dictionaries;

/** A translation: two entries that stand for each other, usable both ways. */
public record Link(DictionaryEntry from, DictionaryEntry to) {}
