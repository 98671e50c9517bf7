/**
 * Conformance of {@code kvdb.v1.DictionaryService} ({@code dictionaries.proto}): entries,
 * translations both ways, cascading deletes, and Export and Import, also as raw streams: every
 * export imports chunk by chunk, and a refused import changes nothing.
 */
package io.kvdb.conformance.dictionaries;
