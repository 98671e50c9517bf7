-- broker/read: broadcast messages of several channels after the given ids, and whether a
-- subscriber missed messages that retention trimmed away before it read them.
--
-- The reply holds at most ARGV[2] payload bytes past its first message, so that one read of
-- 100 channels never pulls 100 x 100 large messages into the gateway at once.
--
-- KEYS[1]  the project's broker prefix, kvdb:br:{project}
-- ARGV[1]  the most messages per channel; ARGV[2] the most payload bytes in all (0: no
--          budget); ARGV[3..] pairs: channel, id to read after ('$': after the newest message,
--          i.e. only what comes next)
-- Reply    {1 when the byte budget cut the read short, else 0; then per channel, in order: the
--          last id trimmed away that the reader never got, or ''; the id read after; n; id,
--          payload, attributes; ...}
local prefix, count, budget = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])
local reply, bytes, cut = {0}, 0, false
for i = 3, #ARGV, 2 do
  local stream = prefix .. ':all:' .. ARGV[i]
  local after = ARGV[i + 1]
  if after == '$' then
    local newest = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', 1)[1]
    after = newest and newest[1] or '0-0'
  end
  local trimmed = redis.call('HGET', prefix .. ':trimmed', stream)
  local missed = ''
  if trimmed then
    local t_ms, t_seq = string.match(trimmed, '^(%d+)-(%d+)$')
    local a_ms, a_seq = string.match(after, '^(%d+)-(%d+)$')
    if not a_ms then
      a_ms, a_seq = after, 0
    end
    if tonumber(t_ms) > tonumber(a_ms) or (tonumber(t_ms) == tonumber(a_ms) and tonumber(t_seq) > tonumber(a_seq)) then
      missed = trimmed
    end
  end
  local entries = cut and {} or redis.call('XRANGE', stream, '(' .. after, '+', 'COUNT', count)
  reply[#reply + 1] = missed
  reply[#reply + 1] = after
  local n_at = #reply + 1
  reply[n_at] = 0
  for _, entry in ipairs(entries) do
    if budget > 0 and bytes >= budget then
      cut = true
      break
    end
    local fields = {}
    for f = 1, #entry[2], 2 do
      fields[entry[2][f]] = entry[2][f + 1]
    end
    reply[#reply + 1] = entry[1]
    reply[#reply + 1] = fields.p or ''
    reply[#reply + 1] = fields.a or ''
    reply[n_at] = reply[n_at] + 1
    bytes = bytes + #(fields.p or '')
  end
end
reply[1] = cut and 1 or 0
return reply
