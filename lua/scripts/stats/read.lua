-- stats/read: the figures of one service for each of the given periods, as many as fit in a
-- budget of bucket reads. A period's figures are its own bucket plus every bucket of each lower
-- level inside it that is still pending (not yet rolled into its parent), so reads are exact
-- whether or not roll-up has run. (A pending bucket's figures are in none of its ancestors yet,
-- and one no longer pending has passed them to its parent, so nothing is counted twice.)
--
-- Work is bounded whatever the range: a bucket Redis has expired (its period ended more than
-- its level's retention ago) or one that cannot exist yet (it starts past the latest time
-- record accepts) is known empty and costs no read, so a range reaching back to year 1 or ahead
-- to 9999 costs only the buckets that may exist. The periods are read in order, and reading
-- stops before the first that would take the reads past the budget; the caller asks again for
-- the rest. A first period that alone is over the budget (a roll-up backlog after an outage)
-- gives no periods: the caller rolls the service up and asks again.
--
-- KEYS[1]  the project's stats prefix, kvdb:st:{project}
-- ARGV[1]  service; ARGV[2] budget: bucket reads at most; ARGV[3] how far ahead of the Redis
--          clock record accepts a time, ms; ARGV[4..6] retention ms of minutes, hours, days
-- ARGV[7..] pairs of level (m, h, d, M) and period start (seconds)
-- Reply    {periods read, then per period read: count, errors, sum, min or '', max or '', k,
--          index, count, ... (k pairs)}, followed by the all-time usage
-- @include lib/now
-- @include lib/stats

local prefix, service, budget = KEYS[1], ARGV[1], tonumber(ARGV[2])
local now = now_ms() / 1000
local latest = now + tonumber(ARGV[3]) / 1000
local retention = {m = tonumber(ARGV[4]) / 1000, h = tonumber(ARGV[5]) / 1000, d = tonumber(ARGV[6]) / 1000}
local FIRST = 7

-- The earliest start a live bucket of the level can have: its period ended within retention.
local function earliest(level)
  if level == 'M' then
    return -math.huge
  end
  return now - retention[level] - LEVEL_SECONDS[level]
end

-- The buckets a period's figures come from: its own (when it may exist) and the live pending
-- ones of each lower level within it, each as {level, start}.
local function sources(level, start)
  local finish = period_end(level, start)
  local found = {}
  if start > latest then
    return found
  end
  if start > earliest(level) then
    found[1] = {level, start}
  end
  local lower = CHILD[level]
  while lower do
    local from = math.max(start, math.floor(earliest(lower)) + 1)
    if from < finish then
      local pending_key = prefix .. ':pending:' .. lower .. ':' .. service
      local count = redis.call('ZCOUNT', pending_key, from, '(' .. finish)
      if count > budget then
        return nil
      end
      if count > 0 then
        for _, lower_start in ipairs(redis.call('ZRANGEBYSCORE', pending_key, from, '(' .. finish)) do
          found[#found + 1] = {lower, lower_start}
        end
      end
    end
    lower = CHILD[lower]
  end
  return found
end

local reply = {0}
local reads = 0
for i = FIRST, #ARGV, 2 do
  local found = sources(ARGV[i], tonumber(ARGV[i + 1]))
  if not found or reads + #found > budget then
    break
  end
  reads = reads + #found
  local agg = {n = 0, e = 0, s = 0, h = {}}
  for _, source in ipairs(found) do
    local bucket = read_bucket(bucket_key(prefix, source[1], service, source[2]))
    if bucket then
      merge(agg, bucket)
    end
  end
  reply[1] = reply[1] + 1
  reply[#reply + 1] = agg.n
  reply[#reply + 1] = agg.e
  reply[#reply + 1] = agg.s
  reply[#reply + 1] = agg.lo or ''
  reply[#reply + 1] = agg.hi or ''
  local pairs_at = #reply + 1
  reply[pairs_at] = 0
  for index, count in pairs(agg.h) do
    reply[#reply + 1] = index
    reply[#reply + 1] = count
    reply[pairs_at] = reply[pairs_at] + 1
  end
end
reply[#reply + 1] = tonumber(redis.call('HGET', prefix .. ':usage', service) or 0)
return reply
