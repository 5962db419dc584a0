-- wrk script: a filtered list page of 50 leads (channel + color filter, newest first), Bearer auth.
local token = os.getenv("LF_TOKEN")
local channels = {"douyin_form", "xiaohongshu_dm", "baidu_ads", "website", "trade_show", "zhihu", "wechat"}
local colors = {"red", "yellow", "green"}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/v1/leads?limit=50&sort=-created_at&channel=" .. channels[n % 7 + 1] ..
    "&color=" .. colors[n % 3 + 1], {["Authorization"] = "Bearer " .. token})
end
