// Implements rules/rule_def.h: parsing and save-time checks of rules as data.
#include "rules/rule_def.h"

#include <chrono>
#include <set>

#include <date/tz.h>

#include "rules/cron.h"
#include "rules/expr.h"
#include "rules/message_template.h"

namespace lf::rules {
namespace {

using json = nlohmann::json;

Status Invalid(std::string code, std::string en, std::string zh, std::string field) {
  return Status::Error(ErrorKind::kValidation, std::move(code), std::move(en), std::move(zh),
                       std::move(field));
}

Status CheckKeys(const json& obj, const std::set<std::string>& allowed, const std::string& where) {
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (!allowed.count(it.key()))
      return Invalid("rules.unknown_property", "unknown property '" + it.key() + "' in " + where,
                     where + " 中有未知属性 '" + it.key() + "'", where + "." + it.key());
  return Status::Ok();
}

Result<std::string> Text(const json& obj, const char* key, const std::string& where, bool required,
                         size_t max_len = 500) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    if (required)
      return Invalid("validation.required", std::string(key) + " is required in " + where,
                     where + " 缺少 " + key, where + "." + key);
    return std::string();
  }
  if (!it->is_string() || it->get<std::string>().size() > max_len ||
      (required && it->get<std::string>().empty()))
    return Invalid("validation.wrong_type", std::string(key) + " must be a non-empty string",
                   std::string(key) + " 必须是非空字符串", where + "." + key);
  return it->get<std::string>();
}

// Event types the platform appends (records/: every entity; leads/: the lead pipeline). A rule on
// any other type would silently never fire, so it is refused when saved.
bool IsKnownEventKind(std::string_view type, std::string_view suffix) {
  static const std::set<std::string, std::less<>> kEveryEntity = {"created", "updated", "archived", "unarchived",
                                                                  "document_sent"};
  static const std::set<std::string, std::less<>> kSpecific = {"lead.assigned", "lead.touched", "lead.claimed",
                                                               "lead.reclaimed", "lead.released", "lead.transferred"};
  return kEveryEntity.count(suffix) > 0 || kSpecific.count(type) > 0;
}

// Subject entity of an event type "lead.created": the entity whose singular is the prefix.
const TenantSchema::Entity* EntityOfEvent(const TenantSchema& s, std::string_view type) {
  size_t dot = type.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == type.size()) return nullptr;
  if (!IsKnownEventKind(type, type.substr(dot + 1))) return nullptr;
  std::string_view prefix = type.substr(0, dot);
  for (const auto& e : s.entities())
    if (e.def->singular == prefix) return &e;
  return nullptr;
}

Status CheckRecipient(const json& a, const std::string& where) {
  LF_ASSIGN(std::string to, Text(a, "to", where, false));
  if (!to.empty() && to != "owner" && to != "supervisor")
    return Invalid("rules.bad_action", "to must be owner or supervisor", "to 必须是 owner 或 supervisor",
                   where + ".to");
  return Status::Ok();
}

Status CheckSeverity(const json& a, const std::string& where) {
  LF_ASSIGN(std::string sev, Text(a, "severity", where, false));
  if (!sev.empty() && sev != "info" && sev != "warning" && sev != "critical")
    return Invalid("rules.bad_action", "severity must be info, warning or critical",
                   "severity 必须是 info / warning / critical", where + ".severity");
  return Status::Ok();
}

Status CheckAction(const json& a, size_t i, const TenantSchema::Entity& subject) {
  std::string where = "actions[" + std::to_string(i) + "]";
  if (!a.is_object())
    return Invalid("validation.wrong_type", where + " must be an object", where + " 必须是对象", where);
  LF_ASSIGN(std::string type, Text(a, "type", where, true));
  if (!IsKnownActionType(type))
    return Invalid("rules.unknown_action", "unknown action type '" + type + "'",
                   "未知的动作类型 '" + type + "'", where + ".type");
  if (type == "set_color") {
    LF_TRY(CheckKeys(a, {"type", "color"}, where));
    LF_ASSIGN(std::string color, Text(a, "color", where, true));
    const FieldDef* f = subject.Find("color");
    if (!f || f->type != FieldType::kEnum || !f->HasOption(color))
      return Invalid("rules.bad_action", "color must be one of the " + subject.def->singular +
                                             "'s colors (red, yellow, green)",
                     "颜色必须是 red / yellow / green 之一", where + ".color");
  } else if (type == "add_tags" || type == "remove_tags") {
    LF_TRY(CheckKeys(a, {"type", "tags"}, where));
    bool has_tags = false;
    for (const auto& f : subject.fields) has_tags |= f.type == FieldType::kTags;
    auto it = a.find("tags");
    bool ok = it != a.end() && it->is_array() && !it->empty() && it->size() <= 50;
    if (ok)
      for (const auto& t : *it) ok &= t.is_string() && !t.get<std::string>().empty();
    if (!has_tags || !ok)
      return Invalid("rules.bad_action", "tags must be a non-empty list of strings on a record with tags",
                     "tags 必须是非空字符串列表", where + ".tags");
  } else if (type == "create_task") {
    LF_TRY(CheckKeys(a, {"type", "title", "due", "description", "silent_period"}, where));
    LF_TRY(Text(a, "title", where, true).status());
    LF_TRY(Text(a, "description", where, false, 4000).status());
    LF_TRY(CheckTemplate(a["title"].get<std::string>(), subject, where + ".title"));
    LF_TRY(CheckTemplate(a.value("description", ""), subject, where + ".description"));
    LF_ASSIGN(std::string due, Text(a, "due", where, true));
    int64_t amount;
    char unit;
    if (!ParseDelay(due, &amount, &unit))
      return Invalid("rules.bad_duration", "due must be a duration such as 2h, 1d or 30m",
                     "due 必须是时长,如 2h、1d、30m", where + ".due");
  } else if (type == "assign") {
    LF_TRY(CheckKeys(a, {"type", "user_id"}, where));
    LF_TRY(Text(a, "user_id", where, true).status());
    if (!subject.Find("owner_id"))
      return Invalid("rules.bad_action", "this record has no owner", "该记录没有负责人", where);
  } else if (type == "alert") {
    LF_TRY(CheckKeys(a, {"type", "kind", "severity", "title", "to", "silent_period"}, where));
    LF_TRY(Text(a, "kind", where, true, 100).status());
    LF_TRY(Text(a, "title", where, true).status());
    LF_TRY(CheckTemplate(a["title"].get<std::string>(), subject, where + ".title"));
    LF_TRY(CheckSeverity(a, where));
    LF_TRY(CheckRecipient(a, where));
  } else if (type == "notify") {
    LF_TRY(CheckKeys(a, {"type", "channel", "channel_id", "to", "title", "text", "silent_period"}, where));
    LF_ASSIGN(std::string channel, Text(a, "channel", where, true));
    if (channel != "in_app" && channel != "dingtalk" && channel != "wecom" && channel != "email")
      return Invalid("rules.bad_action", "channel must be in_app, dingtalk, wecom or email",
                     "channel 必须是 in_app / dingtalk / wecom / email", where + ".channel");
    LF_ASSIGN(std::string channel_id, Text(a, "channel_id", where, false, 100));
    if (channel == "in_app" && !channel_id.empty())
      return Invalid("rules.bad_action", "an in-app notification takes no channel_id", "站内通知不需要 channel_id",
                     where + ".channel_id");
    LF_TRY(CheckRecipient(a, where));
    LF_TRY(CheckTemplate(a.value("title", ""), subject, where + ".title"));
    LF_TRY(CheckTemplate(a.value("text", ""), subject, where + ".text"));
  } else if (type == "escalate") {
    LF_TRY(CheckKeys(a, {"type", "title", "due", "severity", "silent_period"}, where));
    LF_TRY(CheckTemplate(a.value("title", ""), subject, where + ".title"));
    LF_TRY(CheckSeverity(a, where));
    LF_ASSIGN(std::string due, Text(a, "due", where, false));
    int64_t amount;
    char unit;
    if (!due.empty() && !ParseDelay(due, &amount, &unit))
      return Invalid("rules.bad_duration", "due must be a duration such as 4h or 1d", "due 必须是时长,如 4h、1d",
                     where + ".due");
    if (!subject.Find("owner_id"))
      return Invalid("rules.bad_action", "escalating needs a record with an owner", "升级需要有负责人的记录", where);
  } else if (type == "send_document") {
    LF_TRY(CheckKeys(a, {"type", "document_id"}, where));
    LF_TRY(Text(a, "document_id", where, true, 100).status());
  } else if (type == "webhook") {
    LF_TRY(CheckKeys(a, {"type", "channel_id"}, where));
    LF_TRY(Text(a, "channel_id", where, true, 100).status());
  }
  if (a.contains("silent_period")) {
    LF_ASSIGN(std::string sp, Text(a, "silent_period", where, true));
    if (sp != "hold" && sp != "send")
      return Invalid("rules.bad_action", "silent_period must be hold or send", "silent_period 必须是 hold 或 send",
                     where + ".silent_period");
  }
  return Status::Ok();
}

}  // namespace

bool HeldInSilentPeriod(const nlohmann::json& action) {
  std::string type = action.value("type", "");
  return IsReminderAction(type) && action.value("silent_period", "hold") != "send";
}

bool IsKnownActionType(std::string_view t) {
  return t == "set_color" || t == "add_tags" || t == "remove_tags" || t == "create_task" ||
         t == "assign" || t == "alert" || t == "notify" || t == "escalate" || t == "send_document" ||
         t == "webhook";
}

bool IsReminderAction(std::string_view t) {
  return t == "alert" || t == "notify" || t == "create_task" || t == "escalate";
}

bool ParseDelay(std::string_view text, int64_t* amount, char* unit) {
  if (text.size() < 2 || text.size() > 8) return false;
  char u = text.back();
  if (u != 'd' && u != 'h' && u != 'm') return false;
  int64_t n = 0;
  for (char c : text.substr(0, text.size() - 1)) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  int64_t max = u == 'd' ? 36500 : u == 'h' ? 36500 * 24 : 36500 * 24 * 60;
  if (n < 1 || n > max) return false;
  *amount = n;
  *unit = u;
  return true;
}

int64_t AddDelay(int64_t from_ms, int64_t amount, char unit, const TimeZone* zone) {
  if (unit == 'h') return from_ms + amount * 3600000;
  if (unit == 'm') return from_ms + amount * 60000;
  // Calendar days: the same local wall time `amount` days later in the zone.
  using namespace std::chrono;
  auto local = zone->to_local(sys_time<milliseconds>(milliseconds(from_ms)));
  auto later = local + days(amount);
  auto sys = zone->to_sys(later, date::choose::earliest);
  return duration_cast<milliseconds>(sys.time_since_epoch()).count();
}

Result<RuleDef> ParseRule(const json& body, const TenantSchema& schema, const TimeZone* zone) {
  if (!body.is_object())
    return Status::Error(ErrorKind::kInvalidArgument, "request.body_not_object",
                         "the body must be a JSON object", "请求体必须是 JSON 对象");
  LF_TRY(CheckKeys(body, {"name", "enabled", "trigger", "condition", "actions"}, "rule"));
  RuleDef r;
  LF_ASSIGN(r.name, Text(body, "name", "rule", true, 200));
  if (body.contains("enabled")) {
    if (!body["enabled"].is_boolean())
      return Invalid("validation.wrong_type", "enabled must be true or false", "enabled 必须是布尔值", "enabled");
    r.enabled = body["enabled"].get<bool>();
  }
  auto trig = body.find("trigger");
  if (trig == body.end() || !trig->is_object() || trig->size() == 0)
    return Invalid("validation.required", "trigger is required: {event}, {cron} or {after}",
                   "需要 trigger: {event}、{cron} 或 {after}", "trigger");
  const TenantSchema::Entity* subject = nullptr;
  if (trig->contains("event")) {
    LF_TRY(CheckKeys(*trig, {"event"}, "trigger"));
    LF_ASSIGN(r.trigger.event, Text(*trig, "event", "trigger", true, 100));
    r.trigger.kind = TriggerKind::kEvent;
    subject = EntityOfEvent(schema, r.trigger.event);
    if (!subject)
      return Invalid("rules.unknown_event",
                     "unknown event '" + r.trigger.event + "': <entity>.created / updated / archived / unarchived, "
                     "lead.assigned / touched / claimed / reclaimed / released / transferred",
                     "未知事件 '" + r.trigger.event + "'(可用: <实体>.created / updated / archived / unarchived, "
                     "lead.assigned / touched / claimed / reclaimed / released / transferred)", "trigger.event");
  } else if (trig->contains("cron")) {
    LF_TRY(CheckKeys(*trig, {"cron", "entity"}, "trigger"));
    LF_ASSIGN(r.trigger.cron, Text(*trig, "cron", "trigger", true, 100));
    LF_TRY(CronSpec::Parse(r.trigger.cron).status());
    LF_ASSIGN(std::string entity, Text(*trig, "entity", "trigger", false, 100));
    r.trigger.kind = TriggerKind::kCron;
    if (entity.empty()) entity = "leads";
    for (const auto& e : schema.entities())
      if (e.def->name == entity || e.def->singular == entity) subject = &e;
    if (!subject)
      return Invalid("rules.unknown_entity", "unknown entity '" + entity + "'", "未知实体 '" + entity + "'",
                     "trigger.entity");
  } else if (trig->contains("after")) {
    LF_TRY(CheckKeys(*trig, {"after"}, "trigger"));
    const json& after = (*trig)["after"];
    if (!after.is_object())
      return Invalid("validation.wrong_type", "trigger.after must be an object", "trigger.after 必须是对象",
                     "trigger.after");
    LF_TRY(CheckKeys(after, {"event", "delay", "unless"}, "trigger.after"));
    r.trigger.kind = TriggerKind::kAfter;
    LF_ASSIGN(r.trigger.event, Text(after, "event", "trigger.after", true, 100));
    LF_ASSIGN(r.trigger.delay, Text(after, "delay", "trigger.after", true, 20));
    LF_ASSIGN(r.trigger.unless, Text(after, "unless", "trigger.after", false, 16384));
    subject = EntityOfEvent(schema, r.trigger.event);
    if (!subject)
      return Invalid("rules.unknown_event", "unknown event '" + r.trigger.event + "'",
                     "未知事件 '" + r.trigger.event + "'", "trigger.after.event");
    int64_t amount;
    char unit;
    if (!ParseDelay(r.trigger.delay, &amount, &unit))
      return Invalid("rules.bad_duration", "delay must be a duration such as 3d, 72h or 30m",
                     "delay 必须是时长,如 3d、72h、30m", "trigger.after.delay");
  } else {
    return Invalid("rules.bad_trigger", "trigger must have event, cron or after",
                   "trigger 必须包含 event、cron 或 after", "trigger");
  }
  r.trigger.entity = subject->def->name;
  r.subject = subject->def->singular;
  LF_ASSIGN(r.condition, Text(body, "condition", "rule", false, 16384));
  ExprEnv env{&schema, r.subject, {}, zone};
  if (!r.condition.empty()) LF_TRY(Expr::Check(r.condition, env));
  if (!r.trigger.unless.empty()) {
    Status st = Expr::Check(r.trigger.unless, env);
    if (!st.ok())
      return Status::Error(st.kind(), st.code(), st.detail_en(), st.detail_zh(), "trigger.after.unless");
  }
  auto acts = body.find("actions");
  if (acts == body.end() || !acts->is_array() || acts->empty() || acts->size() > 20)
    return Invalid("validation.required", "actions must be a list of 1 to 20 actions",
                   "actions 必须是 1 到 20 个动作的列表", "actions");
  for (size_t i = 0; i < acts->size(); ++i) LF_TRY(CheckAction((*acts)[i], i, *subject));
  r.actions = *acts;
  return r;
}

json RuleToJson(const RuleDef& r) {
  json trig;
  switch (r.trigger.kind) {
    case TriggerKind::kEvent: trig = {{"event", r.trigger.event}}; break;
    case TriggerKind::kCron: trig = {{"cron", r.trigger.cron}, {"entity", r.trigger.entity}}; break;
    case TriggerKind::kAfter: {
      json after = {{"event", r.trigger.event}, {"delay", r.trigger.delay}};
      if (!r.trigger.unless.empty()) after["unless"] = r.trigger.unless;
      trig = {{"after", after}};
      break;
    }
  }
  return {{"name", r.name}, {"enabled", r.enabled}, {"trigger", trig}, {"condition", r.condition},
          {"actions", r.actions}};
}

}  // namespace lf::rules
