-- dictionaries/translate: looks up translations.
--
-- KEYS[1]  the project's dictionary prefix, kvdb:dict:{project} (see lib/dictionaries)
-- ARGV     quintuples: from system, key, value, to system, to key
-- Reply    per lookup: the translated value, or '' (values are never empty) when there is none
local prefix, reply = KEYS[1], {}
for i = 1, #ARGV, 5 do
  reply[#reply + 1] = redis.call('HGET', prefix .. ':t:' .. ARGV[i] .. ':' .. ARGV[i + 1],
    ARGV[i + 3] .. ':' .. ARGV[i + 4] .. ':' .. ARGV[i + 2]) or ''
end
return reply
