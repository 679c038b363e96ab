-- POST /api/reply/start: a participant of sex 1, age 25 (the seeded pack with replies).
-- wrk args: TAG (makes `no` differ between wrk runs). start stores nothing, so
-- numbers only have to avoid those that already replied (the seeds' are `seed...`).
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local counter = 0
local tag = "s"

function init(args)
   tag = args[1] or tag
end

local headers = { ["Content-Type"] = "application/json" }

function request()
   counter = counter + 1
   local body = string.format(
      '{"name":"홍길동","email":"bench@example.com","no":"%st%dn%d","sex":1,"age":25,"phone":"010-1234-5678"}',
      tag, tid or 0, counter)
   return wrk.format("POST", nil, headers, body)
end
