-- POST /api/reply/start with a hold (issue 21): every request a fresh participant number and a
-- fresh token, so every start claims a new hold (a write to holds.sqlite, or to PostgreSQL's
-- table). wrk args: TAG (makes numbers and tokens differ between wrk runs).
-- Age 35: the seeded pack bench_m30, so the holds land on another pack than the `psyx start`
-- row's (whose starts, without a token, then still find no live hold on their pack).
-- Bodies are formatted per request (they cannot repeat), which costs wrk some CPU that the
-- `psyx start` row's prebuilt requests do not.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local tag = "h"
local counter = 0
local headers = { ["Content-Type"] = "application/json" }

function init(args)
   tag = args[1] or "h"
end

function request()
   counter = counter + 1
   local body = string.format(
      '{"name":"홍길동","email":"bench@example.com","no":"%st%dh%d","sex":1,"age":35,"phone":"010-1234-5678",'
         .. '"hold":"bench-hold-%s-t%d-%d"}',
      tag, tid or 0, counter, tag, tid or 0, counter)
   return wrk.format("POST", nil, headers, body)
end
