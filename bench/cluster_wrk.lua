-- `make bench-cluster`: logged-in learners reading pages. Arguments: a file of Cookie headers (one learner a
-- line) and a file of paths; request n takes the next learner, and a new page once every learner had one.
-- Prints "not-200: N", the responses that were not a page (a redirect to the login page means a lost session).
local cookies, paths, threads = {}, {}, {}
local count = 0
not_ok = 0  -- a global: done() reads each thread's own with thread:get

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do table.insert(cookies, line) end
  for line in io.lines(args[2]) do table.insert(paths, line) end
  count = math.random(#cookies * #paths)
end

function request()
  count = count + 1
  local cookie = cookies[count % #cookies + 1]
  local path = paths[math.floor(count / #cookies) % #paths + 1]
  return wrk.format("GET", path, { ["Cookie"] = cookie })
end

function response(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("not_ok") end
  io.write(string.format("not-200: %d\n", total))
end
