package io.kvdb.lua.queues;

/** A queue, named within its project. Both parts are validated by the caller. */
public record QueueRef(String project, String name) {}
