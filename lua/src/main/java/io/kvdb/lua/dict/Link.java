package io.kvdb.lua.dict;

/** A translation: two entries that stand for each other, usable both ways. */
public record Link(DictEntry from, DictEntry to) {}
