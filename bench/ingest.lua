-- wrk script: POST /api/rollout-events with batches of 100 events, unique batch ids per run.
-- Counts acknowledged batches (200) so the runner can check every acknowledged event was stored.
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

local run = os.getenv("BENCH_RUN") or tostring(os.time())
local feature = os.getenv("BENCH_FEATURE") or "sessionPersistence.phase2.enhancedStorage"
local token = os.getenv("BENCH_TOKEN") or ""
local size = tonumber(os.getenv("BENCH_BATCH") or "100")
local counter = 0
acked = 0

request = function()
  counter = counter + 1
  local parts = {}
  for i = 1, size do
    local kind = (i % 10 == 0) and "enabled" or "success"
    parts[i] = string.format('{"featureName":"%s","customerId":"c-%d","event":"%s"}',
      feature, (counter * size + i) % 10000, kind)
  end
  local body = '{"batchId":"b-' .. run .. '-' .. id .. '-' .. counter .. '","events":[' ..
    table.concat(parts, ",") .. ']}'
  return wrk.format("POST", "/api/rollout-events",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end

response = function(status, headers, body)
  if status == 200 then
    acked = acked + 1
  end
end

done = function(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("acked")
  end
  io.write(string.format("RESULT batches=%d acked_batches=%d duration_s=%.1f events_per_s=%.0f p50_ms=%.2f p99_ms=%.2f non2xx=%d socket_errors=%d\n",
    summary.requests, total, summary.duration / 1e6, total * size / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
