-- migrations/finish: the last data step of moving a queue out of this pool: once the queue
-- holds no message here (free, delayed or claimed), no transit and no dead letter waiting in its
-- outbox, deletes what is left of it (hash and empty indexes) and leaves a tombstone, a hash
-- with only mv that expires in TOMBSTONE_MS, so that a post, create or update from a gateway
-- that still routes here is refused KVDB_MOVED rather than creating the queue again silently.
-- Else it changes nothing and reports what remains. Idempotent: a queue gone from here is done.
--
-- KEYS[1]  the source queue hash, kvdb:q:{project/queue} (see lib/moving)
-- ARGV[1]  the pool the queue moves to, as marked
-- Reply    {done (1 or 0), left (free and delayed messages), claimed, letters (dead letters in
--          the outbox), transit (messages in transit)}
-- Errors   KVDB_NOT_FOUND when the queue here is not moving out to that pool
-- @include lib/now
-- @include lib/messages

local queue_key, target = KEYS[1], ARGV[1]
local TOMBSTONE_MS = 60000
if redis.call('EXISTS', queue_key) == 0 then
  return {1, 0, 0, 0, 0}
end
if redis.call('HGET', queue_key, 'mv') ~= target then
  return redis.error_reply('KVDB_NOT_FOUND the queue is not moving out to ' .. target .. ' here')
end

settle(queue_key, now_ms(), 100)
local messages = redis.call('ZCARD', queue_key .. ':ready') + redis.call('ZCARD', queue_key .. ':hidden')
local claimed = redis.call('ZCARD', queue_key .. ':claimed')
local letters = redis.call('ZCARD', queue_key .. ':dlq')
local transit = redis.call('ZCARD', queue_key .. ':mv')
if messages + letters + transit > 0 then
  return {0, messages - claimed, claimed, letters, transit}
end
redis.call('UNLINK', queue_key, queue_key .. ':all', queue_key .. ':ready', queue_key .. ':hidden', queue_key .. ':delayed',
  queue_key .. ':claimed', queue_key .. ':expiry', queue_key .. ':sizes', queue_key .. ':accepted',
  queue_key .. ':arrived')
redis.call('HSET', queue_key, 'mv', target)
redis.call('PEXPIRE', queue_key, TOMBSTONE_MS)
return {1, 0, 0, 0, 0}
