-- keys/create: stores a new API key: its record, its secret's hash and, when it has one, its
-- certificate identity. Never the secret itself.
--
-- Every argument is checked against a fixed length, so a hostile caller cannot make one key
-- large; the gateway validates the same fields with finer rules first.
--
-- KEYS[1]  the key ids, kvdb:keys:{keys}:ids (see lib/keys for the layout)
-- KEYS[2]  the secret hashes, kvdb:keys:{keys}:hashes
-- KEYS[3]  the certificate identities, kvdb:keys:{keys}:identities
-- KEYS[4]  the key's record, kvdb:keys:{keys}:k:<id>
-- ARGV[1]  the key id; ARGV[2] the secret's SHA-256 (hex); ARGV[3] the description
-- ARGV[4]  '1' for all projects, '0' otherwise; ARGV[5] the projects, comma-separated
-- ARGV[6]  the roles, comma-separated; ARGV[7] the expiry in ms, '' for never
-- ARGV[8]  the certificate identity, '' for none
-- Reply    the key's fields (lib/keys key_fields)
-- Errors   KVDB_INVALID naming id, description, all_projects, projects, roles, expire_time or
--          certificate_identity; KVDB_INTERNAL for a secret hash that is not 64 hex digits; KVDB_EXISTS when the id or secret is taken, or another key
--          has the certificate identity
-- @include lib/now
-- @include lib/keys

local ids_key, hashes_key, identities_key, record_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id, hash, description, all, projects, roles, expire, identity =
  ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]

if not is_key_id(id) then
  return redis.error_reply('KVDB_INVALID id must be 16 lower-case letters and digits')
end
if not is_secret_hash(hash) then
  return redis.error_reply('KVDB_INTERNAL the secret must be hashed as 64 hex digits')
end
if #description > 1024 then
  return redis.error_reply('KVDB_INVALID description must be at most 1024 bytes')
end
if #projects > 100 * 257 then
  return redis.error_reply('KVDB_INVALID projects must be at most 100 names of 256 bytes')
end
if #roles > 64 then
  return redis.error_reply('KVDB_INVALID roles must be at most 64 bytes')
end
if #identity > 1024 then
  return redis.error_reply('KVDB_INVALID certificate_identity must be at most 1024 bytes')
end
if all ~= '0' and all ~= '1' then
  return redis.error_reply('KVDB_INVALID all_projects must be 0 or 1')
end
if roles == '' then
  return redis.error_reply('KVDB_INVALID roles must name at least one role')
end
local now = now_ms()
if expire ~= '' and not (tonumber(expire) and tonumber(expire) > now) then
  return redis.error_reply('KVDB_INVALID expire_time must be in the future')
end
if redis.call('EXISTS', record_key) == 1 or redis.call('HEXISTS', hashes_key, hash) == 1 then
  return redis.error_reply('KVDB_EXISTS id the key id or secret is taken; try again')
end
if identity ~= '' and redis.call('HEXISTS', identities_key, identity) == 1 then
  return redis.error_reply(
    'KVDB_EXISTS certificate_identity is already bound to another key')
end

redis.call('HSET', record_key, 'h', hash, 'd', description, 'p', projects, 'a', all,
  'r', roles, 'cr', now, 'e', expire, 'ci', identity)
redis.call('HSET', hashes_key, hash, id)
if identity ~= '' then
  redis.call('HSET', identities_key, identity, id)
end
redis.call('ZADD', ids_key, 0, id)
return key_fields(record_key, id, now)
