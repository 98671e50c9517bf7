package io.kvdb.lua.dictionaries;

import io.kvdb.lua.script.ScriptReply;

/** How many entries and links one import chunk added, to the dictionary or to its staging area. */
public record ChunkCounts(long entries, long links) {
  /** Decodes the reply of dictionaries/import_chunk and dictionaries/stage_chunk. */
  static ChunkCounts decode(Object result) {
    ScriptReply reply = ScriptReply.of(result);
    long entries = reply.nextLong();
    return new ChunkCounts(entries, reply.nextLong());
  }
}
