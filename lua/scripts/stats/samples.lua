-- stats/samples: a page of a service's kept samples, newest first: from `offset`, as many as
-- fit in `bytes` (the first whatever its size), so a reply stays small whatever the payloads.
-- At most 100 samples are kept, so reading them one by one costs little.
--
-- KEYS[1]  the project's stats prefix, kvdb:st:{project}
-- ARGV[1]  service; ARGV[2] offset (from 0); ARGV[3] bytes of entries at most
-- Reply    {the offset of the next page, or -1 when none is left, entries...} (see lib/stats)
local key = KEYS[1] .. ':samples:' .. ARGV[1]
local offset, budget = tonumber(ARGV[2]), tonumber(ARGV[3])
local kept = redis.call('LLEN', key)
local reply, bytes = {-1}, 0
local at = offset
while at < kept do
  local entry = redis.call('LINDEX', key, at)
  if #reply > 1 and bytes + #entry > budget then
    break
  end
  reply[#reply + 1] = entry
  bytes = bytes + #entry
  at = at + 1
end
if at < kept then
  reply[1] = at
end
return reply
