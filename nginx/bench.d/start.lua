-- POST /api/reply/start: a participant of sex 1, age 25 (the seeded pack with replies).
-- wrk args: TAG (makes `no` differ between wrk runs). start stores nothing, so
-- numbers only have to avoid those that already replied (the seeds' are `seed...`).
-- The requests are built once, 4,096 participants a thread, and sent in turn: formatting
-- a request per call costs wrk (on the same 2 cores) more CPU than the static rows' fixed
-- request does, which would lower this row for the load generator's sake, not psyx's.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local participants = 4096
local requests = {}
local next_index = 0

function init(args)
   local tag = args[1] or "s"
   local headers = { ["Content-Type"] = "application/json" }
   for n = 1, participants do
      local body = string.format(
         '{"name":"홍길동","email":"bench@example.com","no":"%st%dn%d","sex":1,"age":25,"phone":"010-1234-5678"}',
         tag, tid or 0, n)
      requests[n] = wrk.format("POST", nil, headers, body)
   end
end

function request()
   next_index = next_index % participants + 1
   return requests[next_index]
end
