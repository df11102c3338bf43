-- One buyer per wrk thread and one connection per thread: add to cart, check out,
-- pay, repeat. Orders per second = completed payments / duration.
local tokens, emails = {}, {}
for t in string.gmatch(os.getenv("BENCH_TOKENS") or "", "[^,]+") do tokens[#tokens + 1] = t end
-- Each buyer's own address (same order as the tokens): the order-confirmed email goes there.
for e in string.gmatch(os.getenv("BENCH_EMAILS") or "", "[^,]+") do emails[#emails + 1] = e end
local product = os.getenv("BENCH_PRODUCT") or "P001"
local prefix = os.getenv("BENCH_PREFIX") or ""
local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  token = tokens[((id - 1) % #tokens) + 1]
  checkout_body = '{}'
  if #emails > 0 then checkout_body = '{"email":"' .. emails[((id - 1) % #emails) + 1] .. '"}' end
  step = 0
  order_id = nil
  paid = 0
  failures = 0
end

function request()
  local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  if step == 0 then
    return wrk.format("POST", prefix .. "/cart/items", headers, '{"productId":"' .. product .. '","qty":1}')
  elseif step == 1 then
    return wrk.format("POST", prefix .. "/orders/checkout", headers, checkout_body)
  else
    return wrk.format("POST", prefix .. "/payments", headers,
      '{"orderId":"' .. (order_id or "none") .. '","status":"SUCCESS"}')
  end
end

function response(status, headers, body)
  if step == 0 then
    if status == 200 or status == 201 then step = 1 else failures = failures + 1 end
  elseif step == 1 then
    order_id = string.match(body, '"orderId":"(O%-[%x%-]+)"')
    if status == 201 and order_id then step = 2 else failures = failures + 1; step = 0 end
  else
    if status == 201 then paid = paid + 1 else failures = failures + 1 end
    step = 0
  end
end

function done(summary, latency, requests)
  local total, bad = 0, 0
  for _, t in ipairs(threads) do
    total = total + t:get("paid")
    bad = bad + t:get("failures")
  end
  io.write(string.format("ORDERS_PAID %d\nFLOW_FAILURES %d\n", total, bad))
end
