-- wrk script for bench/tokend: every request asks for a 100ms token with a valid user JWT.
local jwt = os.getenv("TOKEND_BENCH_JWT")
if jwt == nil or jwt == "" then
  error("TOKEND_BENCH_JWT is not set")
end
wrk.method = "POST"
wrk.body = '{"role":"guest"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. jwt
