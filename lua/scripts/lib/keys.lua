-- lib/keys: the layout of API keys, all under the one hash tag {keys}, so every key script
-- touches one cluster slot:
--   kvdb:keys:{keys}:ids         zset, all scores 0: every live key id, for listing
--   kvdb:keys:{keys}:hashes      hash: SHA-256 (hex) of a working secret -> key id
--   kvdb:keys:{keys}:identities  hash: certificate identity -> key id
--   kvdb:keys:{keys}:k:<id>      hash, one per key: h secret hash, ph the previous secret's
--                                hash and pe its expiry (ms) during a rotation overlap,
--                                d description, p projects (comma-separated), a '1' for all
--                                projects, r roles (comma-separated), cr created (ms),
--                                e expiry (ms, '' for never), ci certificate identity ('')

-- The fields of a key as listings show it: {id, description, projects, all_projects, roles,
-- created_ms, expire_ms, certificate_identity, previous_expire_ms}; '' for no expiry, and for
-- no previous secret still working at now.
local function key_fields(record_key, id, now)
  local f = redis.call('HMGET', record_key, 'd', 'p', 'a', 'r', 'cr', 'e', 'ci', 'pe')
  local previous = f[8]
  if not previous or previous == '' or tonumber(previous) <= now then
    previous = ''
  end
  return {id, f[1] or '', f[2] or '', f[3] or '0', f[4] or '', f[5] or '0', f[6] or '',
    f[7] or '', previous}
end

-- Whether value is a secret hash: 64 lower-case hex digits.
local function is_secret_hash(value)
  return #value == 64 and value:match('^[0-9a-f]+$') ~= nil
end

-- Whether value is a key id: 16 lower-case letters and digits.
local function is_key_id(value)
  return #value == 16 and value:match('^[a-z0-9]+$') ~= nil
end
