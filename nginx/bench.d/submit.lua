-- POST /api/reply/submit: 300 answers in the pack's own pair order (submit does not
-- need start's order), a fresh participant each time.
-- wrk args: TAG P_ID SEX AGE; BENCH_ANSWERS names the file holding the answers array.
-- `no` (TAG, thread, counter) and submission_id are unique within the whole bench run
-- as long as TAG differs between wrk runs.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local file = assert(io.open(os.getenv("BENCH_ANSWERS"), "r"))
local answers = file:read("*a")
file:close()

local counter = 0
local tag, p_id, sex, age = "u", "1", "1", "25"

function init(args)
   tag = args[1] or tag
   p_id = args[2] or p_id
   sex = args[3] or sex
   age = args[4] or age
end

local headers = { ["Content-Type"] = "application/json" }

function request()
   counter = counter + 1
   local no = string.format("%st%dn%d", tag, tid or 0, counter)
   local body = '{"p_id":' .. p_id .. ',"name":"홍길동","email":"bench@example.com","no":"' .. no ..
      '","sex":' .. sex .. ',"age":' .. age .. ',"phone":"010-1234-5678","submission_id":"bench-' .. no ..
      '","layout":"key,rt,left,right","answers":' .. answers .. '}'
   return wrk.format("POST", nil, headers, body)
end
