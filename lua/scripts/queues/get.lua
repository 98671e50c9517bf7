-- queues/get: reads a queue's creation time and metadata.
--
-- KEYS[1]  the queue hash, kvdb:q:{project/queue}
-- Reply    {created_at_ms, key, value, key, value, ...}
-- Errors   KVDB_NOT_FOUND when the queue does not exist
-- @include lib/metadata

local queue_key = KEYS[1]
local created_at = redis.call('HGET', queue_key, 'cr')
if not created_at then
  return redis.error_reply('KVDB_NOT_FOUND queue does not exist')
end
local metadata = metadata_of(queue_key)
return append_all({tonumber(created_at)}, metadata)
