-- stats/slow: a service's kept slow responses, slowest first.
--
-- KEYS[1]  the project's stats prefix, kvdb:st:{project}
-- ARGV[1]  service; ARGV[2] limit
-- Reply    entries (see lib/stats)
local prefix, service = KEYS[1], ARGV[1]
local ids = redis.call('ZREVRANGE', prefix .. ':slow:' .. service, 0, tonumber(ARGV[2]) - 1)
if #ids == 0 then
  return {}
end
return redis.call('HMGET', prefix .. ':slowdata:' .. service, unpack(ids))
