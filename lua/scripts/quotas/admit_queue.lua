-- quotas/admit_queue: lists a queue about to be created in its project's registry unless the
-- project's max_queues quota is reached. The registry and the quota share a slot, so the check
-- is exact: two gateways creating queues concurrently cannot both take the last place. It runs
-- before the queue is created (whose hash lives in another slot), so a refused create stores
-- nothing; a gateway that dies between the two leaves an entry without a queue, which listings
-- skip and the collector drops.
--
-- KEYS[1]  the quota record, kvdb:quota:{project} (see quotas/get)
-- KEYS[2]  the project's queue registry, kvdb:p:{project}:queues (zset, all scores 0)
-- ARGV[1]  the queue's name
-- Reply    1 when the queue was newly listed, 0 when it was already
-- Errors   KVDB_QUOTA max_queues when the project holds max_queues queues already

local listed = redis.call('ZSCORE', KEYS[2], ARGV[1])
if listed then
  return 0
end
local max = tonumber(redis.call('HGET', KEYS[1], 'max_queues'))
local count = redis.call('ZCARD', KEYS[2])
if max and count >= max then
  return redis.error_reply('KVDB_QUOTA max_queues the project has ' .. count .. ' queues, its quota is ' .. max)
end
redis.call('ZADD', KEYS[2], 0, ARGV[1])
return 1
