-- stats/read: the figures of one service for each of the given periods. A period's figures are
-- its own bucket plus every bucket of each lower level inside it that is still pending (not yet
-- rolled into its parent), so reads are exact whether or not roll-up has run. (A pending bucket's
-- figures are in none of its ancestors yet, and one no longer pending has passed them to its
-- parent, so nothing is counted twice.)
--
-- KEYS[1]  the project's stats prefix, kvdb:st:{project}
-- ARGV[1]  service; ARGV[2..] pairs of level (m, h, d, M) and period start (seconds)
-- Reply    per period: {count, errors, sum, min or '', max or '', k, index, count, ... (k pairs)}
--          followed by the all-time usage
-- @include lib/stats

local prefix, service = KEYS[1], ARGV[1]

local function collect(into, level, start)
  local finish = period_end(level, start)
  local own = read_bucket(bucket_key(prefix, level, service, start))
  if own then
    merge(into, own)
  end
  local lower = CHILD[level]
  while lower do
    local pending = redis.call('ZRANGEBYSCORE', prefix .. ':pending:' .. lower .. ':' .. service, start, '(' .. finish)
    for _, lower_start in ipairs(pending) do
      local agg = read_bucket(bucket_key(prefix, lower, service, lower_start))
      if agg then
        merge(into, agg)
      end
    end
    lower = CHILD[lower]
  end
end

local reply = {}
for i = 2, #ARGV, 2 do
  local agg = {n = 0, e = 0, s = 0, h = {}}
  collect(agg, ARGV[i], tonumber(ARGV[i + 1]))
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
