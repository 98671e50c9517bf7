package io.kvdb.lua.queues;

/** The outcome of a create: the queue as stored, and whether this call created it. */
public record QueueCreation(QueueInfo queue, boolean created) {}
