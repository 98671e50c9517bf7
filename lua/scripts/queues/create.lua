-- queues/create: creates a queue unless it exists. Idempotent: an existing queue is returned
-- unchanged and its metadata is left alone. A new queue is marked unregistered (field ur)
-- until the gateway confirms its entry in the project's registry, which lives in another slot
-- (see Queues.register); a retried create of a queue still so marked says so again.
--
-- KEYS[1]  the queue hash, kvdb:q:{project/queue}
-- ARGV     metadata as pairs: key, msgpack value, key, msgpack value, ...
--          (validated and size-checked by the caller)
-- Reply    {created (1 or 0), unregistered (1 or 0), created_at_ms, key, value, key, value, ...}
-- Errors   KVDB_MOVED <pool> when the queue is moving out to that pool (lib/moving)
-- @include lib/now
-- @include lib/metadata
-- @include lib/moving

local queue_key = KEYS[1]
local moved = moved_refusal(queue_key)
if moved then
  return moved
end
local created_at = redis.call('HGET', queue_key, 'cr')
if created_at then
  local metadata = metadata_of(queue_key)
  return append_all({0, redis.call('HEXISTS', queue_key, 'ur'), tonumber(created_at)}, metadata)
end

created_at = now_ms()
redis.call('HSET', queue_key, 'cr', created_at, 'ur', 1)
write_metadata(queue_key, ARGV, 1)
return append_all({1, 1, created_at}, ARGV)
