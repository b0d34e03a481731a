-- wrk script: POST /api/chat as many distinct users (so each turn reads and writes its own conversation).
-- Usage: KEY=... wrk -s bench/chat.lua http://127.0.0.1:3000/api/chat
local counter = 0
local key = os.getenv("KEY") or ""
local users = tonumber(os.getenv("USERS") or "10000")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. key

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

request = function()
  counter = counter + 1
  local user = math.random(1, users)
  local body = string.format('{"message":"Hello number %d, how are you?","userId":"user-%d","groupId":"bench"}', counter, user)
  return wrk.format(nil, nil, nil, body)
end
