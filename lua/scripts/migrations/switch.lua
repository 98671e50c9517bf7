-- migrations/switch: sends a migrating queue's posts to the target, once the source is marked and
-- the target prepared: the catalogue entry becomes '<target> <source>', the record notes when
-- (sw, also its updated time), and the change is announced so every gateway drops its cached
-- placement. The migrator moves no message before the catalogue cache time passed since sw.
-- Idempotent: a switched migration stays as it is; one no longer SWITCHING (cancelled, ended)
-- is not switched.
--
-- KEYS[1]  the queue's migration record, kvdb:pools:{pools}:mig:<project>/<queue> (lib/migrations)
-- KEYS[2]  the project's catalogue, kvdb:pools:{pools}:at:<project> (lib/pools)
-- ARGV[1]  the queue's name
-- ARGV[2]  the channel to announce on, ARGV[3] the announcement ('<project>/<queue>')
-- Reply    {switched (1 when switched, by this call or before; 0 once cancelled or never), the
--          record}
-- Errors   KVDB_NOT_FOUND when the queue has no migration record
-- @include lib/now
-- @include lib/migrations

local record_key, catalogue = KEYS[1], KEYS[2]
local record = redis.call('HMGET', record_key, 's', 'from', 'to', 'sw')
local state, source, target, switched = record[1], record[2], record[3], record[4]
if not state then
  return redis.error_reply('KVDB_NOT_FOUND the queue has no migration')
end
if state == 'CANCELLING' or state == 'CANCELLED' then
  return append_record({0}, record_key) -- its sw, if any, is the cancel's
end
if switched then
  return append_record({1}, record_key)
end
if state ~= 'SWITCHING' then
  return append_record({0}, record_key)
end
local now = now_ms()
redis.call('HSET', catalogue, ARGV[1], target .. ' ' .. source)
redis.call('HSET', record_key, 'sw', now, 'up', now)
redis.call('PUBLISH', ARGV[2], ARGV[3])
return append_record({1}, record_key)
