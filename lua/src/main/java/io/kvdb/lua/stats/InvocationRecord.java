package io.kvdb.lua.stats;

/**
 * One service invocation to record; {@code timeMillis} null means now (the Redis clock), and {@code
 * payload} is the encoded {@link KeptInvocation} payload, or empty.
 */
public record InvocationRecord(
    String service, long durationMicros, boolean error, Long timeMillis, byte[] payload) {}
