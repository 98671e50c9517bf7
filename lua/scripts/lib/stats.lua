-- lib/stats: the layout of a project's service statistics and the period arithmetic.
--
-- All keys derive from P = kvdb:st:{project}, so a batch of any services is one slot:
--   P:services            zset, all scores 0: service names
--   P:usage               hash service -> all-time invocations
--   P:b:<L>:<svc>:<start> hash: n count, e errors, s sum us, lo min us, hi max us, and
--                         "<i>" -> invocations in histogram bucket i (see histogram_index)
--                         L is m, h, d or M (minute, hour, day, month); start in seconds (UTC)
--   P:pending:<L>:<svc>   zset start -> start: buckets of level L not yet merged into level L+1
--   P:idx:<svc>           zset bucket key -> expiry ms (or +inf): every live bucket, for deletion
--   P:cfg:<svc>           hash: se sample every N, sk samples kept, st slow threshold us,
--                         sn slow responses kept
--   P:samples:<svc>       list, newest first: sample entries
--   P:slow:<svc>          zset id -> duration us; P:slowdata:<svc> hash id -> entry
-- An entry is "<time ms>:<duration us>:<error 0|1>:<msgpack payload from the gateway>".

local LEVEL_SECONDS = {m = 60, h = 3600, d = 86400}
local PARENT = {m = 'h', h = 'd', d = 'M'}
local CHILD = {h = 'm', d = 'h', M = 'd'}

-- The first second of the month holding `sec` (proleptic Gregorian, after H. Hinnant).
local function month_start(sec)
  local days = math.floor(sec / 86400)
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local day_of_month = doy - math.floor((153 * mp + 2) / 5) + 1
  return (days - (day_of_month - 1)) * 86400
end

local function period_start(level, sec)
  if level == 'M' then
    return month_start(sec)
  end
  local length = LEVEL_SECONDS[level]
  return math.floor(sec / length) * length
end

local function period_end(level, start)
  if level == 'M' then
    return month_start(start + 32 * 86400)
  end
  return start + LEVEL_SECONDS[level]
end

local function bucket_key(prefix, level, service, start)
  return prefix .. ':b:' .. level .. ':' .. service .. ':' .. start
end

-- Histogram bucket of a duration: 0 for under 1 us, else 1 + floor(log_1.05(us)), so bucket i
-- holds [1.05^(i-1), 1.05^i) us: 2.5 % from its middle to either edge, 450 buckets to 1 hour.
local LOG_BASE = math.log(1.05)
local function histogram_index(us)
  if us < 1 then
    return 0
  end
  return 1 + math.floor(math.log(us) / LOG_BASE)
end

-- Adds an aggregate {n, e, s, lo, hi, h = {[i] = count}} into a bucket hash: one HMGET of
-- every field it touches and one variadic HSET, whatever the number of histogram buckets.
-- Returns true when the bucket was new (and so still needs track_bucket).
local function add_into(key, agg)
  local names = {'n', 'e', 's', 'lo', 'hi'}
  for index in pairs(agg.h) do
    names[#names + 1] = index
  end
  local stored = redis.call('HMGET', key, unpack(names))
  local lo, hi = tonumber(stored[4]), tonumber(stored[5])
  local values = {
    'n', (tonumber(stored[1]) or 0) + agg.n,
    'e', (tonumber(stored[2]) or 0) + agg.e,
    's', (tonumber(stored[3]) or 0) + agg.s,
    'lo', (lo and lo < agg.lo) and lo or agg.lo,
    'hi', (hi and hi > agg.hi) and hi or agg.hi,
  }
  for i = 6, #names do
    values[#values + 1] = names[i]
    values[#values + 1] = (tonumber(stored[i]) or 0) + agg.h[names[i]]
  end
  redis.call('HSET', key, unpack(values))
  return not stored[1]
end

-- Reads a bucket hash as an aggregate (nil when empty).
local function read_bucket(key)
  local fields = redis.call('HGETALL', key)
  if #fields == 0 then
    return nil
  end
  local agg = {n = 0, e = 0, s = 0, h = {}}
  for i = 1, #fields, 2 do
    local name, value = fields[i], tonumber(fields[i + 1])
    if name == 'n' or name == 'e' or name == 's' or name == 'lo' or name == 'hi' then
      agg[name] = value
    else
      agg.h[tonumber(name)] = value
    end
  end
  return agg
end

local function merge(into, agg)
  into.n, into.e, into.s = into.n + agg.n, into.e + agg.e, into.s + agg.s
  if agg.lo and (not into.lo or agg.lo < into.lo) then
    into.lo = agg.lo
  end
  if agg.hi and (not into.hi or agg.hi > into.hi) then
    into.hi = agg.hi
  end
  for index, count in pairs(agg.h) do
    into.h[index] = (into.h[index] or 0) + count
  end
end

-- Remembers a new bucket for roll-up (unless it is a month) and for deletion; sets its expiry.
local function track_bucket(prefix, level, service, start, retention_ms)
  local key = bucket_key(prefix, level, service, start)
  local expiry = '+inf'
  if retention_ms > 0 then
    expiry = period_end(level, start) * 1000 + retention_ms
    redis.call('PEXPIREAT', key, expiry)
  end
  if PARENT[level] then
    redis.call('ZADD', prefix .. ':pending:' .. level .. ':' .. service, 'NX', start, start)
  end
  -- The deletion index forgets buckets Redis has expired, a few for each bucket made, so it
  -- shrinks without one call ever removing a long idle service's thousands at once.
  local index = prefix .. ':idx:' .. service
  local clock = redis.call('TIME')
  local expired = redis.call('ZRANGEBYSCORE', index, '-inf', tonumber(clock[1]) * 1000, 'LIMIT', 0, 8)
  if #expired > 0 then
    redis.call('ZREM', index, unpack(expired))
  end
  redis.call('ZADD', index, expiry, key)
end

-- Adds an aggregate into the bucket of a level and period, tracking the bucket if it is new.
-- A bucket that is no longer pending was already rolled into its parent (an invocation recorded
-- late, or a bucket merged after its parent rolled up): queuing it again would merge what it held
-- twice, so the aggregate is added to the parent as well, and so on up. (That parent holds the
-- bucket's figures, so it exists and retention_ms only matters if it has expired.)
local function add_to_bucket(prefix, level, service, start, retention_ms, agg)
  if add_into(bucket_key(prefix, level, service, start), agg) then
    track_bucket(prefix, level, service, start, retention_ms)
    return
  end
  local parent = PARENT[level]
  if parent and not redis.call('ZSCORE', prefix .. ':pending:' .. level .. ':' .. service, start) then
    add_to_bucket(prefix, parent, service, period_start(parent, tonumber(start)), retention_ms, agg)
  end
end
