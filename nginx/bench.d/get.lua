-- GET of the URL as given; BENCH_AUTH (if set) is sent as the Authorization header.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local auth = os.getenv("BENCH_AUTH")
if auth and auth ~= "" then
   wrk.headers["Authorization"] = auth
end
