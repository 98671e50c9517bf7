-- migrations/end: ends a migration, in one step of the control Redis: DONE (from SWITCHING or
-- MOVING, once the source holds nothing of the queue) places the queue in the target and the
-- source stops counting it; CANCELLED (from CANCELLING, once everything moved back) places it in
-- the source again and the target stops counting it. The record is kept a day, the migration
-- leaves the running ones, and the change is announced. Idempotent: ending it again as it ended
-- changes nothing; a migration in another state (a cancel came first) is left as it is.
--
-- KEYS[1]  the queue's migration record, kvdb:pools:{pools}:mig:<project>/<queue> (lib/migrations)
-- KEYS[2]  the project's catalogue, kvdb:pools:{pools}:at:<project> (lib/pools)
-- KEYS[3]  the running migrations, kvdb:pools:{pools}:migrations
-- KEYS[4]  the source pool's record, KEYS[5] the target pool's, kvdb:pools:{pools}:p:<pool>
-- ARGV[1]  'DONE' or 'CANCELLED'; ARGV[2] the queue's name
-- ARGV[3]  the channel to announce on, ARGV[4] the announcement ('<project>/<queue>')
-- Reply    {ended (1 when the migration ended so, by this call or before), the record}
-- Errors   KVDB_NOT_FOUND when the queue has no migration record
-- @include lib/now
-- @include lib/migrations

local record_key, catalogue, running_key = KEYS[1], KEYS[2], KEYS[3]
local outcome, queue, announcement = ARGV[1], ARGV[2], ARGV[4]
local record = redis.call('HMGET', record_key, 's', 'from', 'to')
local state, source, target = record[1], record[2], record[3]
if not state then
  return redis.error_reply('KVDB_NOT_FOUND the queue has no migration')
end
if state == outcome then
  return append_record({1}, record_key)
end
local done = outcome == 'DONE' and (state == 'SWITCHING' or state == 'MOVING')
local cancelled = outcome == 'CANCELLED' and state == 'CANCELLING'
if not (done or cancelled) then
  return append_record({0}, record_key)
end

local now = now_ms()
redis.call('HSET', catalogue, queue, done and target or source)
uncount(done and KEYS[4] or KEYS[5])
redis.call('HSET', record_key, 's', outcome, 'up', now, 'end', now)
redis.call('PEXPIRE', record_key, ENDED_KEPT_MS)
redis.call('ZREM', running_key, announcement)
redis.call('PUBLISH', ARGV[3], announcement)
return append_record({1}, record_key)
