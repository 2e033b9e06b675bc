-- wrk script for bench/webhook.py: distinct message_created updates (/help) from 2,000 users.
local threads = {}
local secret = os.getenv("WEBHOOK_SECRET")

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  headers = {["Content-Type"] = "application/json", ["X-Max-Bot-Api-Secret"] = secret}
end

function request()
  counter = counter + 1
  local user = 500000 + (counter * 7 + tid) % 2000
  local now = math.floor(os.time() * 1000)
  local body = string.format(
    '{"update_type":"message_created","timestamp":%d,"user_locale":"en","message":'
    .. '{"sender":{"user_id":%d,"first_name":"Load","is_bot":false},'
    .. '"recipient":{"chat_id":%d,"chat_type":"dialog","user_id":1},"timestamp":%d,'
    .. '"body":{"mid":"mid.bench%d_%d_%d","seq":%d,"text":"/help"}}}',
    now, user, 9000000 + user, now, tid, counter, math.random(1, 1000000000), counter)
  return wrk.format("POST", nil, headers, body)
end
