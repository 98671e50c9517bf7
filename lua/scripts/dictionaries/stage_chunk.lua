-- dictionaries/stage_chunk: validates one chunk of an import and stages it beside the dictionary, which
-- it never writes: the import touches the dictionary only once every chunk has been staged.
-- Staged keys expire, so an import that is never finished leaves nothing behind for long.
--
-- KEYS[1]  the import's staging area, kvdb:dict:{project}:import:<id> (see lib/dictionaries)
-- KEYS[2]  for a merge, the project's dictionary prefix, whose entries translations may name
--          (such an entry is staged too, so the staging area holds both ends of every link) and
--          whose links count towards MAX_LINKS; absent for a replace
-- ARGV[1]  how long staged keys live, in ms; ARGV[2] the number of entries, E; then E triples;
--          then sextuples of translations
-- Reply    {entries new to the staging area, links new to it}
-- Errors   KVDB_NOT_FOUND translations.<i>.from|to when an entry is neither in the chunk, nor
--          staged, nor (for a merge) in the dictionary; KVDB_LIMIT translations.<i>.from|to when
--          an entry would have more than MAX_LINKS (lib/dictionaries)
-- @include lib/dictionaries
local staging, ttl, entries = KEYS[1], ARGV[1], tonumber(ARGV[2])
local prefixes = {staging, KEYS[2]}
local first_translation = 3 + 3 * entries
local to_stage, in_chunk = {}, {}
for e = 3, first_translation - 1, 3 do
  to_stage[#to_stage + 1] = {ARGV[e], ARGV[e + 1], ARGV[e + 2]}
  in_chunk[ARGV[e] .. ':' .. ARGV[e + 1] .. ':' .. ARGV[e + 2]] = true
end
for i = first_translation, #ARGV, 6 do
  for _, end_ in ipairs({{'from', i}, {'to', i + 3}}) do
    local side, at = end_[1], end_[2]
    local name = ARGV[at] .. ':' .. ARGV[at + 1] .. ':' .. ARGV[at + 2]
    local known = in_chunk[name] or entry_exists(staging, ARGV[at], ARGV[at + 1], ARGV[at + 2])
    if not known and KEYS[2] and entry_exists(KEYS[2], ARGV[at], ARGV[at + 1], ARGV[at + 2]) then
      to_stage[#to_stage + 1] = {ARGV[at], ARGV[at + 1], ARGV[at + 2]}
      in_chunk[name] = true
      known = true
    end
    if not known then
      return redis.error_reply('KVDB_NOT_FOUND translations.' .. ((i - first_translation) / 6) .. '.' .. side ..
        ' is not an entry of the import' .. (KEYS[2] and ' nor of the dictionary' or '') .. ': ' ..
        ARGV[at] .. '/' .. ARGV[at + 1] .. '/' .. ARGV[at + 2])
    end
  end
end
local refused = refuse_too_many_links(prefixes, first_translation)
if refused then
  return refused
end
local touched = {[staging .. ':systems'] = true}
local added = 0
for _, entry in ipairs(to_stage) do
  added = added + add_entry(staging, entry[1], entry[2], entry[3])
  touched[staging .. ':e:' .. entry[1]] = true
end
local linked = 0
for i = first_translation, #ARGV, 6 do
  local a, b = {ARGV[i], ARGV[i + 1], ARGV[i + 2]}, {ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]}
  linked = linked + link(staging, a, b)
  for _, pair in ipairs({{a, b}, {b, a}}) do
    local from, to = pair[1], pair[2]
    touched[staging .. ':t:' .. from[1] .. ':' .. from[2]] = true
    touched[staging .. ':l:' .. from[1] .. ':' .. from[2] .. ':' .. from[3]] = true
  end
end
for key in pairs(touched) do
  redis.call('PEXPIRE', key, ttl)
end
return {added, linked}
