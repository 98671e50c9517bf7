-- migrations/start: starts moving a queue to another pool, in one step of the control Redis: its
-- migration record is written (state SWITCHING, not switched yet: no sw; an ended one of before
-- is replaced), the target counts the queue and the migration is listed among the running ones,
-- so a migrator resumes it after a crash. The catalogue entry is left as it is: the source is
-- marked and the target prepared first (migrations/mark_source, prepare_target), then
-- migrations/switch sends posts to the target, so no post reaches a target whose rank counter is
-- below the source's, and a crash never leaves a marked source without a record.
--
-- KEYS[1]  the project's catalogue, kvdb:pools:{pools}:at:<project> (lib/pools)
-- KEYS[2]  the queue's migration record, kvdb:pools:{pools}:mig:<project>/<queue> (lib/migrations)
-- KEYS[3]  the running migrations, kvdb:pools:{pools}:migrations
-- KEYS[4]  the target pool's record, kvdb:pools:{pools}:p:<target>
-- ARGV[1]  the queue's name; ARGV[2] the target pool
-- ARGV[3]  unused (kept so callers stay the same), ARGV[4] the running migrations' member
--          ('<project>/<queue>')
-- Reply    the record (lib/migrations): {state, source, target, started_ms, updated_ms, ended_ms
--          or '', moved, left, claimed, switched_ms or ''}
-- Errors   KVDB_IN_USE when the queue is migrating already;
--          KVDB_INVALID target_pool when the queue lives in that pool;
--          KVDB_NOT_FOUND target_pool when no such pool is registered
-- @include lib/now
-- @include lib/migrations

local catalogue, record_key, running_key, target_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local queue, target, announcement = ARGV[1], ARGV[2], ARGV[4]

local source = redis.call('HGET', catalogue, queue) or 'default'
local running = redis.call('HGET', record_key, 's')
if string.find(source, ' ', 1, true) or running == 'SWITCHING' or running == 'MOVING'
    or running == 'CANCELLING' then
  return redis.error_reply('KVDB_IN_USE the queue is migrating already (' .. source .. ')')
end
if source == target then
  return redis.error_reply('KVDB_INVALID target_pool ' .. target .. ' is where the queue lives')
end
if target ~= 'default' and redis.call('EXISTS', target_key) == 0 then
  return redis.error_reply('KVDB_NOT_FOUND target_pool ' .. target .. ' is not a pool')
end

local now = now_ms()
redis.call('DEL', record_key)
redis.call('HSET', record_key, 's', 'SWITCHING', 'from', source, 'to', target, 'st', now, 'up', now,
  'moved', 0, 'left', 0, 'claimed', 0)
redis.call('HINCRBY', target_key, 'q', 1)
redis.call('ZADD', running_key, now, announcement)
return append_record({}, record_key)
