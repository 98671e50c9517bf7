-- dict/clear_step: deletes up to `budget` entries (with their links) of the first system, one
-- bounded step of emptying a project's dictionary.
--
-- KEYS[1]  the project's dictionary prefix, kvdb:dict:{project} (see lib/dict)
-- ARGV[1]  budget
-- Reply    1 while entries are left, 0 when the dictionary is empty
-- @include lib/dict
local prefix = KEYS[1]
local system = redis.call('ZRANGE', prefix .. ':systems', 0, 0)[1]
if not system then
  return 0
end
for _, member in ipairs(redis.call('ZRANGE', prefix .. ':e:' .. system, 0, tonumber(ARGV[1]) - 1)) do
  local key, value = string.match(member, '^([^:]+):(.*)$')
  remove_entry(prefix, system, key, value)
end
return redis.call('ZCARD', prefix .. ':systems') > 0 and 1 or 0
