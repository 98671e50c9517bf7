-- stats/slow: a page of a service's kept slow responses, slowest first: those ranked from
-- `offset` up to `limit`, as many as fit in `bytes` (the first whatever its size), so a reply
-- stays small whatever the payloads. Sizes come from HSTRLEN, so nothing is read to be dropped.
--
-- KEYS[1]  the project's stats prefix, kvdb:st:{project}
-- ARGV[1]  service; ARGV[2] offset (rank from 0); ARGV[3] limit (rank to stop before);
--          ARGV[4] bytes of entries at most
-- Reply    {the offset of the next page, or -1 when the limit or the end is reached, entries...}
--          (entries: see lib/stats)
local prefix, service = KEYS[1], ARGV[1]
local offset, limit, budget = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local data_key = prefix .. ':slowdata:' .. service
if offset >= limit then
  return {-1}
end
local ids = redis.call('ZREVRANGE', prefix .. ':slow:' .. service, offset, limit - 1)
local chosen, bytes = {}, 0
for _, id in ipairs(ids) do
  local size = redis.call('HSTRLEN', data_key, id)
  if #chosen > 0 and bytes + size > budget then
    break
  end
  chosen[#chosen + 1] = id
  bytes = bytes + size
end
local reply = {#chosen < #ids and offset + #chosen or -1}
if #chosen > 0 then
  for _, entry in ipairs(redis.call('HMGET', data_key, unpack(chosen))) do
    reply[#reply + 1] = entry
  end
end
return reply
