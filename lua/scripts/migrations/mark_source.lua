-- migrations/mark_source: the first data step of moving a queue out of this pool: marks the queue
-- moving out to the target pool (field mv), so every post, create and metadata update here is
-- refused with KVDB_MOVED from now on and no rank is handed out here again; claims, deletes and
-- reads keep working, and so do metadata updates that name the target (queues/update). Returns what the target needs to take the queue over.
--
-- Idempotent: marking again changes nothing but the target named, and returns the same values
-- (the metadata only as updated since, in both pools).
--
-- A migrator that lost its job's lease may still be marking the source of a migration that was
-- cancelled meanwhile; the cancel prepared the queue here again with its own trip (mi), so a mark
-- naming that trip as closed is refused: else the stale mark would refuse every post here for good.
--
-- KEYS[1]  the source queue hash, kvdb:q:{project/queue} (see lib/moving)
-- ARGV[1]  the pool the queue moves to
-- ARGV[2]  optional: the trip of this migration's cancel; a queue it prepared is not marked
-- Reply    {rank_counter, created_ms, key, msgpack value, key, msgpack value, ...}
-- Errors   KVDB_NOT_FOUND when the queue does not exist here;
--          KVDB_IN_USE when the queue here was prepared by the trip ARGV[2] (cancelled)
-- @include lib/metadata

local queue_key, target = KEYS[1], ARGV[1]
local created = redis.call('HGET', queue_key, 'cr')
if not created then
  return redis.error_reply('KVDB_NOT_FOUND queue does not exist in this pool')
end
local closed = ARGV[2]
if closed and closed ~= '' and redis.call('HGET', queue_key, 'mi') == string.sub(closed, 1, 64) then
  return redis.error_reply('KVDB_IN_USE the migration was cancelled; the queue stays here')
end
redis.call('HSET', queue_key, 'mv', target)
local rank_counter = tonumber(redis.call('HGET', queue_key, 'n')) or 0
return append_all({rank_counter, tonumber(created)}, (metadata_of(queue_key)))
