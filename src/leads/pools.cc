// Implements leads/pools.h.
#include "leads/pools.h"

#include <set>

#include "base/crypto.h"
#include "base/strings.h"

namespace lf {
namespace {

using json = nlohmann::json;

constexpr const char* kManage = "pools.manage";
// 关闭手工录入: false = leads of the pool come only through intake sources and imports (true or
// absent: people may also enter them by hand, LeadService::ManualEntryPool).
constexpr const char* kManualEntry = "manual_entry";

Status Forbidden() {
  return Status::Error(ErrorKind::kPermissionDenied, "access.forbidden",
                       "this needs the permission 'pools.manage'", "需要 'pools.manage' 权限");
}

Status Refused(const std::string& code, const std::string& en, const std::string& zh) {
  return Status::Error(ErrorKind::kConflict, code, en, zh);
}

Status Invalid(const std::string& field, const std::string& en, const std::string& zh,
               const std::string& code = "validation.invalid_value") {
  return Status::Error(ErrorKind::kValidation, code, en, zh, field);
}

Status LeadNotFound() {
  return Status::Error(ErrorKind::kNotFound, "record.not_found", "lead not found", "线索不存在");
}

// rule → (min, max); every rule but kManualEntry is an integer or null (= no limit / no reclaim).
const std::map<std::string, std::pair<int64_t, int64_t>>& RuleRanges() {
  static const std::map<std::string, std::pair<int64_t, int64_t>> kRanges = {
      {"daily_claim_quota", {1, 1000}},        {"cooldown_days", {0, 365}},
      {"hold_cap_person", {1, 100000}},        {"hold_cap_department", {1, 1000000}},
      {"reclaim_days_without_followup", {1, 3650}}, {"reclaim_days_without_opportunity", {1, 3650}},
      {"warn_days_ahead", {0, 365}}};
  return kRanges;
}

std::optional<int64_t> RuleInt(const json& rules, const char* key) {
  auto it = rules.find(key);
  if (it == rules.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

// The reclaim warning comes before the reclaim: warn_days_ahead below every reclaim threshold.
Status CheckWarning(const json& rules) {
  auto warn = RuleInt(rules, "warn_days_ahead");
  if (!warn) return Status::Ok();
  for (const char* k : {"reclaim_days_without_followup", "reclaim_days_without_opportunity"})
    if (auto days = RuleInt(rules, k); days && *warn >= *days)
      return Invalid("rules", "warn_days_ahead must be less than " + std::string(k),
                     "提前提醒天数须小于回收天数", "validation.out_of_range");
  return Status::Ok();
}

json PoolJson(const Row& r) {
  return {{"id", AsText(r[0])},
          {"name", AsText(r[1])},
          {"description", IsNull(r[2]) ? json(nullptr) : json(AsText(r[2]))},
          {"is_default", AsInt(r[3]) != 0},
          {"rules", json::parse(AsText(r[4]), nullptr, false)},
          {"enabled", AsInt(r[5]) != 0}};
}

constexpr const char* kPoolColumns = "id, name, description, is_default, rules, enabled";
constexpr const char* kOpenLead = "archived_at IS NULL AND stage = 'lead'";

}  // namespace

bool TakesManualEntry(const json& rules) {
  return !(rules.is_object() && rules.value(kManualEntry, json(nullptr)) == false);
}

Result<json> LeadPools::ValidateRules(const json& body) {
  json rules = json::object();
  auto it = body.find("rules");
  if (it == body.end()) return rules;
  if (!it->is_object()) return Invalid("rules", "rules must be an object", "规则必须是对象", "validation.wrong_type");
  for (auto r = it->begin(); r != it->end(); ++r) {
    if (r.key() == kManualEntry) {
      if (!r->is_boolean() && !r->is_null())
        return Invalid("rules", "manual_entry must be true, false or null", "manual_entry 须为 true、false 或空",
                       "validation.wrong_type");
      rules[r.key()] = *r;
      continue;
    }
    auto range = RuleRanges().find(r.key());
    if (range == RuleRanges().end())
      return Invalid("rules", "unknown pool rule '" + r.key() + "'", "未知公海规则 '" + r.key() + "'",
                     "validation.unknown_field");
    if (!r->is_null() && (!r->is_number_integer() || r->get<int64_t>() < range->second.first ||
                          r->get<int64_t>() > range->second.second))
      return Invalid("rules", r.key() + " must be an integer from " + std::to_string(range->second.first) +
                                  " to " + std::to_string(range->second.second) + ", or null",
                     r.key() + " 须为 " + std::to_string(range->second.first) + "–" +
                         std::to_string(range->second.second) + " 的整数或空",
                     "validation.out_of_range");
    rules[r.key()] = *r;
  }
  return rules;
}

Result<LeadPools::Pool> LeadPools::LoadPool(Connection& c, const std::string& tenant_id, const std::string& id) {
  LF_ASSIGN(auto rows, c.Query(std::string("SELECT ") + kPoolColumns +
                                   (id.empty() ? " FROM pools WHERE tenant_id = ? AND is_default = 1"
                                               : " FROM pools WHERE tenant_id = ? AND id = ?"),
                               id.empty() ? std::vector<Value>{tenant_id} : std::vector<Value>{tenant_id, id}));
  if (rows.empty())
    return Status::Error(ErrorKind::kNotFound, "pool.not_found",
                         id.empty() ? "no default pool: create a pool first" : "pool not found",
                         id.empty() ? "尚未设置默认公海,请先创建公海" : "公海不存在");
  const Row& r = rows.rows[0];
  return Pool{AsText(r[0]), AsText(r[1]), AsInt(r[3]) != 0, AsInt(r[5]) != 0,
              json::parse(AsText(r[4]), nullptr, false)};
}

Result<json> LeadPools::List(const Principal& p) {
  json items = json::array();
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query(std::string("SELECT ") + kPoolColumns +
                                     ", (SELECT COUNT(*) FROM leads l WHERE l.tenant_id = pools.tenant_id AND "
                                     "l.pool_id = pools.id AND l.archived_at IS NULL) FROM pools WHERE "
                                     "tenant_id = ? ORDER BY created_at",
                                 {p.tenant_id}));
    for (auto& r : rows.rows) {
      json j = PoolJson(r);
      j["lead_count"] = AsInt(r[6]);
      items.push_back(std::move(j));
    }
    return Status::Ok();
  }));
  return json{{"items", std::move(items)}};
}

Result<json> LeadPools::Create(const Principal& p, const json& body) {
  if (!p.Can(kManage)) return Forbidden();
  if (!body.is_object())
    return Status::Error(ErrorKind::kInvalidArgument, "request.body_not_object",
                         "request body must be a JSON object", "请求体必须是 JSON 对象");
  static const std::set<std::string> kKeys = {"name", "description", "is_default", "rules", "enabled"};
  for (auto it = body.begin(); it != body.end(); ++it)
    if (!kKeys.count(it.key()))
      return Invalid(it.key(), "unknown field '" + it.key() + "'", "未知字段 '" + it.key() + "'", "validation.unknown_field");
  if (!body.contains("name") || !body["name"].is_string() || body["name"].get<std::string>().empty() ||
      Utf8Length(body["name"].get<std::string>()) > 100)
    return Invalid("name", "name must be 1–100 characters", "名称长度须为 1–100", "validation.required");
  if (body.contains("description") && !body["description"].is_string() && !body["description"].is_null())
    return Invalid("description", "description must be a string", "描述必须是字符串", "validation.wrong_type");
  for (const char* b : {"is_default", "enabled"})
    if (body.contains(b) && !body[b].is_boolean())
      return Invalid(b, std::string(b) + " must be a boolean", std::string(b) + " 必须是布尔值", "validation.wrong_type");
  LF_ASSIGN(json rules, ValidateRules(body));
  LF_TRY(CheckWarning(rules));
  int64_t now = clock_.NowMs();
  std::string id = UuidV7(now);
  json out;
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_ASSIGN(auto any, tx.Query("SELECT COUNT(*) FROM pools WHERE tenant_id = ?", {p.tenant_id}));
    bool is_default = body.value("is_default", false) || AsInt(any.rows[0][0]) == 0;
    if (is_default) LF_TRY(tx.Exec("UPDATE pools SET is_default = 0 WHERE tenant_id = ?", {p.tenant_id}).status());
    LF_TRY(tx.Exec("INSERT INTO pools (tenant_id, id, name, description, is_default, rules, enabled, "
                   "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   {p.tenant_id, id, body["name"].get<std::string>(),
                    body.contains("description") && body["description"].is_string() ? Value(body["description"].get<std::string>()) : Value(nullptr),
                    int64_t(is_default), rules.dump(), int64_t(body.value("enabled", true)), now, now})
               .status());
    LF_ASSIGN(auto rows, tx.Query(std::string("SELECT ") + kPoolColumns + " FROM pools WHERE tenant_id = ? AND id = ?",
                                  {p.tenant_id, id}));
    // LeadService caches the pools (their manual entry switch) per schema_version.
    LF_TRY(tx.Exec("UPDATE tenants SET schema_version = schema_version + 1 WHERE id = ?", {p.tenant_id}).status());
    out = PoolJson(rows.rows.at(0));
    return events_.Append(tx, p.tenant_id, p.user_id, "pool.created", "pools", id, out).status();
  }));
  return out;
}

Result<json> LeadPools::Update(const Principal& p, const std::string& id, const json& body) {
  if (!p.Can(kManage)) return Forbidden();
  if (!body.is_object())
    return Status::Error(ErrorKind::kInvalidArgument, "request.body_not_object",
                         "request body must be a JSON object", "请求体必须是 JSON 对象");
  static const std::set<std::string> kKeys = {"name", "description", "is_default", "rules", "enabled"};
  for (auto it = body.begin(); it != body.end(); ++it)
    if (!kKeys.count(it.key()))
      return Invalid(it.key(), "unknown field '" + it.key() + "'", "未知字段 '" + it.key() + "'", "validation.unknown_field");
  LF_ASSIGN(json rules, ValidateRules(body));
  json out;
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_ASSIGN(Pool pool, LoadPool(tx.conn(), p.tenant_id, id));
    for (auto it = rules.begin(); it != rules.end(); ++it) pool.rules[it.key()] = *it;
    LF_TRY(CheckWarning(pool.rules));
    std::string name = body.contains("name") && body["name"].is_string() ? body["name"].get<std::string>() : pool.name;
    if (name.empty() || Utf8Length(name) > 100) return Invalid("name", "name must be 1–100 characters", "名称长度须为 1–100");
    bool is_default = body.contains("is_default") ? body["is_default"].get<bool>() : pool.is_default;
    if (is_default && !pool.is_default)
      LF_TRY(tx.Exec("UPDATE pools SET is_default = 0 WHERE tenant_id = ?", {p.tenant_id}).status());
    LF_TRY(tx.Exec("UPDATE pools SET name = ?, is_default = ?, rules = ?, enabled = ?, updated_at = ? "
                   "WHERE tenant_id = ? AND id = ?",
                   {name, int64_t(is_default), pool.rules.dump(),
                    int64_t(body.contains("enabled") ? body["enabled"].get<bool>() : pool.enabled),
                    clock_.NowMs(), p.tenant_id, id})
               .status());
    if (body.contains("description"))
      LF_TRY(tx.Exec("UPDATE pools SET description = ? WHERE tenant_id = ? AND id = ?",
                     {body["description"].is_string() ? Value(body["description"].get<std::string>()) : Value(nullptr),
                      p.tenant_id, id})
                 .status());
    LF_ASSIGN(auto rows, tx.Query(std::string("SELECT ") + kPoolColumns + " FROM pools WHERE tenant_id = ? AND id = ?",
                                  {p.tenant_id, id}));
    // LeadService caches the pools (their manual entry switch) per schema_version.
    LF_TRY(tx.Exec("UPDATE tenants SET schema_version = schema_version + 1 WHERE id = ?", {p.tenant_id}).status());
    out = PoolJson(rows.rows.at(0));
    return events_.Append(tx, p.tenant_id, p.user_id, "pool.updated", "pools", id, {{"changes", body}}).status();
  }));
  return out;
}

Result<json> LeadPools::Release(const Principal& p, const std::string& lead_id, const json& body) {
  if (!body.is_object())
    return Status::Error(ErrorKind::kInvalidArgument, "request.body_not_object",
                         "request body must be a JSON object", "请求体必须是 JSON 对象");
  for (auto it = body.begin(); it != body.end(); ++it)
    if ((it.key() != "pool_id" && it.key() != "reason") || !it->is_string())
      return Invalid(it.key(), "only string pool_id and reason are accepted", "只接受字符串 pool_id 和 reason",
                     "validation.unknown_field");
  if (!IsUuid(lead_id)) return LeadNotFound();
  int64_t now = clock_.NowMs();
  json out;
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_ASSIGN(auto rows, tx.Query("SELECT owner_id, pool_id, archived_at, home_pool_id FROM leads WHERE "
                                  "tenant_id = ? AND id = ?",
                                  {p.tenant_id, lead_id}));
    if (rows.empty()) return LeadNotFound();
    const Row& r = rows.rows[0];
    if (!IsNull(r[2])) return Refused("record.archived", "the lead is archived", "线索已归档");
    if (!IsNull(r[1])) return Refused("pool.already_in_pool", "the lead is already in a pool", "线索已在公海中");
    std::string owner = AsText(r[0]);
    if (owner != p.user_id && !p.Can(kManage))
      return Status::Error(ErrorKind::kPermissionDenied, "access.forbidden",
                           "only the owner or a pool manager can release a lead", "只有负责人或公海管理员可以放入公海");
    std::string pool_id = body.value("pool_id", IsNull(r[3]) ? std::string() : AsText(r[3]));
    LF_ASSIGN(Pool pool, LoadPool(tx.conn(), p.tenant_id, pool_id));
    LF_TRY(tx.Exec("UPDATE leads SET last_owner_id = owner_id, owner_id = NULL, pool_id = ?, pooled_at = ?, "
                   "home_pool_id = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE tenant_id = ? AND id = ?",
                   {pool.id, now, pool.id, now, p.user_id, p.tenant_id, lead_id})
               .status());
    LF_TRY(events_.Append(tx, p.tenant_id, p.user_id, "lead.released", "leads", lead_id,
                          {{"reason", body.value("reason", "")},
                           {"pool_id", pool.id},
                           {"changes", json::array({{{"field", "owner_id"}, {"old", owner.empty() ? json(nullptr) : json(owner)}, {"new", nullptr}},
                                                    {{"field", "pool_id"}, {"old", nullptr}, {"new", pool.id}}})}})
               .status());
    LF_ASSIGN(out, records_.Load(tx.conn(), p, "leads", lead_id));
    return Status::Ok();
  }));
  return out;
}

Result<json> LeadPools::Claim(const Principal& p, const std::string& lead_id, const std::string& pool_id) {
  if (!IsUuid(lead_id)) return LeadNotFound();
  int64_t now = clock_.NowMs();
  json out;
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_ASSIGN(auto rows, tx.Query("SELECT pool_id, last_owner_id, pooled_at, archived_at FROM leads WHERE "
                                  "tenant_id = ? AND id = ?",
                                  {p.tenant_id, lead_id}));
    if (rows.empty()) return LeadNotFound();
    const Row& r = rows.rows[0];
    if (!IsNull(r[3])) return Refused("record.archived", "the lead is archived", "线索已归档");
    if (IsNull(r[0]) || (!pool_id.empty() && AsText(r[0]) != pool_id))
      return Refused("pool.not_in_pool", "the lead is not in this pool (someone may have claimed it)",
                     "线索不在该公海中(可能已被他人领取)");
    LF_ASSIGN(Pool pool, LoadPool(tx.conn(), p.tenant_id, AsText(r[0])));
    if (!pool.enabled) return Refused("pool.disabled", "this pool is closed for claims", "该公海已停止领取");
    // Cooldown: the previous owner waits N calendar days (tenant zone) after the release.
    if (auto days = RuleInt(pool.rules, "cooldown_days"); days && *days > 0 && AsText(r[1]) == p.user_id) {
      int64_t allowed_from = StartOfLocalDay(AsInt(r[2]), p.zone, -int(*days));
      if (now < allowed_from)
        return Refused("pool.cooldown",
                       "you released this lead; you may claim it again from " + FormatRfc3339(allowed_from, p.zone),
                       "您刚放弃该线索," + LocalDate(allowed_from, p.zone) + " 起才能再次领取");
    }
    if (auto quota = RuleInt(pool.rules, "daily_claim_quota")) {
      LF_ASSIGN(auto n, tx.Query("SELECT COUNT(*) FROM pool_claims WHERE tenant_id = ? AND user_id = ? AND "
                                 "pool_id = ? AND at >= ?",
                                 {p.tenant_id, p.user_id, pool.id, StartOfLocalDay(now, p.zone, 0)}));
      if (AsInt(n.rows[0][0]) >= *quota)
        return Refused("pool.quota_reached", "today's claim quota (" + std::to_string(*quota) + ") is used up",
                       "今日领取次数已达上限(" + std::to_string(*quota) + " 条)");
    }
    if (auto cap = RuleInt(pool.rules, "hold_cap_person")) {
      LF_ASSIGN(auto n, tx.Query(std::string("SELECT COUNT(*) FROM leads WHERE tenant_id = ? AND owner_id = ? AND ") +
                                     kOpenLead,
                                 {p.tenant_id, p.user_id}));
      if (AsInt(n.rows[0][0]) >= *cap)
        return Refused("pool.hold_cap", "you already hold " + std::to_string(AsInt(n.rows[0][0])) + " open leads (cap " +
                                            std::to_string(*cap) + ")",
                       "您持有的未成交线索已达上限(" + std::to_string(*cap) + " 条)");
    }
    if (auto cap = RuleInt(pool.rules, "hold_cap_department"); cap && !p.department_id.empty()) {
      LF_ASSIGN(auto n, tx.Query(std::string("SELECT COUNT(*) FROM leads WHERE tenant_id = ? AND owner_id IN "
                                             "(SELECT id FROM users WHERE tenant_id = ? AND department_id = ?) AND ") +
                                     kOpenLead,
                                 {p.tenant_id, p.tenant_id, p.department_id}));
      if (AsInt(n.rows[0][0]) >= *cap)
        return Refused("pool.department_cap", "your department holds its cap of open leads (" + std::to_string(*cap) + ")",
                       "所在部门持有的未成交线索已达上限(" + std::to_string(*cap) + " 条)");
    }
    LF_ASSIGN(int64_t n, tx.Exec("UPDATE leads SET pool_id = NULL, pooled_at = NULL WHERE tenant_id = ? AND id = ? "
                                 "AND pool_id IS NOT NULL",
                                 {p.tenant_id, lead_id}));
    if (n != 1) return Refused("pool.not_in_pool", "someone claimed this lead first", "该线索已被他人领取");
    LF_TRY(tx.Exec("INSERT INTO pool_claims (tenant_id, pool_id, lead_id, user_id, at) VALUES (?, ?, ?, ?, ?)",
                   {p.tenant_id, pool.id, lead_id, p.user_id, now})
               .status());
    LF_TRY(events_.Append(tx, p.tenant_id, p.user_id, "lead.claimed", "leads", lead_id,
                          {{"pool_id", pool.id},
                           {"changes", json::array({{{"field", "pool_id"}, {"old", pool.id}, {"new", nullptr}}})}})
               .status());
    LF_TRY(assignment_.Apply(tx, p, lead_id, p.user_id, {{"kind", "claim"}, {"pool_id", pool.id}}));
    LF_ASSIGN(out, records_.Load(tx.conn(), p, "leads", lead_id));
    return Status::Ok();
  }));
  return out;
}

Result<json> LeadPools::Transfer(const Principal& p, const std::string& lead_id, const json& body,
                                 const std::string& from_pool_id) {
  if (!p.Can(kManage)) return Forbidden();
  if (!body.is_object() || !body.contains("pool_id") || !body["pool_id"].is_string() || body.size() != 1)
    return Invalid("pool_id", "pool_id is required (and nothing else)", "请选择目标公海", "validation.required");
  if (!IsUuid(lead_id)) return LeadNotFound();
  json out;
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_ASSIGN(Pool target, LoadPool(tx.conn(), p.tenant_id, body["pool_id"].get<std::string>()));
    LF_ASSIGN(auto rows, tx.Query("SELECT pool_id FROM leads WHERE tenant_id = ? AND id = ?", {p.tenant_id, lead_id}));
    if (rows.empty()) return LeadNotFound();
    if (IsNull(rows.rows[0][0]) || (!from_pool_id.empty() && AsText(rows.rows[0][0]) != from_pool_id))
      return Refused("pool.not_in_pool", "the lead is not in this pool", "线索不在该公海中");
    if (AsText(rows.rows[0][0]) == target.id)
      return Refused("pool.same_pool", "the lead is already in that pool", "线索已在该公海中");
    std::string from = AsText(rows.rows[0][0]);
    LF_TRY(tx.Exec("UPDATE leads SET pool_id = ?, home_pool_id = ?, version = version + 1 WHERE tenant_id = ? AND id = ?",
                   {target.id, target.id, p.tenant_id, lead_id})
               .status());
    LF_TRY(events_.Append(tx, p.tenant_id, p.user_id, "lead.transferred", "leads", lead_id,
                          {{"changes", json::array({{{"field", "pool_id"}, {"old", from}, {"new", target.id}}})}})
               .status());
    LF_ASSIGN(out, records_.Load(tx.conn(), p, "leads", lead_id));
    return Status::Ok();
  }));
  return out;
}

LeadPools::Due LeadPools::DueQuery(const Principal& p, const Pool& pool, int64_t followup_cutoff,
                                   int64_t opportunity_cutoff) {
  Due d;
  d.where = std::string("tenant_id = ? AND owner_id IS NOT NULL AND pool_id IS NULL AND ") + kOpenLead +
            " AND (home_pool_id = ? OR (home_pool_id IS NULL AND ? = 1)) AND (1 = 0";
  d.params = {p.tenant_id, pool.id, int64_t(pool.is_default)};
  if (RuleInt(pool.rules, "reclaim_days_without_followup")) {
    // Never followed up: counted from the assignment (or creation), never "infinitely overdue".
    d.where += " OR COALESCE(last_followup_at, assigned_at, created_at) < ?";
    d.params.push_back(followup_cutoff);
  }
  if (RuleInt(pool.rules, "reclaim_days_without_opportunity")) {
    d.where += " OR (COALESCE(assigned_at, created_at) < ? AND NOT EXISTS (SELECT 1 FROM opportunities o WHERE "
               "o.tenant_id = leads.tenant_id AND o.lead_id = leads.id AND o.archived_at IS NULL))";
    d.params.push_back(opportunity_cutoff);
  }
  d.where += ")";
  return d;
}

Result<json> LeadPools::ReclaimPreview(const Principal& p, const std::string& pool_id) {
  if (!p.Can(kManage)) return Forbidden();
  json out;
  int64_t now = clock_.NowMs();
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(Pool pool, LoadPool(c, p.tenant_id, pool_id));
    int64_t nf = RuleInt(pool.rules, "reclaim_days_without_followup").value_or(0);
    int64_t no = RuleInt(pool.rules, "reclaim_days_without_opportunity").value_or(0);
    int64_t warn = RuleInt(pool.rules, "warn_days_ahead").value_or(0);
    Due due = DueQuery(p, pool, StartOfLocalDay(now, p.zone, int(nf)), StartOfLocalDay(now, p.zone, int(no)));
    Due soon = DueQuery(p, pool, StartOfLocalDay(now, p.zone, int(std::max<int64_t>(0, nf - warn))),
                        StartOfLocalDay(now, p.zone, int(std::max<int64_t>(0, no - warn))));
    auto list = [&](const Due& d, const std::string& extra, std::vector<Value> extra_params) -> Result<json> {
      std::vector<Value> params = d.params;
      params.insert(params.end(), extra_params.begin(), extra_params.end());
      LF_ASSIGN(auto rows, c.Query("SELECT id, name, owner_id, COALESCE(last_followup_at, assigned_at, created_at) "
                                   "FROM leads WHERE " + d.where + extra + " ORDER BY 4 LIMIT 500",
                                   params));
      json items = json::array();
      for (auto& r : rows.rows)
        items.push_back({{"id", AsText(r[0])}, {"name", AsText(r[1])}, {"owner_id", AsText(r[2])},
                         {"last_activity_at", FormatRfc3339(AsInt(r[3]), p.zone)}});
      return items;
    };
    LF_ASSIGN(json due_items, list(due, "", {}));
    std::vector<Value> not_due = due.params;
    LF_ASSIGN(json warn_items, warn > 0 ? list(soon, " AND NOT (" + due.where + ")", not_due) : Result<json>(json::array()));
    out = {{"pool_id", pool.id},
           {"due", std::move(due_items)},
           {"warning", std::move(warn_items)},
           {"followup_cutoff", nf ? json(FormatRfc3339(StartOfLocalDay(now, p.zone, int(nf)), p.zone)) : json(nullptr)},
           {"opportunity_cutoff", no ? json(FormatRfc3339(StartOfLocalDay(now, p.zone, int(no)), p.zone)) : json(nullptr)}};
    return Status::Ok();
  }));
  return out;
}

Result<json> LeadPools::Reclaim(const Principal& p, const std::string& pool_id) {
  if (!p.Can(kManage)) return Forbidden();
  int64_t now = clock_.NowMs();
  int64_t count = 0;
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_ASSIGN(Pool pool, LoadPool(tx.conn(), p.tenant_id, pool_id));
    int64_t nf = RuleInt(pool.rules, "reclaim_days_without_followup").value_or(0);
    int64_t no = RuleInt(pool.rules, "reclaim_days_without_opportunity").value_or(0);
    Due due = DueQuery(p, pool, StartOfLocalDay(now, p.zone, int(nf)), StartOfLocalDay(now, p.zone, int(no)));
    std::vector<Value> params{pool.id, now, pool.id, now, p.user_id};
    params.insert(params.end(), due.params.begin(), due.params.end());
    LF_ASSIGN(auto rows, tx.Query("UPDATE leads SET last_owner_id = owner_id, owner_id = NULL, pool_id = ?, "
                                  "pooled_at = ?, home_pool_id = ?, version = version + 1, updated_at = ?, "
                                  "updated_by = ? WHERE " + due.where + " RETURNING id, last_owner_id",
                                  params));
    count = int64_t(rows.rows.size());
    for (auto& r : rows.rows)
      LF_TRY(events_.Append(tx, p.tenant_id, p.user_id, "lead.reclaimed", "leads", AsText(r[0]),
                            {{"pool_id", pool.id},
                             {"reason", {{"reclaim_days_without_followup", nf ? json(nf) : json(nullptr)},
                                         {"reclaim_days_without_opportunity", no ? json(no) : json(nullptr)}}},
                             {"changes", json::array({{{"field", "owner_id"}, {"old", AsText(r[1])}, {"new", nullptr}},
                                                      {{"field", "pool_id"}, {"old", nullptr}, {"new", pool.id}}})}})
                 .status());
    return Status::Ok();
  }));
  return json{{"reclaimed", count}};
}

}  // namespace lf
