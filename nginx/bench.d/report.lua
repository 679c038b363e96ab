-- Shared by every wrk script of nginx/bench: one machine-readable line at the end.
-- errors: wrk counts answers with a status over 399 (status) and socket errors apart.
function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format("BENCH requests=%d duration_us=%d bytes=%d p50_us=%d p99_us=%d status_errors=%d socket_errors=%d\n",
      summary.requests, summary.duration, summary.bytes,
      latency:percentile(50), latency:percentile(99),
      e.status, e.connect + e.read + e.write + e.timeout))
end

-- Each thread gets a number (a global `tid` in its own Lua state), so bodies built
-- from it and a counter are unique across the threads of one wrk run.
local threads = 0
function setup(thread)
   threads = threads + 1
   thread:set("tid", threads)
end
