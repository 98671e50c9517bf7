-- stats/rollup: merges up to `budget` complete buckets of one level of one service into their
-- parents (minutes into hours, hours into days, days into months). Each merge and the removal
-- of its bucket from the pending index happen together, so a roll-up run twice, or cut short
-- and run again, counts nothing twice.
--
-- KEYS[1]  the project's stats prefix, kvdb:st:{project}
-- ARGV[1]  service; ARGV[2] level (m, h or d); ARGV[3] budget
-- ARGV[4]  the parent level's retention ms (0: forever)
-- Reply    the number of buckets merged
-- @include lib/now
-- @include lib/stats

local prefix, service, level = KEYS[1], ARGV[1], ARGV[2]
local budget, parent_retention = tonumber(ARGV[3]), tonumber(ARGV[4])
local parent = PARENT[level]
local now = math.floor(now_ms() / 1000)
local pending_key = prefix .. ':pending:' .. level .. ':' .. service
-- Complete: the period ended. Buckets are kept by period start, so end <= now means start <= now - length.
local complete = redis.call('ZRANGEBYSCORE', pending_key, '-inf', now - LEVEL_SECONDS[level], 'LIMIT', 0, budget)
for _, start in ipairs(complete) do
  local agg = read_bucket(bucket_key(prefix, level, service, start))
  if agg then
    local parent_start = period_start(parent, tonumber(start))
    add_to_bucket(prefix, parent, service, parent_start, parent_retention, agg)
  end
  redis.call('ZREM', pending_key, start)
end
return #complete
