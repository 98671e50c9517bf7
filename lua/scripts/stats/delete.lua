-- stats/delete: deletes up to `budget` of a service's buckets; once none is left, everything
-- else it has (usage, settings, samples, slow responses, indexes).
--
-- KEYS[1]  the project's stats prefix, kvdb:st:{project}
-- ARGV[1]  service; ARGV[2] budget
-- Reply    buckets still to delete (0 when the service is gone)
local prefix, service, budget = KEYS[1], ARGV[1], tonumber(ARGV[2])
local index = prefix .. ':idx:' .. service
local keys = redis.call('ZRANGE', index, 0, budget - 1)
if #keys > 0 then
  redis.call('UNLINK', unpack(keys))
  redis.call('ZREM', index, unpack(keys))
end
local left = redis.call('ZCARD', index)
if left == 0 then
  redis.call('HDEL', prefix .. ':usage', service)
  redis.call('ZREM', prefix .. ':services', service)
  redis.call('UNLINK', prefix .. ':cfg:' .. service, prefix .. ':samples:' .. service,
    prefix .. ':slow:' .. service, prefix .. ':slowdata:' .. service,
    prefix .. ':pending:m:' .. service, prefix .. ':pending:h:' .. service, prefix .. ':pending:d:' .. service)
end
return left
