/**
 * {@code kvdb.v1.DictionaryService} ({@code dictionaries.proto}) over {@code
 * io.kvdb.lua.dictionaries} and {@code lua/scripts/dictionaries/}: {@code DictionaryService} serves
 * entries, translations and lookups; {@code Exporter} reads a dictionary chunk by chunk (every
 * entry, then every link once) and {@code ExportStream} feeds it to the call at the pace the client
 * reads; {@code Importer} stages each chunk of an Import as it arrives and applies the import only
 * once every chunk was accepted; {@code Chunk} is the unit both move, at most 1000 entries and 1000
 * translations.
 */
package io.kvdb.gateway.dictionaries;
