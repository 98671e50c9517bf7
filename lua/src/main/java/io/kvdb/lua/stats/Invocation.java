package io.kvdb.lua.stats;

/**
 * One service invocation to record; {@code timeMillis} null means now (the Redis clock), and
 * {@code payload} is the encoded {@link Sample} payload, or empty.
 */
public record Invocation(String service, long durationMicros, boolean error, Long timeMillis, byte[] payload) {}
