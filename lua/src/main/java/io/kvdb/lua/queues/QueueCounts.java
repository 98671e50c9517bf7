package io.kvdb.lua.queues;

import java.util.Optional;

/** A queue's message counts, and its oldest and newest message (empty when it has none). */
public record QueueCounts(
    long free,
    long claimed,
    long delayed,
    long total,
    Optional<DatedMessage> oldest,
    Optional<DatedMessage> newest) {}
