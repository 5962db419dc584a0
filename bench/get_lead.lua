-- wrk script: GET random leads by id from $LF_IDS (a file with one id per line), Bearer auth.
local token = os.getenv("LF_TOKEN")
local ids = {}
for line in io.lines(os.getenv("LF_IDS")) do ids[#ids + 1] = line end
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/v1/leads/" .. ids[math.random(#ids)], {["Authorization"] = "Bearer " .. token})
end
