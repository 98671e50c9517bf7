-- locks/list: a page of the project's held locks in name order. Names whose lease ran out
-- without a release are dropped from the index on the way, within a fixed budget per call so
-- the work stays bounded; a page cut short by the budget still carries a cursor.
--
-- KEYS[1]  the project's lock names, kvdb:lock:{project}:names (zset, all scores 0)
-- KEYS[2]  the prefix of the project's lock hashes, kvdb:lock:{project}:h:
-- ARGV[1]  start after this name ('' for the first page)
-- ARGV[2]  the page size
-- ARGV[3]  the most index entries to examine
-- Reply    {cursor, name, fence, acquired_ms, expires_ms, owner_label, name, ...}; cursor is
--          the last name examined when more may follow, '' at the end of the index

local names_key, lock_prefix = KEYS[1], KEYS[2]
local after, page_size, budget = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local min = after == '' and '-' or '(' .. after
local reply, found, examined, last = {''}, 0, 0, nil

while found < page_size and examined < budget do
  local batch = redis.call('ZRANGEBYLEX', names_key, min, '+', 'LIMIT', 0,
    math.min(page_size - found, budget - examined))
  if #batch == 0 then
    return reply
  end
  for _, name in ipairs(batch) do
    examined, last = examined + 1, name
    local holder = redis.call('HMGET', lock_prefix .. name, 'f', 'a', 'e', 'o')
    if holder[1] then
      found = found + 1
      reply[#reply + 1] = name
      for i = 1, 4 do
        reply[#reply + 1] = holder[i]
      end
    else
      redis.call('ZREM', names_key, name)
    end
  end
  min = '(' .. last
end

if redis.call('ZRANGEBYLEX', names_key, min, '+', 'LIMIT', 0, 1)[1] then
  reply[1] = last
end
return reply
