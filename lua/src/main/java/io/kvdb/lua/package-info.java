/**
 * The Redis side of KVDB in Java: the typed entry points the gateway calls instead of speaking to
 * Redis itself. This package holds {@code Keys}, the whole key schema (every key starts with {@code
 * kvdb:}, and the keys one script touches share one hash tag) and the pub/sub channels scripts
 * announce changes on. Below it is one package per domain, named as its proto file and its script
 * folder {@code lua/scripts/<domain>/} (broker, claims, dictionaries, locks, messages, queues,
 * stats), each with one entry-point class and the records its calls take and return; and three
 * shared packages: {@code script} runs the scripts, {@code redis} connects to or starts a Redis,
 * {@code codec} is msgpack. The module depends on Jedis and msgpack, never on gRPC or the generated
 * proto classes.
 */
package io.kvdb.lua;
