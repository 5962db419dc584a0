// The built-in entities and their fields, as data. Adding a built-in field here adds its column on
// the next start (EnsureEntityTables) and makes it visible to the API, the UI and the schema.
#include "schema/metadata.h"

namespace lf {
namespace {

using T = FieldType;

FieldDef F(std::string name, std::string zh, std::string en, FieldType type,
           std::vector<EnumOption> options = {}, std::string ref = {}) {
  FieldDef f;
  f.name = std::move(name);
  f.label_zh = std::move(zh);
  f.label_en = std::move(en);
  f.type = type;
  f.options = std::move(options);
  f.ref_entity = std::move(ref);
  if (type == T::kText) f.max_length = 500;
  return f;
}
FieldDef Required(FieldDef f) { f.required = true; return f; }
FieldDef ReadOnly(FieldDef f) { f.readonly = true; return f; }
FieldDef Long(FieldDef f) { f.max_length = 20000; return f; }
FieldDef Default(FieldDef f, std::string v) { f.default_value = std::move(v); return f; }
FieldDef ChangedBy(FieldDef f, std::string action) { f.changed_by = std::move(action); return f; }
FieldDef PendingSince(FieldDef f, std::string since) { f.pending_since = std::move(since); return f; }
FieldDef StampedWhen(FieldDef f, std::string field, std::string value) {
  f.stamp_when = std::move(field);
  f.stamp_value = std::move(value);
  return f;
}

// Fields every entity has. `tags` is writable; the rest are maintained by the server.
std::vector<FieldDef> SystemFields() {
  auto sys = [](FieldDef f, bool readonly = true) {
    f.system = true;
    f.readonly = readonly;
    return f;
  };
  return {
      sys(F("id", "编号", "ID", T::kText)),
      sys(F("tags", "标签", "Tags", T::kTags), false),
      sys(F("created_at", "创建时间", "Created at", T::kDateTime)),
      sys(F("updated_at", "更新时间", "Updated at", T::kDateTime)),
      sys(F("created_by", "创建人", "Created by", T::kUser)),
      sys(F("updated_by", "更新人", "Updated by", T::kUser)),
      sys(F("version", "版本", "Version", T::kNumber)),
      sys(F("archived_at", "归档时间", "Archived at", T::kDateTime)),
      sys(F("archive_reason", "归档原因", "Archive reason", T::kText)),
  };
}

EntityDef Entity(std::string name, std::string singular, std::string zh, std::string en,
                 std::vector<FieldDef> fields, std::vector<std::string> search,
                 std::vector<std::vector<std::string>> indexes) {
  EntityDef e;
  e.name = std::move(name);
  e.singular = std::move(singular);
  e.label_zh = std::move(zh);
  e.label_en = std::move(en);
  e.fields = SystemFields();
  for (auto& f : fields) e.fields.push_back(std::move(f));
  e.search_fields = std::move(search);
  e.indexes = std::move(indexes);
  e.indexes.push_back({"created_at", "id"});
  e.indexes.push_back({"updated_at", "id"});
  return e;
}

std::vector<EntityDef> Build() {
  const std::vector<EnumOption> channels = {
      {"douyin_form", "抖音表单", "Douyin form"},      {"xiaohongshu_dm", "小红书私信", "Xiaohongshu DM"},
      {"baidu_ads", "百度推广", "Baidu ads"},          {"website", "官网咨询", "Website inquiry"},
      {"trade_show", "线下展会", "Trade show"},        {"zhihu", "知乎", "Zhihu"},
      {"wechat", "微信", "WeChat"},                    {"manual", "手工录入", "Manual entry"},
      {"other", "其他", "Other"}};
  const std::vector<EnumOption> first_touch = {
      {"download_whitepaper", "下载白皮书", "Download whitepaper"},
      {"book_demo", "预约演示", "Book a demo"},
      {"quote_form", "填写报价单", "Fill quote form"},
      {"add_wechat", "加微信", "Add WeChat"},
      {"other", "其他", "Other"}};
  const std::vector<EnumOption> colors = {{"red", "红色高意向", "Red · high intent"},
                                          {"yellow", "黄色培育", "Yellow · nurture"},
                                          {"green", "绿色低意向", "Green · low intent"}};
  const std::vector<EnumOption> lead_stages = {{"lead", "线索", "Lead"},
                                               {"opportunity", "商机", "Opportunity"},
                                               {"won", "赢单", "Won"},
                                               {"customer", "客户", "Customer"},
                                               {"renewal", "续约", "Renewal"}};
  const std::vector<EnumOption> opp_stages = {{"qualification", "需求确认", "Qualification"},
                                              {"proposal", "方案报价", "Proposal"},
                                              {"negotiation", "商务谈判", "Negotiation"},
                                              {"won", "赢单", "Won"},
                                              {"lost", "输单", "Lost"}};
  const std::vector<EnumOption> contract_status = {{"draft", "草稿", "Draft"},
                                                   {"pending", "待签署", "Pending signature"},
                                                   {"signed", "已签署", "Signed"},
                                                   {"terminated", "已终止", "Terminated"}};
  const std::vector<EnumOption> activity_kinds = {{"call", "电话", "Call"},
                                                  {"visit", "拜访", "Visit"},
                                                  {"wechat", "微信", "WeChat"},
                                                  {"email", "邮件", "Email"},
                                                  {"note", "备注", "Note"}};
  const std::vector<EnumOption> task_status = {{"open", "待办", "Open"},
                                               {"done", "已完成", "Done"},
                                               {"cancelled", "已取消", "Cancelled"}};
  const std::vector<EnumOption> levels = {{"strategic", "战略客户", "Strategic"},
                                          {"key", "重点客户", "Key"},
                                          {"normal", "普通客户", "Normal"}};

  std::vector<EntityDef> out;
  out.push_back(Entity(
      "leads", "lead", "线索", "Leads",
      {Required(F("name", "姓名", "Name", T::kText)), F("phone", "手机号", "Phone", T::kPhone),
       F("wechat", "微信号", "WeChat ID", T::kText), F("company", "公司", "Company", T::kText),
       F("title", "职务", "Title", T::kText),
       // Every lead has a channel (MISSION L2): intake stamps its own; any other create without one is
       // 手工录入.
       Default(F("channel", "来源渠道", "Source channel", T::kEnum, channels), "manual"),
       F("first_touch", "首触动作", "First-touch action", T::kEnum, first_touch),
       F("color", "意向分级", "Intent color", T::kEnum, colors),
       Default(F("stage", "阶段", "Stage", T::kEnum, lead_stages), "lead"),
       ChangedBy(Default(F("owner_id", "负责人", "Owner", T::kUser), "$me"), "assign"),
       F("region", "区域", "Region", T::kText),
       F("product", "意向产品", "Product", T::kText),
       ReadOnly(F("first_followup_at", "首次跟进时间", "First follow-up at", T::kDateTime)),
       PendingSince(ReadOnly(F("response_hours", "响应时效(小时)", "Response time (hours)", T::kNumber)),
                    "created_at"),
       F("customer_id", "关联客户", "Customer", T::kReference, {}, "customers"),
       F("salutation", "称呼", "Salutation", T::kText),
       Long(F("core_need", "核心诉求", "Core need", T::kText)),
       ReadOnly(F("touch_count", "触达次数", "Touches", T::kNumber)),
       ReadOnly(F("last_touch_at", "最近触达", "Last touch at", T::kDateTime)),
       ReadOnly(F("intake_source_id", "进线入口", "Intake source", T::kText)),
       ReadOnly(F("assigned_at", "分配时间", "Assigned at", T::kDateTime)),
       ReadOnly(F("silent_until", "静默保护至", "Silent until", T::kDateTime)),
       ReadOnly(F("last_followup_at", "最近跟进时间", "Last follow-up at", T::kDateTime)),
       ReadOnly(F("pool_id", "所在公海", "Public pool", T::kText)),
       ReadOnly(F("pooled_at", "进入公海时间", "In pool since", T::kDateTime)),
       ReadOnly(F("last_owner_id", "前负责人", "Previous owner", T::kUser)),
       ReadOnly(F("home_pool_id", "归属公海", "Home pool", T::kText)),
       F("ad_keyword", "搜索关键词", "Search keyword", T::kText),
       F("ad_bd_vid", "百度 bd_vid", "Baidu bd_vid", T::kText),
       F("ad_campaign", "推广计划", "Campaign", T::kText),
       F("ad_unit", "推广单元", "Ad unit", T::kText),
       F("ad_promotion_id", "巨量广告 promotion_id", "Ocean Engine promotion ID", T::kText),
       F("ad_id", "广告 ID", "Ad ID", T::kText),
       F("utm_source", "utm_source", "utm_source", T::kText),
       F("utm_medium", "utm_medium", "utm_medium", T::kText),
       F("utm_campaign", "utm_campaign", "utm_campaign", T::kText),
       F("utm_term", "utm_term", "utm_term", T::kText),
       F("utm_content", "utm_content", "utm_content", T::kText)},
      {"name", "phone", "wechat", "company"},
      {{"phone"},
       {"channel", "created_at", "id"},
       {"owner_id", "created_at", "id"},
       {"color", "created_at", "id"},
       {"stage", "created_at", "id"},
       {"pool_id", "pooled_at", "id"},
       {"wechat"},
       {"company"}}));
  out.push_back(Entity(
      "customers", "customer", "客户", "Customers",
      {Required(F("name", "客户名称", "Name", T::kText)), F("phone", "电话", "Phone", T::kPhone),
       F("industry", "行业", "Industry", T::kText), F("region", "区域", "Region", T::kText),
       F("address", "地址", "Address", T::kText),
       F("level", "客户等级", "Level", T::kEnum, levels),
       Default(F("owner_id", "负责人", "Owner", T::kUser), "$me"),
       F("contract_end_date", "合同到期日", "Contract end date", T::kDate),
       F("last_login_at", "最近产品登录", "Last product login", T::kDateTime),
       F("last_ticket_resolved_at", "最近工单解决时间", "Last ticket resolved at", T::kDateTime)},
      {"name", "phone"}, {{"owner_id", "created_at"}, {"name"}, {"phone"}}));
  out.push_back(Entity(
      "contacts", "contact", "联系人", "Contacts",
      {Required(F("name", "姓名", "Name", T::kText)),
       F("customer_id", "所属客户", "Customer", T::kReference, {}, "customers"),
       F("title", "职务", "Title", T::kText), F("phone", "手机号", "Phone", T::kPhone),
       F("wechat", "微信号", "WeChat ID", T::kText), F("email", "邮箱", "Email", T::kEmail),
       F("is_primary", "主要联系人", "Primary contact", T::kBool),
       Default(F("owner_id", "负责人", "Owner", T::kUser), "$me")},
      {"name", "phone", "wechat", "email"}, {{"customer_id"}, {"phone"}, {"wechat"}}));
  out.push_back(Entity(
      "opportunities", "opportunity", "商机", "Opportunities",
      {Required(F("name", "商机名称", "Name", T::kText)),
       F("customer_id", "客户", "Customer", T::kReference, {}, "customers"),
       F("lead_id", "来源线索", "Lead", T::kReference, {}, "leads"),
       F("amount", "金额", "Amount", T::kMoney),
       Default(F("stage", "阶段", "Stage", T::kEnum, opp_stages), "qualification"),
       F("expected_close_date", "预计成交日", "Expected close", T::kDate),
       Default(F("owner_id", "负责人", "Owner", T::kUser), "$me")},
      {"name"}, {{"customer_id"}, {"owner_id", "created_at"}, {"stage", "created_at"}}));
  out.push_back(Entity(
      "contracts", "contract", "合同", "Contracts",
      {Required(F("name", "合同名称", "Name", T::kText)),
       F("customer_id", "客户", "Customer", T::kReference, {}, "customers"),
       F("opportunity_id", "商机", "Opportunity", T::kReference, {}, "opportunities"),
       F("amount", "合同金额", "Amount", T::kMoney),
       Default(F("status", "状态", "Status", T::kEnum, contract_status), "draft"),
       F("signed_date", "签署日期", "Signed on", T::kDate),
       F("start_date", "开始日期", "Start date", T::kDate),
       F("end_date", "到期日期", "End date", T::kDate),
       F("esign_id", "电子签署编号", "E-signature ID", T::kText),
       F("first_payment", "首付款", "First payment", T::kMoney),
       Default(F("owner_id", "签约销售", "Owner", T::kUser), "$me")},
      {"name", "esign_id"}, {{"customer_id"}, {"end_date"}}));
  out.push_back(Entity(
      "activities", "activity", "跟进记录", "Activities",
      {Required(F("kind", "跟进方式", "Kind", T::kEnum, activity_kinds)),
       Long(F("content", "内容", "Content", T::kText)),
       Default(F("occurred_at", "跟进时间", "Occurred at", T::kDateTime), "$now"),
       F("lead_id", "线索", "Lead", T::kReference, {}, "leads"),
       F("customer_id", "客户", "Customer", T::kReference, {}, "customers"),
       F("contact_id", "联系人", "Contact", T::kReference, {}, "contacts"),
       F("opportunity_id", "商机", "Opportunity", T::kReference, {}, "opportunities"),
       Default(F("owner_id", "跟进人", "By", T::kUser), "$me"),
       F("effective", "有效跟进", "Effective", T::kBool)},
      {"content"},
      {{"lead_id", "occurred_at"}, {"customer_id", "occurred_at"}, {"owner_id", "occurred_at"}}));
  out.push_back(Entity(
      "tasks", "task", "任务", "Tasks",
      {Required(F("title", "标题", "Title", T::kText)),
       Long(F("description", "说明", "Description", T::kText)),
       F("due_at", "截止时间", "Due at", T::kDateTime),
       Default(F("status", "状态", "Status", T::kEnum, task_status), "open"),
       F("lead_id", "线索", "Lead", T::kReference, {}, "leads"),
       F("customer_id", "客户", "Customer", T::kReference, {}, "customers"),
       Default(F("owner_id", "负责人", "Assignee", T::kUser), "$me"),
       StampedWhen(F("done_at", "完成时间", "Done at", T::kDateTime), "status", "done")},
      {"title"}, {{"owner_id", "due_at"}, {"lead_id"}}));
  out.push_back(Entity("tags", "tag", "标签", "Tags",
                       {Required(F("name", "名称", "Name", T::kText)),
                        F("color", "颜色", "Color", T::kText),
                        F("category", "分类", "Category", T::kText)},
                       {"name"}, {{"name"}}));
  return out;
}

}  // namespace

const std::vector<EntityDef>& BuiltinEntities() {
  static const std::vector<EntityDef> kEntities = Build();
  return kEntities;
}

const EntityDef* FindBuiltinEntity(std::string_view name) {
  for (const auto& e : BuiltinEntities())
    if (e.name == name) return &e;
  return nullptr;
}

}  // namespace lf
