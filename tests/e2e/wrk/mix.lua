-- wrk script of scripts/bench-http.sh and scripts/load-test.sh.
-- Usage: wrk -t T -c C … -s tests/e2e/wrk/mix.lua http://127.0.0.1:PORT -- SPEC_FILE
-- SPEC_FILE lines (written by tests/e2e/seed.php): kind <TAB> method <TAB> path <TAB> expected status <TAB> body file|-
-- Each thread sends the requests round-robin (starting at its own offset) and counts statuses per kind in its
-- response() callback. The kind of a response is exact when every thread has one connection (-t equal to -c); with
-- one kind in the spec it is exact anyway. done() prints one "KCO_RESULT …" line and one "KCO_COUNT kind status n"
-- line per pair, for the shell to parse.

local threads = {}
local thread_no = 0

function setup(thread)
   thread_no = thread_no + 1
   thread:set("thread_no", thread_no)
   table.insert(threads, thread)
end

local reqs = {}
local i = 0
local current = nil
counts = {}
unexpected = 0

function init(args)
   local spec = args[1]
   for line in io.lines(spec) do
      local kind, method, path, expected, file = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)\t(%d+)\t([^\t]+)$")
      if kind then
         local body = nil
         local headers = {}
         if file ~= "-" then
            local f = assert(io.open(file, "rb"))
            body = f:read("*a")
            f:close()
            headers["Content-Type"] = "application/json"
         end
         table.insert(reqs, { kind = kind, expected = tonumber(expected), req = wrk.format(method, path, headers, body) })
      end
   end
   assert(#reqs > 0, "no requests in " .. tostring(spec))
   i = (thread_no or 0) % #reqs
end

function request()
   i = i + 1
   if i > #reqs then i = 1 end
   current = reqs[i]
   return current.req
end

function response(status, headers, body)
   local key = current.kind .. " " .. status
   counts[key] = (counts[key] or 0) + 1
   if status ~= current.expected then
      unexpected = unexpected + 1
   end
end

function done(summary, latency, requests)
   local total = {}
   local bad = 0
   for _, thread in ipairs(threads) do
      local c = thread:get("counts")
      for k, n in pairs(c) do total[k] = (total[k] or 0) + n end
      bad = bad + thread:get("unexpected")
   end
   local e = summary.errors
   io.write(string.format(
      "KCO_RESULT requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f unexpected=%d connect=%d read=%d write=%d timeout=%d status_errors=%d\n",
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
      bad, e.connect, e.read, e.write, e.timeout, e.status))
   for k, n in pairs(total) do
      io.write(string.format("KCO_COUNT %s %d\n", k, n))
   end
end
