-- wrk script: POST /api/events with a valid CXone event and a unique id per request.
--   wrk -t4 -c64 -d60s --latency -s src/bench/wrk/post-events.lua http://127.0.0.1:8080/api/events
-- Each wrk thread numbers its own requests; the run id keeps two runs from colliding on event ids.
local threads = {}
local run = tostring(os.time())

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  n = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-API-Key"] = os.getenv("SWITCHBOARD_KEY") or "sandbox-key"
end

function request()
  n = n + 1
  local id = string.format("wrk-%s-%d-%d", run, tid, n)
  local body = string.format('{"version":"0","id":"%s","detail-type":"Interaction.Lifecycle.StageChanged",'
    .. '"source":"com.nice.cxone.interactions","account":"123456789012","time":"2025-01-01T00:00:00Z",'
    .. '"region":"us-east-1","resources":[],"detail":{"interaction.id":"%s","stage":"Queued","sequence":1}}',
    id, "int-" .. id)
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("requests: %d, non-2xx/3xx: %d, socket errors: connect %d read %d write %d timeout %d\n",
    summary.requests, non2xx, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
