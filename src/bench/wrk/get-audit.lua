-- wrk script: GET /api/audit (the newest page of the audit trail).
--   wrk -t4 -c64 -d60s --latency -s src/bench/wrk/get-audit.lua http://127.0.0.1:8080/api/audit
function init(args)
  wrk.headers["X-API-Key"] = os.getenv("SWITCHBOARD_KEY") or "sandbox-key"
end

function done(summary, latency, requests)
  io.write(string.format("requests: %d, non-2xx/3xx: %d, socket errors: connect %d read %d write %d timeout %d\n",
    summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout))
  io.write(string.format("p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
