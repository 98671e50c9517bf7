-- keys/rotate: gives a key a new secret. The current one keeps working for the overlap (as the
-- previous secret) and then stops; an older previous secret stops at once, so a key has at most
-- two working secrets.
--
-- KEYS[1]  the secret hashes, kvdb:keys:{keys}:hashes (see lib/keys for the layout)
-- KEYS[2]  the key's record, kvdb:keys:{keys}:k:<id>
-- ARGV[1]  the key id; ARGV[2] the new secret's SHA-256 (hex)
-- ARGV[3]  the overlap in ms: 0 stops the current secret at once; at most 7 days
-- Reply    the key's fields (lib/keys key_fields)
-- Errors   KVDB_NOT_FOUND when no such key exists; KVDB_INVALID overlap; KVDB_INTERNAL for a
--          secret hash that is not 64 hex digits; KVDB_EXISTS when the new secret is taken
-- @include lib/now
-- @include lib/keys

local hashes_key, record_key = KEYS[1], KEYS[2]
local id, hash, overlap = ARGV[1], ARGV[2], tonumber(ARGV[3])

if not is_secret_hash(hash) then
  return redis.error_reply('KVDB_INTERNAL the secret must be hashed as 64 hex digits')
end
if not overlap or overlap < 0 or overlap > 7 * 86400000 or overlap ~= math.floor(overlap) then
  return redis.error_reply('KVDB_INVALID overlap must be a whole number of ms up to 7 days')
end
local record = redis.call('HMGET', record_key, 'h', 'ph')
if not record[1] then
  return redis.error_reply('KVDB_NOT_FOUND no key has this id')
end
if redis.call('HEXISTS', hashes_key, hash) == 1 then
  return redis.error_reply('KVDB_EXISTS secret is taken; try again')
end

local now = now_ms()
if record[2] and record[2] ~= '' then
  redis.call('HDEL', hashes_key, record[2])
end
if overlap > 0 then
  redis.call('HSET', record_key, 'ph', record[1], 'pe', now + overlap)
else
  redis.call('HDEL', hashes_key, record[1])
  redis.call('HDEL', record_key, 'ph', 'pe')
end
redis.call('HSET', record_key, 'h', hash)
redis.call('HSET', hashes_key, hash, id)
return key_fields(record_key, id, now)
