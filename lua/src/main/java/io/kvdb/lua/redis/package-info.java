/**
 * Getting a Redis to talk to, knowing nothing of KVDB's keys or scripts: {@code RedisConnector}
 * opens the pooled client from a {@code redis://} or {@code rediss://} URL, with a pool size and a
 * timeout that bounds every command, and reads the server's version; {@code RedisServerProcess}
 * starts a throw-away {@code redis-server} on a free loopback port, either the Redis 6.2 shipped in
 * the {@code embedded-redis} artifact or a binary given by path. The gateway uses both at start;
 * the test harnesses take their {@code redis-server} from the second. {@code LocalCluster} and
 * {@code LocalSentinel} start several of them on loopback as a Redis Cluster or a Sentinel setup,
 * with a node's kill and restart, for the tests, the bench and the fault suite. {@code
 * ChannelSubscription} holds a pub/sub subscription to one channel on a thread of its own,
 * subscribing again after a loss, and {@code RedisProbe} answers whether Redis answers PING: the
 * gateway's waiting calls and health status rest on them, so that nothing outside this module
 * speaks to Redis.
 */
package io.kvdb.lua.redis;
