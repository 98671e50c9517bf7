package io.kvdb.lua.queue;

/** The outcome of a create: the queue as stored, and whether this call created it. */
public record QueueCreation(QueueInfo queue, boolean created) {}
