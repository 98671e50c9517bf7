-- lib/moving: a queue moving between pools (see migrations/*). Keys and fields, beside those of
-- lib/messages, all derived from the queue hash Q = kvdb:q:{project/queue}:
--   Q              hash fields: mv the pool the queue is moving out to (every script that adds to
--                  the queue refuses with KVDB_MOVED <pool> while it is set); mi the trip that
--                  last prepared the queue as a target (see migrations/prepare_target)
--   Q:mv           zset id -> rank: the transit, the batch the source took out of its indexes and
--                  has not yet been told is stored in the target
--   Q:mv:m:<id>    hash: a message in transit, its Q:m:<id> renamed whole, with a real key
--                  expiry at the message's expiry (migrations/take)
--   Q:arrived      zset '<trip>:<id>' -> ms: messages a trip stored here, remembered for the
--                  window migrations/put is given, so that a replayed step adds nothing even for
--                  a message a consumer deleted meanwhile

-- The fields of a message in transit, in the order migrations/take replies and migrations/put
-- reads them (after the id): rank, ttl, expires, created, client, visible, body, attributes,
-- claim id, claim expiry, claim count, dead-letter moves. Missing fields are ''.
local TRANSIT_FIELDS = {'r', 't', 'e', 'cr', 'u', 'd', 'b', 'a', 'c', 'c.e', 'c.c', 'mv'}
local T_RANK, T_TTL, T_EXPIRES, T_CREATED, T_VISIBLE, T_BODY, T_ATTRIBUTES = 1, 2, 3, 4, 6, 7, 8

-- The TRANSIT_FIELDS of a message hash, its ttl derived where it is not stored (lib/messages).
local function transit_fields(key)
  local fields = redis.call('HMGET', key, unpack(TRANSIT_FIELDS))
  if fields[T_RANK] and not fields[T_TTL] then
    fields[T_TTL] = tonumber(fields[T_EXPIRES]) - tonumber(fields[T_CREATED])
  end
  return fields
end

-- The most messages one step moves, whatever the caller asks.
local MAX_TRANSIT = 1000

local function transit_message_key(queue_key, id)
  return queue_key .. ':mv:m:' .. id
end

-- The refusal of a call that would add to a queue moving out of this pool, or nil.
local function moved_refusal(queue_key)
  local target = redis.call('HGET', queue_key, 'mv')
  if target then
    return redis.error_reply('KVDB_MOVED ' .. target)
  end
  return nil
end
