-- GET /products?limit=50 from a random cursor among the bench products B000000..,
-- so most pages are not in the server's read cache and come from the database.
local catalog = tonumber(os.getenv("BENCH_CATALOG") or "100000")
local prefix = os.getenv("BENCH_PREFIX") or ""
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

local function base64url(s)
  local out, bits, nbits = {}, 0, 0
  for i = 1, #s do
    bits = bits * 256 + s:byte(i)
    nbits = nbits + 8
    while nbits >= 6 do
      nbits = nbits - 6
      local v = math.floor(bits / 2 ^ nbits) % 64
      out[#out + 1] = alphabet:sub(v + 1, v + 1)
    end
    bits = bits % (2 ^ nbits)
  end
  if nbits > 0 then
    local v = (bits * 2 ^ (6 - nbits)) % 64
    out[#out + 1] = alphabet:sub(v + 1, v + 1)
  end
  return table.concat(out)
end

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

function request()
  local cursor = base64url(string.format("B%06d", math.random(0, catalog - 1)))
  return wrk.format("GET", prefix .. "/products?limit=50&nextToken=" .. cursor)
end
