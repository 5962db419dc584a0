// The shipped rule templates: three-colour funnel (T1), "no reply in 3 days → supervisor steps
// in", process alerts (S3) and renewal health. Field names live here, as data, not in the engine.
#include "automation/templates.h"

namespace lf::automation {

const nlohmann::json& RuleTemplates() {
  static const nlohmann::json kTemplates = nlohmann::json::parse(R"JSON([
{"id": "three_color_funnel", "name_zh": "三色漏斗", "name_en": "Three-colour funnel",
 "description": "抖音表单 + 预约演示/报价单 → 红色并提醒主管; 官网/展会或加微信 → 黄色; 只下载白皮书 → 绿色",
 "needs_scheduler": false,
 "rules": [
  {"name": "三色漏斗 · 红", "enabled": true, "trigger": {"event": "lead.created"},
   "condition": "lead.channel == \"douyin_form\" and lead.first_touch in [\"book_demo\", \"quote_form\"]",
   "actions": [{"type": "set_color", "color": "red"},
               {"type": "alert", "kind": "hot_lead", "severity": "critical", "title": "红色高意向线索: 抖音表单预约演示, 请主管跟进", "to": "supervisor", "silent_period": "send"},
               {"type": "notify", "channel": "in_app", "to": "supervisor", "title": "红色高意向线索", "silent_period": "send"},
               {"type": "notify", "channel": "dingtalk", "to": "supervisor", "title": "红色高意向线索:{{lead.name}}", "silent_period": "send",
                "text": "### 🔴 红色高意向线索\n\n- 线索:{{lead.name}}({{lead.company}})\n- 电话:{{lead.phone}}\n- 来源渠道:{{lead.channel}} · 首触动作:{{lead.first_touch}}\n- 负责人:{{owner.name}}\n- 进线时间:{{lead.created_at}}\n\n{{recipient.name}},请在黄金 3 分钟内确认跟进。[立即查看]({{link}})"}]},
  {"name": "三色漏斗 · 黄", "enabled": true, "trigger": {"event": "lead.created"},
   "condition": "not (lead.channel == \"douyin_form\" and lead.first_touch in [\"book_demo\", \"quote_form\"]) and (lead.channel in [\"website\", \"trade_show\", \"xiaohongshu_dm\"] or lead.first_touch in [\"add_wechat\", \"book_demo\", \"quote_form\"])",
   "actions": [{"type": "set_color", "color": "yellow"}]},
  {"name": "三色漏斗 · 绿", "enabled": true, "trigger": {"event": "lead.created"},
   "condition": "lead.first_touch == \"download_whitepaper\" and lead.channel not in [\"website\", \"trade_show\", \"xiaohongshu_dm\"] and not has_tag(\"战略客户\")",
   "actions": [{"type": "set_color", "color": "green"}]}
 ]},
{"id": "no_reply_3d", "name_zh": "3 天未回复 → 主管介入", "name_en": "No reply in 3 days → supervisor steps in",
 "description": "红色线索分配 3 天内没有任何跟进记录, 提醒主管介入",
 "needs_scheduler": true,
 "rules": [
  {"name": "红色线索 3 天未跟进", "enabled": true,
   "trigger": {"after": {"event": "lead.assigned", "delay": "3d", "unless": "activities_in(3d) > 0"}},
   "condition": "lead.color == \"red\"",
   "actions": [{"type": "escalate", "title": "红色线索「{{lead.name}}」分配 3 天未跟进, 请主管介入", "due": "1d"},
               {"type": "notify", "channel": "in_app", "to": "supervisor", "title": "红色线索「{{lead.name}}」3 天未跟进"}]}
 ]},
{"id": "process_alerts", "name_zh": "过程预警", "name_en": "Process alerts (S3)",
 "description": "线索跟进间隔超过 72 小时(静默期除外); 客户跟进间隔超过 72 小时",
 "needs_scheduler": true,
 "rules": [
  {"name": "线索跟进间隔超过 72 小时", "enabled": true, "trigger": {"cron": "0 9 * * *", "entity": "leads"},
   "condition": "lead.owner_id != null and hours_since(last_activity_at()) > 72 and (lead.silent_until == null or lead.silent_until < now())",
   "actions": [{"type": "alert", "kind": "followup_gap", "severity": "warning", "title": "线索超过 72 小时未跟进", "to": "supervisor"}]},
  {"name": "客户跟进间隔超过 72 小时", "enabled": true, "trigger": {"cron": "0 9 * * *", "entity": "customers"},
   "condition": "hours_since(last_activity_at()) > 72",
   "actions": [{"type": "alert", "kind": "followup_gap", "severity": "warning", "title": "客户超过 72 小时未跟进", "to": "supervisor"}]}
 ]},
{"id": "renewal_health", "name_zh": "续约健康预警", "name_en": "Renewal health alert",
 "description": "合同 60 天内到期且超过 30 天未登录产品",
 "needs_scheduler": true,
 "rules": [
  {"name": "续约风险: 合同将到期且长期未登录", "enabled": true, "trigger": {"cron": "0 9 * * 1", "entity": "customers"},
   "condition": "days_until(customer.contract_end_date) <= 60 and days_since(customer.last_login_at) > 30",
   "actions": [{"type": "alert", "kind": "renewal_risk", "severity": "critical", "title": "续约风险: 合同 60 天内到期且 30 天未登录", "to": "supervisor"}]}
 ]}
])JSON");
  return kTemplates;
}

}  // namespace lf::automation
