-- messages/collect: one bounded step of the background collector on one queue: drops expired
-- messages, makes due delayed messages and messages of expired claims ready.
--
-- KEYS[1]  the queue hash, kvdb:q:{project/queue}
-- ARGV[1]  budget (steps per index, see settle)
-- Reply    {more (1 when work was left over), dead letters waiting in the outbox, exists (0 when
--          the queue is gone: its registry entry is stale), messages stored, their bytes (the
--          figures the project's max_messages and max_bytes quotas are checked against)}
-- @include lib/now
-- @include lib/messages

local queue_key = KEYS[1]
local more = settle(queue_key, now_ms(), tonumber(ARGV[1]))
return {more and 1 or 0, redis.call('ZCARD', queue_key .. ':dlq'), redis.call('EXISTS', queue_key),
  redis.call('ZCARD', queue_key .. ':ready') + redis.call('ZCARD', queue_key .. ':hidden'), tonumber(redis.call('HGET', queue_key, 'sz')) or 0}
