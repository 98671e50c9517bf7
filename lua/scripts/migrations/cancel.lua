-- migrations/cancel: cancels a running migration: state CANCELLING and the catalogue entry
-- '<source> <target>' (posts go to the source again), announced; the migrator then moves back
-- what had moved, the same way, and ends it CANCELLED (migrations/end). Idempotent: cancelling a
-- cancelled migration changes nothing.
--
-- KEYS[1]  the queue's migration record, kvdb:pools:{pools}:mig:<project>/<queue> (lib/migrations)
-- KEYS[2]  the project's catalogue, kvdb:pools:{pools}:at:<project> (lib/pools)
-- ARGV[1]  the queue's name
-- ARGV[2]  the channel to announce on, ARGV[3] the announcement ('<project>/<queue>')
-- Reply    {cancelled (1 when cancelling or cancelled, by this call or before; 0 when the
--          migration ended DONE), the record (lib/migrations)}
-- Errors   KVDB_NOT_FOUND when the queue has no migration record
-- @include lib/now
-- @include lib/migrations

local record_key, catalogue = KEYS[1], KEYS[2]
local record = redis.call('HMGET', record_key, 's', 'from', 'to')
local state, source, target = record[1], record[2], record[3]
if not state then
  return redis.error_reply('KVDB_NOT_FOUND the queue has no migration')
end
if state == 'DONE' then
  return append_record({0}, record_key)
end
if state == 'SWITCHING' or state == 'MOVING' then
  -- sw: when posts last changed pools; the migration ends no sooner than the gateway's idempotency
  -- window after it, so that keyed posts made to the target can be retried meanwhile.
  local now = now_ms()
  redis.call('HSET', record_key, 's', 'CANCELLING', 'up', now, 'sw', now)
  redis.call('HSET', catalogue, ARGV[1], source .. ' ' .. target)
  redis.call('PUBLISH', ARGV[2], ARGV[3])
end
return append_record({1}, record_key)
