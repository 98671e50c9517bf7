-- migrations/progress: records one step of a running migration: the state the migrator works in
-- (MOVING after SWITCHING, or CANCELLING once cancelled), the messages the step moved (added to
-- the count) and those left. A migrator whose state is no longer the record's (the migration was
-- cancelled or ended meanwhile) changes nothing and learns the record's state from the reply.
--
-- KEYS[1]  the queue's migration record, kvdb:pools:{pools}:mig:<project>/<queue> (lib/migrations)
-- ARGV[1]  the state the migrator works in: 'MOVING' or 'CANCELLING'
-- ARGV[2]  messages moved by the step; ARGV[3] left; ARGV[4] claimed
-- Reply    {applied (1 or 0), the record (lib/migrations)}
-- Errors   KVDB_NOT_FOUND when the queue has no migration record
-- @include lib/now
-- @include lib/migrations

local record_key, state = KEYS[1], ARGV[1]
local current = redis.call('HGET', KEYS[1], 's')
if not current then
  return redis.error_reply('KVDB_NOT_FOUND the queue has no migration')
end
if not (current == state and state ~= 'DONE' and state ~= 'CANCELLED'
    or current == 'SWITCHING' and state == 'MOVING') then
  return append_record({0}, record_key)
end
redis.call('HSET', record_key, 's', state, 'up', now_ms(), 'left', tonumber(ARGV[3]) or 0,
  'claimed', tonumber(ARGV[4]) or 0)
redis.call('HINCRBY', record_key, 'moved', math.max(0, math.floor(tonumber(ARGV[2]) or 0)))
return append_record({1}, record_key)
