-- POST /api/v1/registrations with a new household each time, for wrk:
--   wrk -t1 -c8 -d10s -s bench/wrk_register.lua http://127.0.0.1:8766
-- Each thread numbers its own documents; set RUNTAG to a new letter per run
-- against the same database, or the documents are already registered (409).
-- At the end it prints how many answers had each status.
local counter = 0
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  prefix = string.format("W%s%d", os.getenv("RUNTAG") or "X", tid)
  statuses = {}
end

local function member(given, born, sex, number)
  return '{"given_name":"' .. given .. '","family_name":"Yilmaz' .. counter ..
    '","date_of_birth":"' .. born .. '","sex":"' .. sex .. '","nationality":"TR",' ..
    '"document":{"type":"P","number":"' .. number .. '","country":"TR","expiry":"2031-01-31"}}'
end

request = function()
  counter = counter + 1
  local document = string.format("%s%07d", prefix, counter)
  local body = '{"contact":{"phone":"+49 30 1234567","email":"a@example.com","language":"tr"},' ..
    '"location":{"country":"DE","city":"Köln","latitude":50.94,"longitude":6.96},' ..
    '"members":[' .. member("Ayse", "1984-05-12", "F", document .. "A") .. ',' ..
    member("Can", "2016-09-03", "M", document .. "B") .. '],"consent":true}'
  local headers = {["Content-Type"] = "application/json", ["Idempotency-Key"] = document}
  return wrk.format("POST", "/api/v1/registrations", headers, body)
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      io.write(string.format("status %s: %d\n", status, count))
    end
  end
end
