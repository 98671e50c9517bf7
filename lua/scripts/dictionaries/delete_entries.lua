-- dictionaries/delete_entries: deletes entries and every translation that involves them.
--
-- KEYS[1]  the project's dictionary prefix, kvdb:dict:{project} (see lib/dictionaries)
-- ARGV     triples: system, key, value
-- Reply    how many existed
-- Errors   KVDB_LIMIT when the entries have more than MAX_CASCADE links together (lib/dictionaries):
--          then nothing is deleted
-- @include lib/dictionaries
local links = 0
for i = 1, #ARGV, 3 do
  links = links + redis.call('SCARD', KEYS[1] .. ':l:' .. ARGV[i] .. ':' .. ARGV[i + 1] .. ':' .. ARGV[i + 2])
end
if links > MAX_CASCADE then
  return redis.error_reply('KVDB_LIMIT the entries have ' .. links .. ' translations together; a call removes at most ' ..
    MAX_CASCADE .. ': delete fewer entries at once')
end
return each_group(1, 3, function(i)
  return remove_entry(KEYS[1], ARGV[i], ARGV[i + 1], ARGV[i + 2])
end)
