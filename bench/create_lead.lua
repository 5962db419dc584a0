-- wrk script: POST a lead with 12 fields (JSON), Bearer auth. The token comes from $LF_TOKEN.
local token = os.getenv("LF_TOKEN")
-- Phones are unique across wrk threads (thread t uses its own range), so every request creates a
-- lead; bench/intake.sh measures duplicates separately.
local counter = 0
local threads = 0
function setup(thread)
  thread:set("base", threads * 10000000)
  threads = threads + 1
end
function init(args)
  counter = base or 0
end
local channels = {"douyin_form", "xiaohongshu_dm", "baidu_ads", "website", "trade_show", "zhihu", "wechat"}
local touches = {"download_whitepaper", "book_demo", "quote_form", "add_wechat"}
local colors = {"red", "yellow", "green"}
request = function()
  counter = counter + 1
  local body = string.format(
    '{"name":"压测线索%d","phone":"+86138%08d","wechat":"wx_%d","company":"杭州云帆科技有限公司",' ..
    '"title":"采购经理","channel":"%s","first_touch":"%s","color":"%s","stage":"lead",' ..
    '"region":"华东","product":"CRM专业版","tags":["压测"]}',
    counter, counter % 100000000, counter, channels[counter % 7 + 1], touches[counter % 4 + 1],
    colors[counter % 5 % 3 + 1])
  return wrk.format("POST", "/api/v1/leads",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
