-- keys/revoke: deletes a key with every trace of it, so none of its secrets, nor its
-- certificate identity, stands for it any more.
--
-- KEYS[1]  the key ids, kvdb:keys:{keys}:ids (see lib/keys for the layout)
-- KEYS[2]  the secret hashes, kvdb:keys:{keys}:hashes
-- KEYS[3]  the certificate identities, kvdb:keys:{keys}:identities
-- KEYS[4]  the key's record, kvdb:keys:{keys}:k:<id>
-- ARGV[1]  the key id
-- Reply    1
-- Errors   KVDB_NOT_FOUND when no such key exists (never created, or revoked)

local ids_key, hashes_key, identities_key, record_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id = ARGV[1]

local record = redis.call('HMGET', record_key, 'h', 'ph', 'ci')
if not record[1] then
  return redis.error_reply('KVDB_NOT_FOUND no key has this id')
end
for i = 1, 2 do
  if record[i] and record[i] ~= '' and redis.call('HGET', hashes_key, record[i]) == id then
    redis.call('HDEL', hashes_key, record[i])
  end
end
if record[3] and record[3] ~= '' and redis.call('HGET', identities_key, record[3]) == id then
  redis.call('HDEL', identities_key, record[3])
end
redis.call('ZREM', ids_key, id)
redis.call('DEL', record_key)
return 1
