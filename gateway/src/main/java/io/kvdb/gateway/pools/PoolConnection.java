package io.kvdb.gateway.pools;

import io.kvdb.lua.claims.Claims;
import io.kvdb.lua.messages.Messages;
import io.kvdb.lua.migrations.QueueMoves;
import io.kvdb.lua.queues.Queues;
import redis.clients.jedis.UnifiedJedis;

/**
 * One pool as this gateway talks to it: its client and the entry points over its scripts. The
 * queues' registry operations of {@code queues} go to the control Redis; {@code moves} are the data
 * steps of a migration into or out of this pool.
 */
public record PoolConnection(
    String name,
    UnifiedJedis redis,
    Queues queues,
    Messages messages,
    Claims claims,
    QueueMoves moves) {}
