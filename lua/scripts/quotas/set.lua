-- quotas/set: replaces a project's quota (the limits in its quota record). A limit of 0 is no
-- limit and is stored as an absent field, so a project whose limits are all 0 has no quota and
-- its calls pay nothing. A changed rate or burst refills the token bucket (fields tk, ts), so a
-- new rate never starts from the debt of the old one. The collector's usage, kept apart, is
-- left alone.
--
-- KEYS[1]  the quota record, kvdb:quota:{project} (hash; see quotas/get)
-- ARGV     six decimal limits, validated by the caller: max_queues, max_messages, max_bytes,
--          max_channels, requests_per_second, burst
-- Reply    1
-- Errors   none

local record = KEYS[1]
local FIELDS = {'max_queues', 'max_messages', 'max_bytes', 'max_channels', 'requests_per_second', 'burst'}
local old_rate = redis.call('HMGET', record, 'requests_per_second', 'burst')
for i, field in ipairs(FIELDS) do
  if ARGV[i] == '0' then
    redis.call('HDEL', record, field)
  else
    redis.call('HSET', record, field, ARGV[i])
  end
end
local new_rate = redis.call('HMGET', record, 'requests_per_second', 'burst')
if old_rate[1] ~= new_rate[1] or old_rate[2] ~= new_rate[2] then
  redis.call('HDEL', record, 'tk', 'ts')
end
return 1
