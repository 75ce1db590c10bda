-- wrk script: GET /api/widget/config for 10,000 customers spread over 100 organizations.
-- Ids are varied per request so the cache sees the real key spread, not one hot key.
math.randomseed(os.time())

local customers = tonumber(os.getenv("BENCH_CUSTOMERS") or "10000")
-- the path asked for: the widget config, or the ceiling's bare route (BENCH_PATH)
local path = os.getenv("BENCH_PATH") or "/api/widget/config"

request = function()
  local c = math.random(0, customers - 1)
  return wrk.format("GET", path .. "?customerId=customer-" .. c .. "&organizationId=org-" .. (c % 100))
end

done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format(
    "RESULT requests=%d duration_s=%.1f rps=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
