package io.kvdb.lua.queue;

/** A queue, named within its project. Both parts are validated by the caller. */
public record QueueRef(String project, String name) {}
