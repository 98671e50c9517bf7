-- stats/record: records a batch of invocations of any services of one project: the all-time
-- usage, the minute buckets (count, errors, sum, min, max, histogram), samples, slow responses,
-- and the indexes roll-up and deletion need. Invocations of one service and minute are summed
-- first, so a batch costs a few commands per bucket, not per invocation. An invocation without
-- a time is stamped with the Redis clock.
--
-- The project's statistics also say whether the roll-up registry (another slot) knows the
-- project: P:registered is set here at most once an hour, and the reply asks the caller to add
-- the project to the registry when it was. So the registry is rebuilt by the write path after
-- Redis lost it (a restart without persistence, FLUSHALL), within the hour for a registry lost alone.
--
-- KEYS[1]  the project's stats prefix, kvdb:st:{project} (see lib/stats for the layout)
-- ARGV[1]  minute retention ms; ARGV[2] how far ahead of the Redis clock a time may be, ms
-- ARGV[3]  '1': skip an invocation whose time is out of bounds (its index is in the reply);
--          '0': refuse the whole batch
-- ARGV[4..] five per invocation: service, duration us, '1' if it failed, time ms or '',
--           msgpack payload (correlation id, request, response) or ''
-- Reply    {1 if the project must be added to the registry else 0, skipped index (from 0)...}
-- Errors   KVDB_INVALID invocations.<i>.time when a time is too far ahead or behind (ARGV[3] '0')
-- @include lib/now
-- @include lib/stats

local REGISTER_EVERY_MS = 3600000
local FIRST = 4
local prefix = KEYS[1]
local retention, ahead, skip = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3] == '1'
local now = now_ms()

local reply = {0}
local per_service, order, accepted = {}, {}, {}
for i = FIRST, #ARGV, 5 do
  local at = ARGV[i + 3] == '' and now or tonumber(ARGV[i + 3])
  if at > now + ahead or at < now - retention then
    if not skip then
      return redis.error_reply('KVDB_INVALID invocations.' .. ((i - FIRST) / 5) .. '.time must be within ' ..
        retention .. ' ms before and ' .. ahead .. ' ms after the server clock')
    end
    reply[#reply + 1] = (i - FIRST) / 5
  else
    accepted[#accepted + 1] = i
    local service = ARGV[i]
    if not per_service[service] then
      per_service[service] = {count = 0}
      order[#order + 1] = service
    end
    per_service[service].count = per_service[service].count + 1
  end
end
if redis.call('SET', prefix .. ':registered', '1', 'NX', 'PX', REGISTER_EVERY_MS) then
  reply[1] = 1
end

local buckets, bucket_order = {}, {}
for _, service in ipairs(order) do
  local count = per_service[service].count
  per_service[service].seq = redis.call('HINCRBY', prefix .. ':usage', service, count) - count
  local cfg = redis.call('HMGET', prefix .. ':cfg:' .. service, 'se', 'sk', 'st', 'sn')
  per_service[service].every = tonumber(cfg[1] or 1)
  per_service[service].kept = tonumber(cfg[2] or 1)
  per_service[service].slow = tonumber(cfg[3] or 0)
  per_service[service].slow_kept = tonumber(cfg[4] or 100)
  if per_service[service].seq == 0 then
    redis.call('ZADD', prefix .. ':services', 0, service)
  end
end

for _, i in ipairs(accepted) do
  local service, us, failed = ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2] == '1'
  local at = ARGV[i + 3] == '' and now or tonumber(ARGV[i + 3])
  local minute = period_start('m', math.floor(at / 1000))
  local id = service .. ':' .. minute
  local agg = buckets[id]
  if not agg then
    agg = {service = service, start = minute, n = 0, e = 0, s = 0, h = {}}
    buckets[id] = agg
    bucket_order[#bucket_order + 1] = id
  end
  agg.n, agg.s = agg.n + 1, agg.s + us
  if failed then
    agg.e = agg.e + 1
  end
  if not agg.lo or us < agg.lo then
    agg.lo = us
  end
  if not agg.hi or us > agg.hi then
    agg.hi = us
  end
  local index = histogram_index(us)
  agg.h[index] = (agg.h[index] or 0) + 1

  local settings = per_service[service]
  settings.seq = settings.seq + 1
  local sampled = settings.every > 0 and settings.seq % settings.every == 0
  local slow = settings.slow > 0 and us >= settings.slow
  local entry = (sampled or slow) and (at .. ':' .. us .. ':' .. (failed and '1' or '0') .. ':' .. ARGV[i + 4])
  if sampled then
    settings.samples = settings.samples or {}
    settings.samples[#settings.samples + 1] = entry
  end
  if slow then
    local slow_key, data_key = prefix .. ':slow:' .. service, prefix .. ':slowdata:' .. service
    local slow_id = at .. ':' .. settings.seq
    redis.call('ZADD', slow_key, us, slow_id)
    redis.call('HSET', data_key, slow_id, entry)
    local excess = redis.call('ZCARD', slow_key) - settings.slow_kept
    if excess > 0 then
      local dropped = redis.call('ZPOPMIN', slow_key, excess)
      for d = 1, #dropped, 2 do
        redis.call('HDEL', data_key, dropped[d])
      end
    end
  end
end

-- Only the newest `kept` samples of the batch can survive the trim: push just those.
for _, service in ipairs(order) do
  local settings = per_service[service]
  if settings.samples then
    local samples_key = prefix .. ':samples:' .. service
    local newest = {}
    for s = math.max(1, #settings.samples - settings.kept + 1), #settings.samples do
      newest[#newest + 1] = settings.samples[s]
    end
    redis.call('LPUSH', samples_key, unpack(newest))
    redis.call('LTRIM', samples_key, 0, settings.kept - 1)
  end
end

for _, id in ipairs(bucket_order) do
  local agg = buckets[id]
  add_to_bucket(prefix, 'm', agg.service, agg.start, retention, agg)
end
return reply
