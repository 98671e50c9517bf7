-- keys/lookup: the working key a secret's hash, or one of a certificate's identities, stands
-- for. A previous secret past its overlap is forgotten on the way, so it never works again.
--
-- At most 32 identities per call, so the work stays bounded whatever a certificate carries.
--
-- KEYS[1]  the secret hashes, kvdb:keys:{keys}:hashes (see lib/keys for the layout)
-- KEYS[2]  the certificate identities, kvdb:keys:{keys}:identities
-- KEYS[3]  the prefix of the key records, kvdb:keys:{keys}:k:
-- ARGV[1]  'secret' or 'identity'
-- ARGV[2..] the secret's SHA-256 (hex), or the identities in order of preference
-- Reply    {id, all_projects, projects, roles, remaining_ms} of the first that stands for a
--          working key, remaining_ms how long it works on (the key's expiry or the previous
--          secret's overlap end, -1 for no end, so a cache never keeps it longer); {} for none
--          (unknown, revoked, expired, or a previous secret past its overlap)
-- Errors   KVDB_INTERNAL when there are more than 32 identities, or the kind is unknown (the
--          gateway never sends either)
-- @include lib/now

local hashes_key, identities_key, record_prefix = KEYS[1], KEYS[2], KEYS[3]
local kind = ARGV[1]
if #ARGV > 33 then
  return redis.error_reply('KVDB_INTERNAL at most 32 identities per lookup')
end
local index
if kind == 'secret' then
  index = hashes_key
elseif kind == 'identity' then
  index = identities_key
else
  return redis.error_reply('KVDB_INTERNAL the kind must be secret or identity')
end

local now = now_ms()
for i = 2, #ARGV do
  local candidate = ARGV[i]
  local id = redis.call('HGET', index, candidate)
  if id then
    local record_key = record_prefix .. id
    local f = redis.call('HMGET', record_key, 'h', 'ph', 'pe', 'e', 'a', 'p', 'r')
    local works, ends = f[1] ~= false, nil
    if not works then
      redis.call('HDEL', index, candidate)
    end
    if works and kind == 'secret' and f[1] ~= candidate then
      -- Not the current secret, so the previous one: working until its overlap ends.
      works = f[2] == candidate and tonumber(f[3]) > now
      ends = works and tonumber(f[3]) or nil
      if not works and f[2] == candidate then
        redis.call('HDEL', record_key, 'ph', 'pe')
      end
      if not works then
        redis.call('HDEL', index, candidate)
      end
    end
    local expire = tonumber(f[4])
    if works and expire and expire <= now then
      works = false
    end
    if works then
      if expire and (not ends or expire < ends) then
        ends = expire
      end
      return {id, f[5], f[6], f[7], ends and ends - now or -1}
    end
  end
end
return {}
