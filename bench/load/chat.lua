-- wrk script: POST a chat completion through an experiment, a different user per request (per thread).
-- RAMPART_KEY: a key with the ingest scope; MODEL (default experiment:bench); PORTKEY_CONFIG, when set, is sent as
-- Portkey's x-portkey-config header (bench/peers/run.sh), so every gateway gets the same body.
local key = os.getenv("RAMPART_KEY") or ""
local model = os.getenv("MODEL") or "experiment:bench"
local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }
if os.getenv("PORTKEY_CONFIG") then headers["x-portkey-config"] = os.getenv("PORTKEY_CONFIG") end
local n = 0
request = function()
  n = n + 1
  local body = '{"model":"' .. model .. '","user":"user-' .. (n % 10000) ..
    '","messages":[{"role":"user","content":"Where is my order?"}]}'
  return wrk.format("POST", nil, headers, body)
end
