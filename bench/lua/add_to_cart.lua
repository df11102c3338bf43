-- POST /cart/items for one user per wrk thread, cycling over products so the
-- cart stays under its limits: add 1, then remove it again, alternately.
local tokens = {}
for t in string.gmatch(os.getenv("BENCH_TOKENS") or "", "[^,]+") do tokens[#tokens + 1] = t end
local products = {}
for p in string.gmatch(os.getenv("BENCH_PRODUCTS") or "P001", "[^,]+") do products[#products + 1] = p end
local prefix = os.getenv("BENCH_PREFIX") or ""
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  token = tokens[((id - 1) % #tokens) + 1]
  n = 0
end

function request()
  n = n + 1
  local product = products[(math.floor((n - 1) / 2) % #products) + 1]
  local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  if n % 2 == 1 then
    return wrk.format("POST", prefix .. "/cart/items", headers, '{"productId":"' .. product .. '","qty":1}')
  end
  return wrk.format("DELETE", prefix .. "/cart/items/" .. product, headers, nil)
end
