-- wrk script: lead intake through an intake source ($LF_SOURCE, key $LF_KEY), unique phones, the
-- payload shape an ad platform sends.
local source, key = os.getenv("LF_SOURCE"), os.getenv("LF_KEY")
local counter = 0
local regions = {"华东", "华南", "华北"}
request = function()
  counter = counter + 1
  local body = string.format(
    '{"name":"进线%d","mobile":"+86139%08d","keyword":"CRM系统","bd_vid":"bd%d","campaign":"春季",' ..
    '"unit":"A组","region":"%s","company":"杭州云帆科技有限公司","utm_source":"baidu"}',
    counter, (counter * 7919) % 100000000, counter, regions[counter % 3 + 1])
  return wrk.format("POST", "/api/v1/intake/" .. source,
    {["Content-Type"] = "application/json", ["X-Intake-Key"] = key}, body)
end
