-- dictionaries/import_chunk: applies one chunk of a staged import (see stage_chunk) atomically: its
-- entries, then its translations (whose entries must exist once the chunk's entries are in).
--
-- KEYS[1]  the project's dictionary prefix, kvdb:dict:{project} (see lib/dictionaries)
-- ARGV[1]  the number of entries, E; then E triples; then sextuples of translations
-- Reply    {entries added, links added}
-- Errors   KVDB_NOT_FOUND translations.<i>.from|to when an entry does not exist; KVDB_LIMIT
--          translations.<i>.from|to when an entry would have more than MAX_LINKS (lib/dictionaries)
-- @include lib/dictionaries
local prefix, entries = KEYS[1], tonumber(ARGV[1])
local first_translation = 2 + 3 * entries
local in_chunk = {}
for e = 2, first_translation - 1, 3 do
  in_chunk[ARGV[e] .. ':' .. ARGV[e + 1] .. ':' .. ARGV[e + 2]] = true
end
for i = first_translation, #ARGV, 6 do
  for _, end_ in ipairs({{'from', i}, {'to', i + 3}}) do
    local side, at = end_[1], end_[2]
    local known = in_chunk[ARGV[at] .. ':' .. ARGV[at + 1] .. ':' .. ARGV[at + 2]] or
      entry_exists(prefix, ARGV[at], ARGV[at + 1], ARGV[at + 2])
    if not known then
      return redis.error_reply('KVDB_NOT_FOUND translations.' .. ((i - first_translation) / 6) .. '.' .. side ..
        ' is not an entry: ' .. ARGV[at] .. '/' .. ARGV[at + 1] .. '/' .. ARGV[at + 2])
    end
  end
end
local refused = refuse_too_many_links({prefix}, first_translation)
if refused then
  return refused
end
local added = 0
for e = 2, first_translation - 1, 3 do
  added = added + add_entry(prefix, ARGV[e], ARGV[e + 1], ARGV[e + 2])
end
local linked = 0
for i = first_translation, #ARGV, 6 do
  linked = linked + link(prefix, {ARGV[i], ARGV[i + 1], ARGV[i + 2]}, {ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]})
end
return {added, linked}
