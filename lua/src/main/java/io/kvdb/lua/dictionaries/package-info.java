/**
 * Data dictionaries over {@code lua/scripts/dictionaries/}: {@code Dictionaries} puts and deletes
 * entries (system, key, value) with cascading deletes, links entries both ways as translations,
 * translates, lists, and reads and writes the bounded pages and chunks that export and import move.
 * {@code Dictionary} says where the keys live: the project's dictionary {@code
 * kvdb:dict:{project}}, or the staging area of one import under the same hash tag, so that one
 * script may read both (the layout is in {@code lua/scripts/lib/dictionaries.lua}). The gateway's
 * {@code dictionaries} package serves this one as {@code kvdb.v1.DictionaryService}.
 */
package io.kvdb.lua.dictionaries;
