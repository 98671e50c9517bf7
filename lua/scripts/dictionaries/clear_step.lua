-- dictionaries/clear_step: one bounded step of emptying a dictionary: deletes entries of its first system,
-- with their links, until `budget` is spent (an entry costs 1 and 1 per link; the first entry is
-- always deleted, so a step removes at most budget + MAX_LINKS links, see lib/dictionaries).
--
-- KEYS[1]  the dictionary prefix, kvdb:dict:{project} or an import's staging area (see lib/dictionaries)
-- ARGV[1]  budget
-- Reply    1 while entries are left, 0 when the dictionary is empty
-- @include lib/dictionaries
local prefix, budget = KEYS[1], tonumber(ARGV[1])
local system = redis.call('ZRANGE', prefix .. ':systems', 0, 0)[1]
if not system then
  return 0
end
local spent = 0
for _, member in ipairs(redis.call('ZRANGE', prefix .. ':e:' .. system, 0, budget - 1)) do
  local key, value = string.match(member, '^([^:]+):(.*)$')
  local cost = 1 + redis.call('SCARD', prefix .. ':l:' .. system .. ':' .. member)
  if spent > 0 and spent + cost > budget then
    break
  end
  spent = spent + cost
  remove_entry(prefix, system, key, value)
end
return redis.call('ZCARD', prefix .. ':systems') > 0 and 1 or 0
