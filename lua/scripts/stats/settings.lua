-- stats/settings: replaces a service's sampling and slow-response settings and trims what is
-- kept to the new limits, together.
--
-- KEYS[1]  the project's stats prefix, kvdb:st:{project}
-- ARGV[1]  service; ARGV[2] sample every N; ARGV[3] samples kept; ARGV[4] slow threshold us;
--          ARGV[5] slow responses kept
-- Reply    1
local prefix, service = KEYS[1], ARGV[1]
redis.call('HSET', prefix .. ':cfg:' .. service, 'se', ARGV[2], 'sk', ARGV[3], 'st', ARGV[4], 'sn', ARGV[5])
redis.call('LTRIM', prefix .. ':samples:' .. service, 0, tonumber(ARGV[3]) - 1)
local slow_key = prefix .. ':slow:' .. service
local excess = redis.call('ZCARD', slow_key) - tonumber(ARGV[5])
if excess > 0 then
  local dropped = redis.call('ZPOPMIN', slow_key, excess)
  for i = 1, #dropped, 2 do
    redis.call('HDEL', prefix .. ':slowdata:' .. service, dropped[i])
  end
end
return 1
