-- dict/export_page: a page of one system's entries with their links, for export. Each link is
-- given from both ends; the caller keeps it once.
--
-- KEYS[1]  the project's dictionary prefix, kvdb:dict:{project} (see lib/dict)
-- ARGV[1]  system; ARGV[2] the member to continue after ('' from the start); ARGV[3] limit
-- Reply    {'<key>:<value>', link count, '<to system>:<to key>:<to value>', ..., ...}
local prefix, system = KEYS[1], ARGV[1]
local min = ARGV[2] == '' and '-' or '(' .. ARGV[2]
local reply = {}
for _, member in ipairs(redis.call('ZRANGEBYLEX', prefix .. ':e:' .. system, min, '+', 'LIMIT', 0, tonumber(ARGV[3]))) do
  local links = redis.call('SMEMBERS', prefix .. ':l:' .. system .. ':' .. member)
  reply[#reply + 1] = member
  reply[#reply + 1] = #links
  for _, other in ipairs(links) do
    reply[#reply + 1] = other
  end
end
return reply
