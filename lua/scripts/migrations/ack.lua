-- migrations/ack: the source forgets messages of its transit that the target confirmed stored
-- (migrations/put). Only the ids named go, so a late ack of one step never drops another's.
--
-- KEYS[1]  the source queue hash, kvdb:q:{project/queue} (see lib/moving)
-- ARGV     message ids (at most MAX_TRANSIT, lib/moving)
-- Reply    the number forgotten
-- @include lib/moving

local queue_key = KEYS[1]
if #ARGV == 0 or #ARGV > MAX_TRANSIT then
  return 0
end
local keys = {}
for i, id in ipairs(ARGV) do
  keys[i] = transit_message_key(queue_key, id)
end
redis.call('DEL', unpack(keys))
return redis.call('ZREM', queue_key .. ':mv', unpack(ARGV))
