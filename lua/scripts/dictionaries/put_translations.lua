-- dictionaries/put_translations: links pairs of existing entries, both ways; all or nothing.
--
-- KEYS[1]  the project's dictionary prefix, kvdb:dict:{project} (see lib/dictionaries)
-- ARGV     sextuples: from system, key, value, to system, key, value
-- Reply    how many links were new
-- Errors   KVDB_NOT_FOUND translations.<i>.from|to when an entry does not exist; KVDB_LIMIT
--          translations.<i>.from|to when an entry would have more than MAX_LINKS (lib/dictionaries)
-- @include lib/dictionaries
local prefix = KEYS[1]
for i = 1, #ARGV, 6 do
  for _, end_ in ipairs({{'from', i}, {'to', i + 3}}) do
    local side, at = end_[1], end_[2]
    if not entry_exists(prefix, ARGV[at], ARGV[at + 1], ARGV[at + 2]) then
      return redis.error_reply('KVDB_NOT_FOUND translations.' .. ((i - 1) / 6) .. '.' .. side ..
        ' is not an entry: ' .. ARGV[at] .. '/' .. ARGV[at + 1] .. '/' .. ARGV[at + 2])
    end
  end
end
local refused = refuse_too_many_links({prefix}, 1)
if refused then
  return refused
end
return each_group(1, 6, function(i)
  return link(prefix, {ARGV[i], ARGV[i + 1], ARGV[i + 2]}, {ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]})
end)
