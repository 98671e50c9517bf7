-- lib/dictionaries: the layout of a project's data dictionary and the steps its scripts share.
--
-- All keys derive from D = kvdb:dict:{project}. Systems and keys never contain ':' (they follow
-- the name rules), so a value, which may, always comes last and splits cleanly:
--   D:systems                    zset, all scores 0: systems that have entries
--   D:e:<system>                 zset, all scores 0: members '<key>:<value>'
--   D:t:<system>:<key>           hash '<to system>:<to key>:<value>' -> to value (translations)
--   D:l:<system>:<key>:<value>   set '<to system>:<to key>:<to value>': the entry's links, for
--                                cascading deletes and export
-- An import stages its chunks under D:import:<id> in the same layout (same hash tag) before it
-- touches D.
--
-- An entry has at most MAX_LINKS links, so that deleting or exporting one is bounded work.
local MAX_LINKS = 1000
-- A call removes at most MAX_CASCADE links with the entries it deletes; one entry always fits.
local MAX_CASCADE = 2 * MAX_LINKS

local function entry_exists(prefix, system, key, value)
  return redis.call('ZSCORE', prefix .. ':e:' .. system, key .. ':' .. value) ~= false
end

local function add_entry(prefix, system, key, value)
  redis.call('ZADD', prefix .. ':systems', 0, system)
  return redis.call('ZADD', prefix .. ':e:' .. system, 'NX', 0, key .. ':' .. value)
end

-- Removes the one-way half of a link.
local function unlink_half(prefix, system, key, value, to_system, to_key, to_value)
  redis.call('HDEL', prefix .. ':t:' .. system .. ':' .. key, to_system .. ':' .. to_key .. ':' .. value)
  redis.call('SREM', prefix .. ':l:' .. system .. ':' .. key .. ':' .. value,
    to_system .. ':' .. to_key .. ':' .. to_value)
end

-- Unlinks two entries both ways; returns 1 if they were linked.
local function unlink(prefix, a, b)
  local field = b[1] .. ':' .. b[2] .. ':' .. a[3]
  if redis.call('HGET', prefix .. ':t:' .. a[1] .. ':' .. a[2], field) ~= b[3] then
    return 0
  end
  unlink_half(prefix, a[1], a[2], a[3], b[1], b[2], b[3])
  unlink_half(prefix, b[1], b[2], b[3], a[1], a[2], a[3])
  return 1
end

-- Links two existing entries both ways. An entry translates to one value per target system and
-- key, so a link replaces the one it supersedes on either side.
local function link(prefix, a, b)
  for _, pair in ipairs({{a, b}, {b, a}}) do
    local from, to = pair[1], pair[2]
    local current = redis.call('HGET', prefix .. ':t:' .. from[1] .. ':' .. from[2], to[1] .. ':' .. to[2] .. ':' .. from[3])
    if current and current ~= to[3] then
      unlink(prefix, from, {to[1], to[2], current})
    end
  end
  local added = redis.call('HSET', prefix .. ':t:' .. a[1] .. ':' .. a[2], b[1] .. ':' .. b[2] .. ':' .. a[3], b[3])
  redis.call('HSET', prefix .. ':t:' .. b[1] .. ':' .. b[2], a[1] .. ':' .. a[2] .. ':' .. b[3], a[3])
  redis.call('SADD', prefix .. ':l:' .. a[1] .. ':' .. a[2] .. ':' .. a[3], b[1] .. ':' .. b[2] .. ':' .. b[3])
  redis.call('SADD', prefix .. ':l:' .. b[1] .. ':' .. b[2] .. ':' .. b[3], a[1] .. ':' .. a[2] .. ':' .. a[3])
  return added
end

-- Splits '<system>:<key>:<value>'.
local function parse_entry(text)
  local system, key, value = string.match(text, '^([^:]+):([^:]+):(.*)$')
  return {system, key, value}
end

-- Removes an entry and every link it has; returns 1 if it existed.
local function remove_entry(prefix, system, key, value)
  if redis.call('ZREM', prefix .. ':e:' .. system, key .. ':' .. value) == 0 then
    return 0
  end
  local entry = {system, key, value}
  for _, other in ipairs(redis.call('SMEMBERS', prefix .. ':l:' .. system .. ':' .. key .. ':' .. value)) do
    unlink(prefix, entry, parse_entry(other))
  end
  redis.call('DEL', prefix .. ':l:' .. system .. ':' .. key .. ':' .. value)
  if redis.call('ZCARD', prefix .. ':e:' .. system) == 0 then
    redis.call('ZREM', prefix .. ':systems', system)
  end
  return 1
end

-- The error reply that refuses the translations from ARGV[first] on (sextuples) that would give an
-- entry more than MAX_LINKS links in the dictionaries under `prefixes` taken together; nil if
-- none would. A link counts as new unless one of them has it; removals by superseded links are
-- not counted, so the check errs on the side of refusing.
local function refuse_too_many_links(prefixes, first)
  local counted = {}
  for i = first, #ARGV, 6 do
    for _, side in ipairs({{'from', i, i + 3}, {'to', i + 3, i}}) do
      local at, other = side[2], side[3]
      local name = ARGV[at] .. ':' .. ARGV[at + 1] .. ':' .. ARGV[at + 2]
      local partner = ARGV[other] .. ':' .. ARGV[other + 1] .. ':' .. ARGV[other + 2]
      local entry = counted[name]
      if not entry then
        entry = {links = 0, partners = {}}
        for _, prefix in ipairs(prefixes) do
          entry.links = entry.links + redis.call('SCARD', prefix .. ':l:' .. name)
        end
        counted[name] = entry
      end
      local known = entry.partners[partner]
      for _, prefix in ipairs(prefixes) do
        known = known or redis.call('SISMEMBER', prefix .. ':l:' .. name, partner) == 1
      end
      if not known then
        entry.partners[partner] = true
        entry.links = entry.links + 1
        if entry.links > MAX_LINKS then
          return redis.error_reply('KVDB_LIMIT translations.' .. ((i - first) / 6) .. '.' .. side[1] ..
            ' would have more than ' .. MAX_LINKS .. ' translations: ' .. ARGV[at] .. '/' .. ARGV[at + 1] .. '/' .. ARGV[at + 2])
        end
      end
    end
  end
  return nil
end

-- Entries or translations from ARGV, starting at `from`, `width` strings each.
local function each_group(from, width, action)
  local count = 0
  for i = from, #ARGV, width do
    count = count + action(i, (i - from) / width)
  end
  return count
end
