-- queues/update: merges into or replaces a queue's metadata, refusing (before writing anything)
-- a result larger than the limit.
--
-- KEYS[1]  the queue hash, kvdb:q:{project/queue}
-- ARGV[1]  'merge' or 'replace'
-- ARGV[2]  the largest metadata size allowed, in bytes (keys plus encoded values)
-- ARGV[3]  the pool the caller knows the queue is moving out to ('' for none): a split queue's
--          metadata is updated in both pools (the target first), so its source's mark lets
--          through the update of a caller that names the target the mark names, and no other
-- ARGV[4..] pairs: key, msgpack value; in merge mode an empty value removes the key
-- Reply    {created_at_ms, key, value, ...}: the metadata as stored after the update
-- Errors   KVDB_NOT_FOUND when the queue does not exist;
--          KVDB_INVALID metadata ... when the result would exceed the limit;
--          KVDB_MOVED <pool> when the queue is moving out to that pool (lib/moving) and ARGV[3]
--          does not name it
-- @include lib/metadata
-- @include lib/moving

local queue_key, mode, limit = KEYS[1], ARGV[1], tonumber(ARGV[2])
local moving_to = redis.call('HGET', queue_key, 'mv')
if moving_to and moving_to ~= ARGV[3] then
  return moved_refusal(queue_key)
end
local created_at = redis.call('HGET', queue_key, 'cr')
if not created_at then
  return redis.error_reply('KVDB_NOT_FOUND queue does not exist')
end

local old_pairs, sizes = metadata_of(queue_key)
if mode == 'replace' then
  sizes = {}
end
for i = 4, #ARGV, 2 do
  local key, value = ARGV[i], ARGV[i + 1]
  if value == '' then
    sizes[key] = nil
  else
    sizes[key] = #key + #value
  end
end
local total = 0
for _, size in pairs(sizes) do
  total = total + size
end
if total > limit then
  return redis.error_reply('KVDB_INVALID metadata would be ' .. total ..
    ' bytes after the update, over the limit of ' .. limit)
end

if mode == 'replace' then
  for i = 1, #old_pairs, 2 do
    redis.call('HDEL', queue_key, METADATA_PREFIX .. old_pairs[i])
  end
end
for i = 4, #ARGV, 2 do
  if ARGV[i + 1] == '' then
    redis.call('HDEL', queue_key, METADATA_PREFIX .. ARGV[i])
  end
end
for i = 4, #ARGV, 2 do
  if ARGV[i + 1] ~= '' then
    redis.call('HSET', queue_key, METADATA_PREFIX .. ARGV[i], ARGV[i + 1])
  end
end
local new_pairs = metadata_of(queue_key)
return append_all({tonumber(created_at)}, new_pairs)
