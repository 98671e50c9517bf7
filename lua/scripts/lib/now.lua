-- lib/now: the Redis server's clock in milliseconds. Included by scripts that need the time, so
-- that every timestamp in KVDB comes from one clock, never from a client.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
