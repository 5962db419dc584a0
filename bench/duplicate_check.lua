-- wrk script: the duplicate check (查重) for random phones among the 1,000,000 generated leads.
local token = os.getenv("LF_TOKEN")
math.randomseed(os.time())
request = function()
  return wrk.format("GET", string.format("/api/v1/duplicates/check?phone=%%2B86139%08d", math.random(1, 1000000)),
    {["Authorization"] = "Bearer " .. token})
end
