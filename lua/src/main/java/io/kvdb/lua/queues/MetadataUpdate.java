package io.kvdb.lua.queues;

/** How an update treats the metadata already stored. */
public enum MetadataUpdate {
  /** Given keys overwrite stored ones; a null value removes its key; other keys stay. */
  MERGE,
  /** The given map becomes the whole metadata. */
  REPLACE
}
