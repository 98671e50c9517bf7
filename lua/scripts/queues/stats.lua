-- queues/stats: counts a queue's messages from its indexes and finds the oldest and newest
-- message by rank. O(log n) whatever the depth of the queue.
--
-- KEYS[1]  the queue hash, kvdb:q:{project/queue}
-- KEYS[2]  all messages by rank (zset)
-- KEYS[3]  claimed messages by claim expiry (zset)
-- KEYS[4]  delayed messages by the time they become visible (zset)
-- ARGV[1]  the prefix of message keys, kvdb:q:{project/queue}:m:
-- Reply    {total, claimed, delayed, now_ms, oldest_id, oldest_created_ms, newest_id,
--           newest_created_ms}; ids are '' and times 0 when the queue is empty
-- Errors   KVDB_NOT_FOUND when the queue does not exist
-- @include lib/now

local queue_key, all_key, claimed_key, delayed_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
if redis.call('EXISTS', queue_key) == 0 then
  return redis.error_reply('KVDB_NOT_FOUND queue does not exist')
end

local function created_of(entry)
  if not entry[1] then
    return '', 0
  end
  local created = redis.call('HGET', ARGV[1] .. entry[1], 'cr')
  return entry[1], tonumber(created or 0)
end

local oldest_id, oldest_created = created_of(redis.call('ZRANGE', all_key, 0, 0))
local newest_id, newest_created = created_of(redis.call('ZRANGE', all_key, -1, -1))
return {
  redis.call('ZCARD', all_key),
  redis.call('ZCARD', claimed_key),
  redis.call('ZCARD', delayed_key),
  now_ms(),
  oldest_id, oldest_created, newest_id, newest_created
}
