-- migrations/get: a queue's migration record: the running migration, else the last one (kept a
-- day after it ended).
--
-- KEYS[1]  the queue's migration record, kvdb:pools:{pools}:mig:<project>/<queue> (lib/migrations)
-- Reply    the record (lib/migrations): {state, source, target, started_ms, updated_ms, ended_ms
--          or '', moved, left, claimed}
-- Errors   KVDB_NOT_FOUND when the queue has no migration record
-- @include lib/migrations

if redis.call('EXISTS', KEYS[1]) == 0 then
  return redis.error_reply('KVDB_NOT_FOUND the queue has no migration')
end
return append_record({}, KEYS[1])
