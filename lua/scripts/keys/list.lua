-- keys/list: a page of keys in id order, without their secrets.
--
-- KEYS[1]  the key ids, kvdb:keys:{keys}:ids (see lib/keys for the layout)
-- KEYS[2]  the prefix of the key records, kvdb:keys:{keys}:k:
-- ARGV[1]  start after this id ('' for the first page); ARGV[2] the page size (1 to 1000)
-- Reply    {cursor, key fields (lib/keys key_fields), ...}; cursor is the last id when more
--          may follow, '' at the end
-- Errors   KVDB_INVALID page_size when it is out of range
-- @include lib/now
-- @include lib/keys

local ids_key, record_prefix = KEYS[1], KEYS[2]
local after, page_size = ARGV[1], tonumber(ARGV[2])
if not page_size or page_size < 1 or page_size > 1000 then
  return redis.error_reply('KVDB_INVALID page_size must be from 1 to 1000')
end
local min = after == '' and '-' or '(' .. after
local ids = redis.call('ZRANGEBYLEX', ids_key, min, '+', 'LIMIT', 0, page_size + 1)
local now = now_ms()
local reply = {''}
for i = 1, math.min(#ids, page_size) do
  for _, field in ipairs(key_fields(record_prefix .. ids[i], ids[i], now)) do
    reply[#reply + 1] = field
  end
end
if #ids > page_size then
  reply[1] = ids[page_size]
end
return reply
