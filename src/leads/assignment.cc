// Implements leads/assignment.h.
#include "leads/assignment.h"

#include <set>

#include "base/crypto.h"
#include "base/strings.h"
#include "records/codec.h"

namespace lf {
namespace {

using json = nlohmann::json;

constexpr const char* kPermission = "assignment.manage";
constexpr const char* kSilentKey = "leads.silent_period_hours";
constexpr int64_t kDefaultSilentHours = 24;
const std::set<std::string> kStrategies = {"round_robin", "weighted", "least_loaded"};
const std::set<std::string> kOps = {"eq", "ne", "in", "not_in", "contains", "gt", "gte", "lt", "lte", "exists"};

Status Invalid(const std::string& field, const std::string& en, const std::string& zh,
               const std::string& code = "validation.invalid_value") {
  return Status::Error(ErrorKind::kValidation, code, en, zh, field);
}

bool Compare(const json& a, const std::string& op, const json& b) {
  if (op == "eq") return a == b;
  if (op == "ne") return a != b;
  if (a.is_null() || b.is_null()) return false;
  if (op == "gt") return a > b;
  if (op == "gte") return a >= b;
  if (op == "lt") return a < b;
  if (op == "lte") return a <= b;
  return false;
}

// True when every condition holds for the lead's stored values.
bool Matches(const json& conditions, const json& values) {
  for (const auto& c : conditions) {
    const std::string field = c["field"], op = c["op"];
    json v = values.contains(field) ? values[field] : json(nullptr);
    const json& want = c.contains("value") ? c["value"] : json(nullptr);
    bool ok;
    if (op == "exists") {
      ok = (!v.is_null()) == want.get<bool>();
    } else if (op == "in" || op == "not_in") {
      bool found = false;
      for (const auto& w : want)
        if (v.is_array() ? std::find(v.begin(), v.end(), w) != v.end() : v == w) found = true;
      ok = (op == "in") == found;
    } else if (op == "contains") {
      if (v.is_array()) ok = std::find(v.begin(), v.end(), want) != v.end();
      else ok = v.is_string() && want.is_string() &&
                v.get<std::string>().find(want.get<std::string>()) != std::string::npos;
    } else {
      ok = Compare(v, op, want);
    }
    if (!ok) return false;
  }
  return true;
}

json RuleJson(const Row& r) {
  return {{"id", AsText(r[0])},
          {"name", AsText(r[1])},
          {"position", AsInt(r[2])},
          {"enabled", AsInt(r[3]) != 0},
          {"conditions", json::parse(AsText(r[4]), nullptr, false)},
          {"strategy", AsText(r[5])},
          {"members", json::parse(AsText(r[6]), nullptr, false)},
          {"cap", IsNull(r[7]) ? json(nullptr) : json(AsInt(r[7]))}};
}

constexpr const char* kRuleColumns = "id, name, position, enabled, conditions, strategy, members, cap";

}  // namespace

Result<json> LeadAssignment::ValidateRule(const Principal& p, const json& body, bool partial) {
  if (!p.Can(kPermission))
    return Status::Error(ErrorKind::kPermissionDenied, "access.forbidden",
                         "assignment rules need the permission 'assignment.manage'",
                         "分配规则需要 'assignment.manage' 权限");
  if (!body.is_object())
    return Status::Error(ErrorKind::kInvalidArgument, "request.body_not_object",
                         "request body must be a JSON object", "请求体必须是 JSON 对象");
  static const std::set<std::string> kKeys = {"name", "position", "enabled", "conditions",
                                              "strategy", "members", "cap"};
  for (auto it = body.begin(); it != body.end(); ++it)
    if (!kKeys.count(it.key()))
      return Invalid(it.key(), "unknown field '" + it.key() + "'", "未知字段 '" + it.key() + "'",
                     "validation.unknown_field");
  json out = json::object();
  if (body.contains("name")) {
    if (!body["name"].is_string() || body["name"].get<std::string>().empty() ||
        Utf8Length(body["name"].get<std::string>()) > 100)
      return Invalid("name", "name must be 1–100 characters", "名称长度须为 1–100");
    out["name"] = body["name"];
  } else if (!partial) {
    return Invalid("name", "name is required", "名称为必填项", "validation.required");
  }
  if (body.contains("position")) {
    if (!body["position"].is_number_integer()) return Invalid("position", "position must be an integer", "position 必须是整数", "validation.wrong_type");
    out["position"] = body["position"];
  }
  if (body.contains("enabled")) {
    if (!body["enabled"].is_boolean()) return Invalid("enabled", "enabled must be a boolean", "enabled 必须是布尔值", "validation.wrong_type");
    out["enabled"] = body["enabled"];
  }
  if (body.contains("strategy") || !partial) {
    std::string s = body.value("strategy", "round_robin");
    if (!kStrategies.count(s))
      return Invalid("strategy", "strategy is round_robin, weighted or least_loaded",
                     "分配方式须为 round_robin(轮流)、weighted(按权重)或 least_loaded(负载最少)");
    out["strategy"] = s;
  }
  if (body.contains("cap")) {
    if (!body["cap"].is_null() && (!body["cap"].is_number_integer() || body["cap"].get<int64_t>() < 1))
      return Invalid("cap", "cap is a positive integer or null", "上限须为正整数或空");
    out["cap"] = body["cap"];
  }
  LF_ASSIGN(auto schema, records_.SchemaFor(p));
  const auto* leads = schema->Find("leads");
  if (body.contains("conditions") || !partial) {
    json conds = body.value("conditions", json::array());
    if (!conds.is_array() || conds.size() > 20)
      return Invalid("conditions", "conditions is an array (at most 20)", "条件须为数组(最多 20 条)");
    json norm = json::array();
    for (const auto& c : conds) {
      if (!c.is_object() || !c.contains("field") || !c["field"].is_string())
        return Invalid("conditions", "each condition is {field, op, value}", "每个条件须为 {field, op, value}");
      std::string field = c["field"], op = c.value("op", "eq");
      const FieldDef* f = leads->Find(field);
      if (!f)
        return Invalid("conditions", "unknown lead field '" + field + "'", "线索没有字段 '" + field + "'");
      if (!kOps.count(op)) return Invalid("conditions", "unknown operator '" + op + "'", "未知运算符 '" + op + "'");
      json value = c.contains("value") ? c["value"] : json(nullptr);
      if (op == "exists") {
        if (!value.is_boolean()) return Invalid("conditions", "exists takes true or false", "exists 的值须为 true 或 false");
      } else if (op == "in" || op == "not_in") {
        if (!value.is_array() || value.empty()) return Invalid("conditions", op + " takes a non-empty array", op + " 的值须为非空数组");
        json decoded = json::array();
        FieldDef scalar = *f;
        if (scalar.type == FieldType::kMultiEnum) scalar.type = FieldType::kEnum;
        if (scalar.type == FieldType::kTags) scalar.type = FieldType::kText;
        for (const auto& v : value) {
          LF_ASSIGN(json d, DecodeInput(scalar, v));
          decoded.push_back(d);
        }
        value = decoded;
      } else if (op == "contains") {
        if (!value.is_string()) return Invalid("conditions", "contains takes a string", "contains 的值须为字符串");
      } else {
        LF_ASSIGN(value, DecodeInput(*f, value));
      }
      norm.push_back({{"field", field}, {"op", op}, {"value", value}});
    }
    out["conditions"] = norm;
  }
  if (body.contains("members") || !partial) {
    json members = body.value("members", json::array());
    if (!members.is_array() || members.empty() || members.size() > 200)
      return Invalid("members", "members is a non-empty array of {user_id, weight}", "成员须为非空数组 {user_id, weight}");
    json norm = json::array();
    std::set<std::string> seen;
    LF_TRY(db_.Read([&](Connection& conn) -> Status {
      for (const auto& m : members) {
        if (!m.is_object() || !m.contains("user_id") || !m["user_id"].is_string())
          return Invalid("members", "each member is {user_id, weight}", "每个成员须为 {user_id, weight}");
        std::string uid = m["user_id"];
        int64_t weight = m.value("weight", 1);
        if (weight < 1 || weight > 1000) return Invalid("members", "weight is 1–1000", "权重须为 1–1000");
        LF_ASSIGN(auto u, conn.Query("SELECT 1 FROM users WHERE tenant_id = ? AND id = ?", {p.tenant_id, uid}));
        if (u.empty()) return Invalid("members", "no such user " + uid, "用户不存在", "validation.unknown_user");
        if (!seen.insert(uid).second) return Invalid("members", "a member is listed twice", "成员重复");
        norm.push_back({{"user_id", uid}, {"weight", weight}});
      }
      return Status::Ok();
    }));
    out["members"] = norm;
  }
  return out;
}

Result<json> LeadAssignment::ListRules(const Principal& p) {
  json items = json::array();
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query(std::string("SELECT ") + kRuleColumns +
                                     " FROM assignment_rules WHERE tenant_id = ? ORDER BY position, created_at",
                                 {p.tenant_id}));
    for (auto& r : rows.rows) items.push_back(RuleJson(r));
    return Status::Ok();
  }));
  return json{{"items", std::move(items)}};
}

Result<json> LeadAssignment::CreateRule(const Principal& p, const json& body) {
  LF_ASSIGN(json v, ValidateRule(p, body, false));
  int64_t now = clock_.NowMs();
  std::string id = UuidV7(now);
  json out;
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    int64_t position = v.value("position", int64_t(-1));
    if (position < 0) {
      LF_ASSIGN(auto n, tx.Query("SELECT COUNT(*) FROM assignment_rules WHERE tenant_id = ?", {p.tenant_id}));
      position = AsInt(n.rows[0][0]) + 1;
    }
    LF_TRY(tx.Exec("INSERT INTO assignment_rules (tenant_id, id, name, position, enabled, conditions, "
                   "strategy, members, cap, created_at, updated_at, created_by) VALUES "
                   "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   {p.tenant_id, id, v["name"].get<std::string>(), position,
                    int64_t(v.value("enabled", true)), v["conditions"].dump(), v["strategy"].get<std::string>(),
                    v["members"].dump(),
                    v.contains("cap") && !v["cap"].is_null() ? Value(v["cap"].get<int64_t>()) : Value(nullptr),
                    now, now, p.user_id})
               .status());
    LF_ASSIGN(auto rows, tx.Query(std::string("SELECT ") + kRuleColumns +
                                      " FROM assignment_rules WHERE tenant_id = ? AND id = ?",
                                  {p.tenant_id, id}));
    out = RuleJson(rows.rows.at(0));
    return events_.Append(tx, p.tenant_id, p.user_id, "assignment_rule.created", "assignment_rules", id, out)
        .status();
  }));
  return out;
}

Result<json> LeadAssignment::UpdateRule(const Principal& p, const std::string& id, const json& body) {
  LF_ASSIGN(json v, ValidateRule(p, body, true));
  int64_t now = clock_.NowMs();
  json out;
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_ASSIGN(auto rows, tx.Query(std::string("SELECT ") + kRuleColumns +
                                      " FROM assignment_rules WHERE tenant_id = ? AND id = ?",
                                  {p.tenant_id, id}));
    if (rows.empty())
      return Status::Error(ErrorKind::kNotFound, "record.not_found", "assignment rule not found", "分配规则不存在");
    json rule = RuleJson(rows.rows[0]);
    for (auto it = v.begin(); it != v.end(); ++it) rule[it.key()] = *it;
    LF_TRY(tx.Exec("UPDATE assignment_rules SET name = ?, position = ?, enabled = ?, conditions = ?, "
                   "strategy = ?, members = ?, cap = ?, state = '{}', updated_at = ? WHERE tenant_id = ? AND id = ?",
                   {rule["name"].get<std::string>(), rule["position"].get<int64_t>(),
                    int64_t(rule["enabled"].get<bool>()), rule["conditions"].dump(),
                    rule["strategy"].get<std::string>(), rule["members"].dump(),
                    rule["cap"].is_null() ? Value(nullptr) : Value(rule["cap"].get<int64_t>()), now,
                    p.tenant_id, id})
               .status());
    out = rule;
    return events_.Append(tx, p.tenant_id, p.user_id, "assignment_rule.updated", "assignment_rules", id,
                          {{"changes", v}})
        .status();
  }));
  return out;
}

Result<json> LeadAssignment::Pick(Tx& tx, const Principal& p, const json& values) {
  LF_ASSIGN(auto rules, tx.Query("SELECT id, name, conditions, strategy, members, cap, state FROM "
                                 "assignment_rules WHERE tenant_id = ? AND enabled = 1 ORDER BY "
                                 "position, created_at",
                                 {p.tenant_id}));
  for (const auto& r : rules.rows) {
    json conditions = json::parse(AsText(r[2]), nullptr, false);
    if (!conditions.is_array() || !Matches(conditions, values)) continue;
    std::string rule_id = AsText(r[0]), strategy = AsText(r[3]);
    json members = json::parse(AsText(r[4]), nullptr, false);
    json state = json::parse(AsText(r[6]), nullptr, false);
    if (!state.is_object()) state = json::object();
    std::optional<int64_t> cap;
    if (!IsNull(r[5])) cap = AsInt(r[5]);
    // Who can take a lead now: active, not away, under the cap. One query each for all members.
    std::string marks;
    std::vector<Value> ids{p.tenant_id};
    for (const auto& m : members) {
      marks += marks.empty() ? "?" : ", ?";
      ids.push_back(m["user_id"].get<std::string>());
    }
    LF_ASSIGN(auto avail, tx.Query("SELECT id FROM users WHERE tenant_id = ? AND id IN (" + marks +
                                       ") AND status = 'active' AND availability = 'available'",
                                   ids));
    std::set<std::string> available;
    for (auto& a : avail.rows) available.insert(AsText(a[0]));
    // Open-lead counts only when the rule needs them (a cap or least_loaded): counting is an index
    // range scan per member, which round robin and weights should not pay on every intake.
    std::map<std::string, int64_t> load;
    if (cap || strategy == "least_loaded") {
      LF_ASSIGN(auto counts, tx.Query("SELECT owner_id, COUNT(*) FROM leads WHERE tenant_id = ? AND owner_id IN (" +
                                          marks + ") AND archived_at IS NULL AND stage = 'lead' GROUP BY owner_id",
                                      ids));
      for (auto& cnt : counts.rows) load[AsText(cnt[0])] = AsInt(cnt[1]);
    }
    std::vector<size_t> eligible;
    for (size_t i = 0; i < members.size(); ++i) {
      std::string uid = members[i]["user_id"];
      if (available.count(uid) && (!cap || load[uid] < *cap)) eligible.push_back(i);
    }
    if (eligible.empty()) continue;  // nobody here can take it: the next rule may
    size_t chosen = eligible[0];
    if (strategy == "round_robin") {
      size_t next = size_t(state.value("next", int64_t(0))) % members.size();
      for (size_t k = 0; k < members.size(); ++k) {
        size_t i = (next + k) % members.size();
        if (std::find(eligible.begin(), eligible.end(), i) != eligible.end()) {
          chosen = i;
          break;
        }
      }
      state["next"] = int64_t((chosen + 1) % members.size());
    } else if (strategy == "weighted") {
      // Smooth weighted round robin: deterministic, spreads picks in proportion to weights.
      json& current = state["current"];
      if (!current.is_object()) current = json::object();
      int64_t total = 0, best = INT64_MIN;
      for (size_t i : eligible) {
        std::string uid = members[i]["user_id"];
        int64_t w = members[i]["weight"].get<int64_t>();
        total += w;
        int64_t cw = current.value(uid, int64_t(0)) + w;
        current[uid] = cw;
        if (cw > best) {
          best = cw;
          chosen = i;
        }
      }
      std::string uid = members[chosen]["user_id"];
      current[uid] = current[uid].get<int64_t>() - total;
    } else {  // least_loaded
      for (size_t i : eligible)
        if (load[members[i]["user_id"].get<std::string>()] < load[members[chosen]["user_id"].get<std::string>()])
          chosen = i;
    }
    LF_TRY(tx.Exec("UPDATE assignment_rules SET state = ? WHERE tenant_id = ? AND id = ?",
                   {state.dump(), p.tenant_id, rule_id})
               .status());
    std::string owner = members[chosen]["user_id"];
    return json{{"owner_id", owner},
                {"rule_id", rule_id},
                {"rule_name", AsText(r[1])},
                {"strategy", strategy},
                {"load_before", cap || strategy == "least_loaded" ? json(load[owner]) : json(nullptr)}};
  }
  return json(nullptr);
}

Status LeadAssignment::Apply(Tx& tx, const Principal& p, const std::string& lead_id,
                             const std::string& owner_id, const json& reason) {
  int64_t now = clock_.NowMs();
  LF_ASSIGN(auto silent, tx.Query("SELECT value FROM tenant_settings WHERE tenant_id = ? AND key = ?",
                                  {p.tenant_id, std::string(kSilentKey)}));
  int64_t silent_h = silent.empty() ? kDefaultSilentHours : AsInt(silent.rows[0][0]);
  LF_ASSIGN(auto before, tx.Query("SELECT owner_id, pool_id FROM leads WHERE tenant_id = ? AND id = ?",
                                  {p.tenant_id, lead_id}));
  if (before.empty()) return Status::Error(ErrorKind::kNotFound, "record.not_found", "lead not found", "线索不存在");
  json old_owner = IsNull(before.rows[0][0]) ? json(nullptr) : json(AsText(before.rows[0][0]));
  int64_t until = now + silent_h * 3600 * 1000;
  // An owned lead is not in a pool: assigning a pooled lead takes it out.
  LF_TRY(tx.Exec("UPDATE leads SET owner_id = ?, assigned_at = ?, silent_until = ?, pool_id = NULL, "
                 "pooled_at = NULL, version = version + 1, updated_at = ?, updated_by = ? WHERE tenant_id = ? AND id = ?",
                 {owner_id, now, until, now, p.user_id, p.tenant_id, lead_id})
             .status());
  json changes = json::array({{{"field", "owner_id"}, {"old", old_owner}, {"new", owner_id}},
                              {{"field", "assigned_at"}, {"old", nullptr}, {"new", now}},
                              {{"field", "silent_until"}, {"old", nullptr}, {"new", until}}});
  if (!IsNull(before.rows[0][1]))
    changes.push_back({{"field", "pool_id"}, {"old", AsText(before.rows[0][1])}, {"new", nullptr}});
  json data = {{"reason", reason}, {"changes", std::move(changes)}};
  return events_.Append(tx, p.tenant_id, p.user_id, "lead.assigned", "leads", lead_id, data).status();
}

Result<json> LeadAssignment::Reassign(const Principal& p, const std::string& lead_id, const json& body) {
  if (!body.is_object() || !body.contains("owner_id") || !body["owner_id"].is_string())
    return Invalid("owner_id", "owner_id is required", "请选择负责人", "validation.required");
  for (auto it = body.begin(); it != body.end(); ++it)
    if (it.key() != "owner_id" && it.key() != "note")
      return Invalid(it.key(), "unknown field '" + it.key() + "'", "未知字段 '" + it.key() + "'", "validation.unknown_field");
  std::string owner = body["owner_id"], note = body.value("note", "");
  if (!IsUuid(lead_id)) return Status::Error(ErrorKind::kNotFound, "record.not_found", "lead not found", "线索不存在");
  json out;
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_ASSIGN(auto u, tx.Query("SELECT 1 FROM users WHERE tenant_id = ? AND id = ? AND status = 'active'",
                               {p.tenant_id, owner}));
    if (u.empty()) return Invalid("owner_id", "no such active user", "负责人不存在或已停用", "validation.unknown_user");
    // The actor must be able to update the lead and hand it to that user (access/).
    LF_ASSIGN(auto schema, records_.SchemaFor(p));
    LF_ASSIGN(RowAccess access, records_.AccessFor(p, *schema, *schema->Find("leads"), Action::kUpdate));
    std::vector<Value> params{p.tenant_id, lead_id};
    params.insert(params.end(), access.predicate.params.begin(), access.predicate.params.end());
    LF_ASSIGN(auto l, tx.Query("SELECT archived_at FROM leads WHERE tenant_id = ? AND id = ?" + access.AndSql(),
                               params));
    if (l.empty()) return Status::Error(ErrorKind::kNotFound, "record.not_found", "lead not found", "线索不存在");
    SqlClause in_scope = access.policy->UserInScope("leads", Action::kUpdate, "id");
    std::vector<Value> uparams{p.tenant_id, owner};
    uparams.insert(uparams.end(), in_scope.params.begin(), in_scope.params.end());
    LF_ASSIGN(auto ok, tx.Query("SELECT 1 FROM users WHERE tenant_id = ? AND id = ?" +
                                    (in_scope.sql.empty() ? "" : " AND (" + in_scope.sql + ")"),
                                uparams));
    if (ok.empty())
      return Status::Error(ErrorKind::kPermissionDenied, "access.owner_out_of_scope",
                           "you may not hand this lead to that user", "您无权将线索指派给该用户", "owner_id");
    if (!IsNull(l.rows[0][0]))
      return Status::Error(ErrorKind::kConflict, "record.archived", "the lead is archived", "线索已归档");
    LF_TRY(Apply(tx, p, lead_id, owner, {{"kind", "manual"}, {"by", p.user_id}, {"note", note}}));
    LF_ASSIGN(out, records_.Load(tx.conn(), p, "leads", lead_id));
    return Status::Ok();
  }));
  return out;
}

Result<json> LeadAssignment::SetAvailability(const Principal& p, const json& body) {
  if (!body.is_object() || body.size() != 1 || !body.contains("availability") ||
      !body["availability"].is_string() ||
      (body["availability"] != "available" && body["availability"] != "away"))
    return Invalid("availability", "availability is 'available' or 'away'", "状态须为 available(在岗)或 away(休假/外出)");
  std::string a = body["availability"];
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_TRY(tx.Exec("UPDATE users SET availability = ?, updated_at = ? WHERE tenant_id = ? AND id = ?",
                   {a, clock_.NowMs(), p.tenant_id, p.user_id})
               .status());
    return events_.Append(tx, p.tenant_id, p.user_id, "user.availability_changed", "users", p.user_id,
                          {{"availability", a}})
        .status();
  }));
  return json{{"availability", a}};
}

}  // namespace lf
