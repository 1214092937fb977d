/**
 * Applies one batch's ops and moves the partition's stored next offset, atomically, but only
 * if the stored offset is still the one the batch was planned against (compare-and-set): a
 * batch applied meanwhile by another member (a rebalance) or before a crash is never added
 * twice. Returns 1 when applied, 0 when the offset had moved (re-read and re-plan), 2 when a
 * rebuild holds the lock and the caller is not it (ADR 0022: the live service waits, the
 * rebuild recounts).
 *
 * ARGV: offsets hash, field `{topic}/{partition}`, expected next offset ('' = none stored),
 * new next offset, ops as JSON (only the commands below; all arguments strings), the rebuild
 * lock key, the caller's rebuild token ('' = the live service). The ops are
 * checked before any runs, so a bad plan writes nothing. PEXPIREAT comes after the writes of
 * its key (it does nothing to a key that does not exist yet).
 */
export const APPLY_SCRIPT = `
local lock = redis.call('GET', ARGV[6])
if lock and lock ~= ARGV[7] then return 2 end
local stored = redis.call('HGET', ARGV[1], ARGV[2])
if (stored or '') ~= ARGV[3] then return 0 end
local ops = cjson.decode(ARGV[5])
local known = { HINCRBY = true, PFADD = true, ZINCRBY = true, SADD = true, SREM = true, HSETCARD = true, PEXPIREAT = true }
for _, op in ipairs(ops) do
  if not known[op[1]] then return redis.error_reply('analytics apply: unknown op ' .. tostring(op[1])) end
end
for _, op in ipairs(ops) do
  local name = op[1]
  if name == 'HINCRBY' then
    redis.call('HINCRBY', op[2], op[3], op[4])
  elseif name == 'PFADD' then
    redis.call('PFADD', unpack(op, 2))
  elseif name == 'ZINCRBY' then
    redis.call('ZINCRBY', op[2], op[3], op[4])
  elseif name == 'SADD' or name == 'SREM' then
    redis.call(name, op[2], op[3])
  elseif name == 'HSETCARD' then
    redis.call('HSET', op[2], op[3], redis.call('SCARD', op[4]))
  elseif name == 'PEXPIREAT' then
    redis.call('PEXPIREAT', op[2], op[3])
  end
end
redis.call('HSET', ARGV[1], ARGV[2], ARGV[4])
return 1
`;
