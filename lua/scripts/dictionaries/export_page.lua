-- dictionaries/export_page: a page of one system's entries with their links, for export. Each link is
-- given from both ends; the caller keeps it once. The page ends before the entry whose links
-- would pass the link budget (the first entry always comes, with its at most MAX_LINKS links).
--
-- KEYS[1]  the dictionary prefix, kvdb:dict:{project} or an import's staging area (see lib/dictionaries)
-- ARGV[1]  system; ARGV[2] the member to continue after ('' from the start); ARGV[3] the most
--          entries; ARGV[4] the link budget
-- Reply    {'<key>:<value>', link count, '<to system>:<to key>:<to value>', ..., ...}; empty
--          when no entry follows ARGV[2]
local prefix, system = KEYS[1], ARGV[1]
local min = ARGV[2] == '' and '-' or '(' .. ARGV[2]
local budget, links_taken = tonumber(ARGV[4]), 0
local reply = {}
for _, member in ipairs(redis.call('ZRANGEBYLEX', prefix .. ':e:' .. system, min, '+', 'LIMIT', 0, tonumber(ARGV[3]))) do
  local links_key = prefix .. ':l:' .. system .. ':' .. member
  local count = redis.call('SCARD', links_key)
  if #reply > 0 and links_taken + count > budget then
    break
  end
  links_taken = links_taken + count
  reply[#reply + 1] = member
  reply[#reply + 1] = count
  for _, other in ipairs(redis.call('SMEMBERS', links_key)) do
    reply[#reply + 1] = other
  end
end
return reply
