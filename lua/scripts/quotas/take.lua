-- quotas/take: takes up to `wanted` tokens from a project's request-rate bucket. The bucket
-- holds at most `burst` tokens and refills at `requests_per_second`, from the Redis clock; it
-- starts full. A gateway takes tokens in small leases and spends them locally (see the
-- gateway's RateLimiter), so this runs once per lease, not once per call.
--
-- KEYS[1]  the quota record, kvdb:quota:{project} (see quotas/get)
-- ARGV[1]  wanted: an integer from 1 to 1000000
-- Reply    {granted (0..wanted; wanted when the project has no rate quota), ms until the next
--          token when none was granted (else 0)}
-- Errors   KVDB_INTERNAL when ARGV[1] is not such an integer (the gateway's lease sizes always
--          are, so anything else is a bug)

local record = KEYS[1]
local wanted = tonumber(ARGV[1])
if not wanted or wanted ~= wanted or wanted < 1 or wanted > 1000000 or wanted ~= math.floor(wanted) then
  return redis.error_reply('KVDB_INTERNAL quotas/take: wanted must be an integer from 1 to 1000000, not ' .. string.sub(ARGV[1], 1, 40))
end
local limits = redis.call('HMGET', record, 'requests_per_second', 'burst', 'tk', 'ts')
local rate, burst = tonumber(limits[1]), tonumber(limits[2])
if not rate or rate <= 0 then
  return {wanted, 0}
end
if not burst or burst < 1 then
  burst = math.max(1, math.ceil(rate))
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tokens, last = tonumber(limits[3]) or burst, tonumber(limits[4]) or now
if last > now then
  last = now
end
tokens = math.min(burst, tokens + (now - last) * rate / 1000000)
local granted = math.min(wanted, math.floor(tokens))
tokens = tokens - granted
redis.call('HSET', record, 'tk', string.format('%.6f', tokens), 'ts', string.format('%d', now))
local wait = 0
if granted == 0 then
  wait = math.ceil((1 - tokens) * 1000 / rate)
end
return {granted, wait}
