-- migrations/prepare_target: readies the queue in the pool it moves to: creates it if missing,
-- with the source's created time and metadata (replacing any it has: a post that reached the
-- target first created it bare), takes the mark of a queue moving out off it (a cancel prepares
-- the source again this way) and raises its rank counter to at least the source's, so that what
-- is posted here ranks after everything the source holds. A queue it creates is marked
-- unregistered (ur) as every creation is.
--
-- Idempotent per trip: a queue that this trip prepared already only has its rank counter
-- raised, so a retry never undoes a metadata update made here since.
--
-- KEYS[1]  the target queue hash, kvdb:q:{project/queue} (see lib/moving)
-- ARGV[1]  the trip: names one direction of one migration (at most 64 bytes)
-- ARGV[2]  created ms; ARGV[3] the source's rank counter
-- ARGV[4..] the metadata as pairs: key, msgpack value (as migrations/mark_source returned it)
-- Reply    {unregistered (1 while the registry entry is not confirmed), rank_counter}
-- Errors   none
-- @include lib/metadata

local queue_key, trip = KEYS[1], string.sub(ARGV[1], 1, 64)
local created, source_counter = tonumber(ARGV[2]), tonumber(ARGV[3])

if redis.call('HGET', queue_key, 'mi') ~= trip then
  -- A tombstone a finished move left here (a queue coming back within its minute) lives on.
  redis.call('PERSIST', queue_key)
  if not redis.call('HGET', queue_key, 'cr') then
    redis.call('HSET', queue_key, 'ur', 1)
  end
  local old = metadata_of(queue_key)
  for i = 1, #old, 2 do
    redis.call('HDEL', queue_key, METADATA_PREFIX .. old[i])
  end
  write_metadata(queue_key, ARGV, 4)
  redis.call('HSET', queue_key, 'cr', created, 'mi', trip)
  redis.call('HDEL', queue_key, 'mv')
end

local counter = tonumber(redis.call('HGET', queue_key, 'n')) or 0
if counter < source_counter then
  counter = source_counter
  redis.call('HSET', queue_key, 'n', counter)
end
return {redis.call('HEXISTS', queue_key, 'ur'), counter}
