-- quotas/get: a project's quota and its usage. Queues and channels are counted here, exactly
-- (their registries share the record's slot); stored messages and bytes are the figures the
-- collector last wrote (KEYS[4]), as no one slot holds them.
--
-- KEYS[1]  the quota record, kvdb:quota:{project}: hash of the limits (max_queues,
--          max_messages, max_bytes, max_channels, requests_per_second, burst; absent: none),
--          the token bucket (tk tokens, ts refilled at µs)
-- KEYS[2]  the project's queue registry, kvdb:p:{project}:queues (zset)
-- KEYS[3]  the project's broker channel registry, kvdb:br:{project}:channels (set)
-- KEYS[4]  the collector's usage, kvdb:quota:{project}:usage (hash: messages, bytes, at ms)
-- Reply    {max_queues, max_messages, max_bytes, max_channels, requests_per_second, burst,
--          queues, channels, messages, bytes, usage measured at ms (0: never)}, limits 0 when none
-- Errors   none

local r = redis.call('HMGET', KEYS[1], 'max_queues', 'max_messages', 'max_bytes', 'max_channels',
  'requests_per_second', 'burst')
local usage = redis.call('HMGET', KEYS[4], 'messages', 'bytes', 'at')
local reply = {}
for i = 1, 6 do
  reply[i] = tonumber(r[i]) or 0
end
reply[7] = redis.call('ZCARD', KEYS[2])
reply[8] = redis.call('SCARD', KEYS[3])
reply[9], reply[10], reply[11] = tonumber(usage[1]) or 0, tonumber(usage[2]) or 0, tonumber(usage[3]) or 0
return reply
