-- lib/metadata: a queue's metadata lives in the queue hash as fields "m:<key>" whose values are
-- msgpack-encoded. These helpers read it as flat {key, value, ...} lists and measure its size
-- (key bytes plus encoded value bytes), the quantity the 64 KiB limit applies to.
local METADATA_PREFIX = 'm:'

local function metadata_of(queue_key)
  local fields = redis.call('HGETALL', queue_key)
  local pairs_out, sizes = {}, {}
  for i = 1, #fields, 2 do
    local field = fields[i]
    if string.sub(field, 1, 2) == METADATA_PREFIX then
      local key = string.sub(field, 3)
      pairs_out[#pairs_out + 1] = key
      pairs_out[#pairs_out + 1] = fields[i + 1]
      sizes[key] = #key + #fields[i + 1]
    end
  end
  return pairs_out, sizes
end

-- Appends a flat list to a reply without unpack(), whose stack limit a large map would exceed.
local function append_all(reply, flat)
  for i = 1, #flat do
    reply[#reply + 1] = flat[i]
  end
  return reply
end

local function write_metadata(queue_key, argv, first)
  for i = first, #argv, 2 do
    redis.call('HSET', queue_key, METADATA_PREFIX .. argv[i], argv[i + 1])
  end
end
