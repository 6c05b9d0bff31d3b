-- wrk script: POST a chat completion through an experiment, a different user per request (per thread).
-- RAMPART_KEY: a key with the ingest scope; MODEL (default experiment:bench).
local key = os.getenv("RAMPART_KEY") or ""
local model = os.getenv("MODEL") or "experiment:bench"
local n = 0
request = function()
  n = n + 1
  local body = '{"model":"' .. model .. '","user":"user-' .. (n % 10000) ..
    '","messages":[{"role":"user","content":"Where is my order?"}]}'
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }, body)
end
