// Implements demo/demo_data.h through the same services the API uses, so demo data obeys every
// validation rule and leaves a complete audit trail.
#include "demo/demo_data.h"

#include <random>

#include "base/clock.h"
#include "events/event_log.h"
#include "identity/identity.h"
#include "leads/lead_service.h"
#include "leads/pools.h"
#include "records/record_service.h"

namespace lf {
namespace {

using json = nlohmann::json;

const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高", "罗"};
const char* kGiven[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "华", "慧", "建国"};
const char* kCities[] = {"杭州", "上海", "深圳", "苏州", "南京", "广州", "宁波", "成都", "武汉", "北京"};
const char* kWords[] = {"云帆", "创新", "智联", "华信", "远景", "星辰", "蓝海", "恒泰", "博锐", "新锐", "鼎盛", "瑞达"};
const char* kSuffix[] = {"科技有限公司", "贸易有限公司", "电子商务有限公司", "工业设备有限公司", "医疗器械有限公司", "服饰有限公司"};
const char* kTitles[] = {"总经理", "采购经理", "运营总监", "CTO", "市场经理", "财务总监"};
const char* kRegions[] = {"华东", "华南", "华北", "西南", "华中"};
const char* kProducts[] = {"CRM标准版", "CRM专业版", "营销自动化", "客服工单"};
const char* kNotes[] = {"电话沟通,客户对自动分配线索很感兴趣,约下周演示", "微信发送产品白皮书,客户已读",
                        "上门拜访,见到采购经理,确认Q3有预算", "客户反馈价格偏高,需要提供竞品对比表",
                        "邮件发送报价单", "客户确认Q3招标,预算200万,需提供等保三级证明", "客户暂无需求,三个月后回访"};

template <size_t N>
const char* Pick(std::mt19937& rng, const char* (&arr)[N]) {
  return arr[std::uniform_int_distribution<size_t>(0, N - 1)(rng)];
}

std::string Phone(std::mt19937& rng) {
  static const char* kPrefixes[] = {"138", "139", "136", "137", "150", "151", "186", "187", "188", "135"};
  std::string p = std::string("+86") + Pick(rng, kPrefixes);
  for (int i = 0; i < 8; ++i) p += char('0' + rng() % 10);
  return p;
}

}  // namespace

Result<DemoSummary> CreateDemo(Database& db, const DemoOptions& opts) {
  int64_t now = opts.now_ms ? opts.now_ms : SystemClock().NowMs();
  const int64_t kDay = 24LL * 3600 * 1000;
  ManualClock clock(now - 91 * kDay);
  EventLog events(clock, nullptr);
  SchemaRegistry schemas(db);
  IdentityService identity(db, events, clock);
  AccessService access(db, events, schemas, identity, clock);
  RecordService records(db, events, schemas, access, clock);
  LeadService leads(db, events, records, clock);  // registers the follow-up hook (响应时效)
  LeadPools pools(db, events, records, leads.assignment(), clock);
  std::mt19937 rng(20260224);
  DemoSummary sum;

  LF_ASSIGN(auto ids, identity.CreateTenant({"杭州云帆科技有限公司(演示)", "Asia/Shanghai", opts.admin_email,
                                             "王管理", opts.password}));
  sum.tenant_id = ids.tenant_id;
  Principal admin;
  {
    LF_ASSIGN(auto s, identity.Login(opts.admin_email, opts.password, "demo"));
    admin = s.principal;
  }
  auto dept = [&](const std::string& name, const std::string& parent) -> Result<std::string> {
    LF_ASSIGN(auto d, identity.CreateDepartment(admin, name, parent));
    return d["id"].get<std::string>();
  };
  LF_ASSIGN(std::string sales_dept, dept("销售部", ids.root_department_id));
  LF_ASSIGN(std::string east, dept("华东销售组", sales_dept));
  LF_ASSIGN(std::string south, dept("华南销售组", sales_dept));
  LF_ASSIGN(std::string cs_dept, dept("客户成功部", ids.root_department_id));

  std::string domain = opts.admin_email.substr(opts.admin_email.find('@'));
  auto user = [&](const std::string& local, const std::string& name, const std::string& role,
                  const std::string& dep, const std::string& manager) -> Result<std::string> {
    LF_ASSIGN(auto u, identity.CreateUser(admin, {local + domain, name, opts.password, role, dep, manager, ""}));
    return u["id"].get<std::string>();
  };
  LF_ASSIGN(std::string supervisor, user("supervisor", "李主管", "supervisor", sales_dept, ids.admin_user_id));
  std::vector<std::string> sales;
  const char* sales_names[] = {"张伟", "刘洋", "陈静", "赵磊"};
  for (int i = 0; i < 4; ++i) {
    LF_ASSIGN(std::string id, user("sales" + std::to_string(i + 1), sales_names[i], "sales",
                                   i < 2 ? east : south, supervisor));
    sales.push_back(id);
  }
  LF_ASSIGN(std::string cs1, user("cs1", "孙丽", "customer_success", cs_dept, ids.admin_user_id));
  LF_ASSIGN(std::string cs2, user("cs2", "周敏", "customer_success", cs_dept, ids.admin_user_id));
  sum.users = 8;

  // Principals acting as each user with their own role (no sessions needed: the services take a
  // Principal), so the demo data passes the same access checks as the people will.
  std::map<std::string, Principal> principals;
  auto as = [&](const std::string& id) -> Principal {
    if (!principals.count(id)) {
      auto p = identity.PrincipalFor(ids.tenant_id, id);
      principals[id] = p.ok() ? *p : admin;
    }
    return principals[id];
  };

  // Customers with contacts.
  std::vector<std::string> customers;
  for (int i = 0; i < 30; ++i) {
    clock.Set(now - (90 - i * 2) * kDay);
    std::string owner = i % 5 == 4 ? cs1 : sales[i % 4];
    json c = {{"name", std::string(Pick(rng, kCities)) + Pick(rng, kWords) + Pick(rng, kSuffix)},
              {"phone", Phone(rng)}, {"region", Pick(rng, kRegions)},
              {"industry", i % 2 ? "电商" : "制造业"},
              {"level", i < 3 ? "strategic" : i < 10 ? "key" : "normal"}, {"owner_id", owner},
              {"contract_end_date", "2027-0" + std::to_string(1 + i % 9) + "-15"}};
    if (i < 3) c["tags"] = {"战略客户"};
    LF_ASSIGN(auto r, records.Create(as(owner), "customers", c));
    customers.push_back(r.record["id"].get<std::string>());
    for (int k = 0; k < 2; ++k)
      LF_TRY(records.Create(as(owner), "contacts",
                            {{"name", std::string(Pick(rng, kSurnames)) + Pick(rng, kGiven)},
                             {"customer_id", customers.back()}, {"title", Pick(rng, kTitles)},
                             {"phone", Phone(rng)}, {"is_primary", k == 0}, {"owner_id", owner}})
                 .status());
    if (i < 20) {
      LF_ASSIGN(auto opp, records.Create(as(owner), "opportunities",
                                         {{"name", std::string(Pick(rng, kProducts)) + "采购项目"},
                                          {"customer_id", customers.back()},
                                          {"amount", int64_t(50000 + rng() % 2000000) * 100},
                                          {"stage", i < 8 ? "won" : i < 14 ? "negotiation" : "proposal"},
                                          {"owner_id", owner}}));
      if (i < 8)
        LF_TRY(records.Create(admin, "contracts",  // customer success may read contracts, not sign them
                              {{"name", "年度服务合同-" + r.record["name"].get<std::string>()},
                               {"customer_id", customers.back()}, {"opportunity_id", opp.record["id"]},
                               {"amount", opp.record["amount"]}, {"status", "signed"},
                               {"signed_date", "2026-0" + std::to_string(1 + i) + "-10"},
                               {"end_date", "2027-0" + std::to_string(1 + i) + "-09"},
                               {"owner_id", owner}})
                   .status());
    }
  }
  sum.customers = 30;

  // Leads over the last 90 days, channel mix as in the seeds; follow-ups for most of them.
  const std::vector<std::pair<const char*, int>> channels = {
      {"douyin_form", 30}, {"xiaohongshu_dm", 22}, {"baidu_ads", 18}, {"website", 12},
      {"trade_show", 8},   {"zhihu", 5},           {"wechat", 5}};
  std::vector<int> weights;
  for (auto& c : channels) weights.push_back(c.second);
  std::discrete_distribution<int> channel_dist(weights.begin(), weights.end());
  const char* touches[] = {"download_whitepaper", "book_demo", "quote_form", "add_wechat"};
  const char* kinds[] = {"call", "wechat", "visit", "email", "note"};
  int64_t span = 90 * kDay;
  for (int i = 0; i < opts.leads; ++i) {
    int64_t created = now - span + span * i / opts.leads + int64_t(rng() % 3600000);
    clock.Set(created);
    std::string owner = sales[rng() % 4];
    std::string channel = channels[channel_dist(rng)].first;
    std::string touch = Pick(rng, touches);
    json lead = {{"name", std::string(Pick(rng, kSurnames)) + (rng() % 2 ? "先生" : "女士")},
                 {"phone", Phone(rng)}, {"company", std::string(Pick(rng, kCities)) + Pick(rng, kWords) + Pick(rng, kSuffix)},
                 {"title", Pick(rng, kTitles)}, {"channel", channel}, {"first_touch", touch},
                 {"owner_id", owner}, {"region", Pick(rng, kRegions)}, {"product", Pick(rng, kProducts)}};
    bool red = (channel == "douyin_form" || channel == "xiaohongshu_dm") && touch == "book_demo";
    lead["color"] = red ? "red" : (touch == "quote_form" ? "yellow" : (rng() % 3 == 0 ? "green" : "yellow"));
    if (rng() % 4 == 0) lead["wechat"] = "wx_" + std::to_string(100000 + rng() % 900000);
    LF_ASSIGN(auto r, records.Create(as(owner), "leads", lead));
    sum.leads++;
    int follow_ups = rng() % 10 < 7 ? 1 + int(rng() % 3) : 0;
    int64_t t = created;
    for (int k = 0; k < follow_ups; ++k) {
      t += int64_t(1 + rng() % 72) * 3600 * 1000;
      if (t > now) break;
      clock.Set(t);
      LF_TRY(records.Create(as(owner), "activities",
                            {{"kind", Pick(rng, kinds)}, {"content", Pick(rng, kNotes)},
                             {"lead_id", r.record["id"]}, {"owner_id", owner}, {"effective", rng() % 4 != 0}})
                 .status());
      sum.activities++;
    }
    if (i % 40 == 0 || i >= opts.leads - 8) {  // the newest leads have open to-dos
      clock.Set(created + 3600 * 1000);
      LF_TRY(records.Create(as(owner), "tasks",
                            {{"title", "给" + lead["name"].get<std::string>() + "发送方案"},
                             {"lead_id", r.record["id"]}, {"owner_id", owner},
                             {"due_at", FormatRfc3339(std::min(now + 2 * kDay, created + 3 * kDay), admin.zone)},
                             // Past ones were done: a to-do list of stale tasks is not what a team has.
                             {"status", created + 3 * kDay < now ? "done" : "open"}})
                 .status());
    }
  }
  // The lead pipeline's configuration, as an admin would set it up.
  clock.Set(now - 2 * kDay);
  LF_ASSIGN(auto pool, pools.Create(admin, {{"name", "公海"},
                                            {"description", "未跟进线索回流,所有销售可领取"},
                                            {"rules", {{"daily_claim_quota", 10},
                                                       {"cooldown_days", 3},
                                                       {"hold_cap_person", 300},
                                                       // The demo's history spans 90 days: a longer
                                                       // rule keeps the daily pass (02:00) from
                                                       // emptying the salespeople's lists at once.
                                                       {"reclaim_days_without_followup", 90},
                                                       {"warn_days_ahead", 7}}}}));
  for (const auto& [name, channel, touch] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"抖音表单-预约演示", "douyin_form", "book_demo"},
           {"小红书私信", "xiaohongshu_dm", ""},
           {"百度推广落地页", "baidu_ads", "quote_form"},
           {"官网咨询", "website", ""},
           {"展会扫码", "trade_show", "add_wechat"}}) {
    json src = {{"name", name}, {"channel", channel}};
    if (!touch.empty()) src["first_touch"] = touch;
    LF_TRY(leads.CreateIntakeSource(admin, src).status());
  }
  LF_TRY(leads.assignment()
             .CreateRule(admin, {{"name", "华东 抖音/小红书 轮流分配"},
                                 {"strategy", "round_robin"},
                                 {"conditions", {{{"field", "channel"}, {"op", "in"}, {"value", {"douyin_form", "xiaohongshu_dm"}}},
                                                 {{"field", "region"}, {"op", "eq"}, {"value", "华东"}}}},
                                 {"members", {{{"user_id", sales[0]}}, {{"user_id", sales[1]}}}},
                                 {"cap", 400}})
             .status());
  LF_TRY(leads.assignment()
             .CreateRule(admin, {{"name", "其他线索 按负载分配"},
                                 {"strategy", "least_loaded"},
                                 {"members", {{{"user_id", sales[0]}}, {{"user_id", sales[1]}},
                                              {{"user_id", sales[2]}}, {{"user_id", sales[3]}}}}})
             .status());
  // Some unworked leads went back to the pool.
  std::vector<std::string> pooled;
  LF_TRY(db.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query("SELECT id FROM leads WHERE tenant_id = ? AND first_followup_at IS NULL "
                                 "ORDER BY created_at LIMIT 80",
                                 {sum.tenant_id}));
    for (auto& r : rows.rows) pooled.push_back(AsText(r[0]));
    return Status::Ok();
  }));
  for (const auto& id : pooled)
    LF_TRY(pools.Release(admin, id, {{"pool_id", pool["id"]}, {"reason", "长期未跟进"}}).status());
  (void)supervisor;
  (void)cs2;
  return sum;
}

}  // namespace lf
