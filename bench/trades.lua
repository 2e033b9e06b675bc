-- wrk script for bench/trades.py: each request accepts the next seeded trade as its recipient.
-- TRADES_PLAN names a file of "<trade id>\t<recipient's access token>" lines; thread k of 2
-- takes every other line, so no trade is accepted twice.
threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  plan = {}
  local n = 0
  for line in io.lines(os.getenv("TRADES_PLAN")) do
    n = n + 1
    if n % 2 == tid - 1 then table.insert(plan, line) end
  end
  next_line = 0
end

function request()
  next_line = next_line + 1
  local id, token = plan[next_line]:match("(%d+)\t(.+)")
  local headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
  return wrk.format("POST", "/api/trades/" .. id .. "/accept", headers, '{"version":1}')
end
