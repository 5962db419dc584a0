// Implements access/access_service.h.
#include "access/access_service.h"

#include <algorithm>
#include <regex>

#include "base/crypto.h"
#include "base/strings.h"
#include "base/time.h"

namespace lf {
namespace {

using json = nlohmann::json;

Status NeedManage() {
  return Status::Error(ErrorKind::kPermissionDenied, "access.forbidden",
                       "this needs the permission 'access.manage'", "需要权限 'access.manage'");
}
Status NotFound(const std::string& what) {
  return Status::Error(ErrorKind::kNotFound, "record.not_found", what + " not found", "记录不存在");
}
Status Bad(const std::string& field, const std::string& en, const std::string& zh) {
  return Status::Error(ErrorKind::kValidation, "validation.bad_value", en, zh, field);
}
json Opt(const Value& v) { return IsNull(v) ? json(nullptr) : json(AsText(v)); }
json OptTime(const Value& v, const TimeZone* z) {
  return IsNull(v) ? json(nullptr) : json(FormatRfc3339(AsInt(v), z));
}

// A positive integer from 1 to `max` in body[key], or `def` when absent.
Result<int64_t> Hours(const json& body, const char* key, int64_t def, int64_t max) {
  if (!body.contains(key)) return def;
  if (!body[key].is_number_integer() || body[key].get<int64_t>() < 1 || body[key].get<int64_t>() > max)
    return Bad(key, std::string(key) + " must be an integer from 1 to " + std::to_string(max),
               std::string(key) + " 须为 1–" + std::to_string(max) + " 的整数");
  return body[key].get<int64_t>();
}

Result<std::string> Text(const json& body, const char* key, bool required, size_t max = 500) {
  if (!body.contains(key) || body[key].is_null()) {
    if (required) return Bad(key, std::string(key) + " is required", std::string(key) + " 必填");
    return std::string();
  }
  if (!body[key].is_string() || Utf8Length(body[key].get<std::string>()) > max)
    return Bad(key, std::string(key) + " must be text up to " + std::to_string(max) + " characters",
               std::string(key) + " 须为不超过 " + std::to_string(max) + " 字的文本");
  std::string s = body[key].get<std::string>();
  if (required && s.empty()) return Bad(key, std::string(key) + " is required", std::string(key) + " 必填");
  return s;
}

Status OnlyKeys(const json& body, std::initializer_list<const char*> keys) {
  if (!body.is_object()) return Bad("", "the body must be a JSON object", "请求体须为 JSON 对象");
  for (auto it = body.begin(); it != body.end(); ++it)
    if (std::none_of(keys.begin(), keys.end(), [&](const char* k) { return it.key() == k; }))
      return Status::Error(ErrorKind::kValidation, "validation.unknown_field",
                           "unknown field '" + it.key() + "'", "未知字段 '" + it.key() + "'", it.key());
  return Status::Ok();
}

// The record exists in the tenant and meets `can` (the caller's predicate), else 404 (never 403:
// existence is not confirmed). Inside the write that depends on it.
Status RequireRecord(Tx& tx, const std::string& tenant_id, const std::string& entity,
                     const std::string& record_id, const SqlClause& can) {
  if (!IsUuid(record_id)) return NotFound("record");
  std::vector<Value> params{tenant_id, record_id};
  params.insert(params.end(), can.params.begin(), can.params.end());
  LF_ASSIGN(auto rec, tx.Query("SELECT 1 FROM " + entity + " WHERE tenant_id = ? AND id = ?" +
                                   (can.sql.empty() ? "" : " AND (" + can.sql + ")"),
                               params));
  return rec.empty() ? NotFound("record") : Status::Ok();
}

// Lists `columns` of `table`, newest first (500 at most): all of the tenant's rows for access
// managers, otherwise the rows where one of `mine` (user-id columns) names the caller.
Result<json> ListMineOrAll(Database& db, const Principal& p, const std::string& table, const char* columns,
                           const std::vector<std::string>& mine,
                           const std::function<json(const Row&)>& render) {
  json items = json::array();
  std::string where = "tenant_id = ?";
  std::vector<Value> params{p.tenant_id};
  if (!p.Can(kPermAccessManage)) {
    std::string any;
    for (const auto& col : mine) {
      any += (any.empty() ? "" : " OR ") + col + " = ?";
      params.push_back(p.user_id);
    }
    where += " AND (" + any + ")";
  }
  LF_TRY(db.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query(std::string("SELECT ") + columns + " FROM " + table + " WHERE " + where +
                                     " ORDER BY created_at DESC, id DESC LIMIT 500",
                                 params));
    for (const auto& r : rows.rows) items.push_back(render(r));
    return Status::Ok();
  }));
  return json{{"items", std::move(items)}};
}

constexpr const char* kPurposes[] = {"police_filing", "quality_trace", "tender", "other"};

constexpr const char* kGrantColumns =
    "id, entity, record_id, grantee_id, mode, relations, reason, expires_at, revoked_at, "
    "granted_by, created_at";
constexpr const char* kRequestColumns =
    "id, requester_id, entity, record_id, fields, purpose, purpose_text, approver_id, "
    "duration_hours, status, decided_at, decision_note, expires_at, created_at";

json GrantJson(const Row& r, const TimeZone* z, int64_t now) {
  bool live = IsNull(r[8]) && AsInt(r[7]) > now;
  return {{"id", AsText(r[0])},          {"entity", AsText(r[1])},
          {"record_id", AsText(r[2])},   {"grantee_id", AsText(r[3])},
          {"mode", AsText(r[4])},        {"relations", json::parse(AsText(r[5]), nullptr, false)},
          {"reason", Opt(r[6])},         {"expires_at", FormatRfc3339(AsInt(r[7]), z)},
          {"revoked_at", OptTime(r[8], z)}, {"granted_by", AsText(r[9])},
          {"created_at", FormatRfc3339(AsInt(r[10]), z)},
          {"state", !IsNull(r[8]) ? "revoked" : live ? "active" : "expired"}};
}

json RequestJson(const Row& r, const TimeZone* z, int64_t now) {
  std::string status = AsText(r[9]);
  if (status == "approved" && !IsNull(r[12]) && AsInt(r[12]) <= now) status = "expired";
  return {{"id", AsText(r[0])},          {"requester_id", AsText(r[1])},
          {"entity", AsText(r[2])},      {"record_id", AsText(r[3])},
          {"fields", json::parse(AsText(r[4]), nullptr, false)},
          {"purpose", AsText(r[5])},     {"purpose_text", Opt(r[6])},
          {"approver_id", AsText(r[7])}, {"hours", AsInt(r[8])},
          {"status", status},            {"decided_at", OptTime(r[10], z)},
          {"decision_note", Opt(r[11])}, {"expires_at", OptTime(r[12], z)},
          {"created_at", FormatRfc3339(AsInt(r[13]), z)}};
}

}  // namespace

// ---------------------------------------------------------------- compiled policies

Result<std::shared_ptr<const AccessPolicy>> AccessService::For(const Principal& p) {
  std::string key = p.tenant_id + "/" + p.user_id;
  if (p.policy_version > 0) {
    std::lock_guard lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.version == p.policy_version &&
        it->second.schema_version == p.schema_version)
      return it->second.policy;
  }
  LF_ASSIGN(auto policy, Compile(p));
  if (p.policy_version > 0) {
    std::lock_guard lock(mu_);
    if (cache_.size() > 20000) cache_.clear();
    cache_[key] = Cached{p.policy_version, p.schema_version, policy};
  }
  return policy;
}

Result<std::shared_ptr<const AccessPolicy>> AccessService::Compile(const Principal& p) {
  LF_ASSIGN(auto schema, SchemaFor(p));
  PolicySubject subject;
  subject.tenant_id = p.tenant_id;
  subject.user_id = p.user_id;
  RoleRights rights;
  std::vector<AccessRule> rules;
  std::vector<Grant> grants;
  std::vector<Unmask> unmasks;
  std::map<std::string, std::set<std::string>> sensitive;
  int64_t now = clock_.NowMs();
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    // The role's permissions are read here, not taken from the principal: a long-lived caller
    // (a live stream) keeps the principal it connected with, and a demoted or disabled user must
    // lose access at the next policy version all the same.
    LF_ASSIGN(auto u, c.Query("SELECT u.role, u.department_id, d.path, r.entity_access, r.permissions FROM users u "
                              "LEFT JOIN departments d ON d.tenant_id = u.tenant_id AND d.id = "
                              "u.department_id LEFT JOIN roles r ON r.tenant_id = u.tenant_id AND "
                              "r.name = u.role WHERE u.tenant_id = ? AND u.id = ? AND u.status = 'active'",
                              {p.tenant_id, p.user_id}));
    if (u.empty()) return Status::Error(ErrorKind::kUnauthenticated, "auth.unknown_user", "unknown or disabled user", "用户不存在或已停用");
    subject.permissions.clear();
    if (!IsNull(u.rows[0][4]))
      for (const auto& x : json::parse(AsText(u.rows[0][4]), nullptr, false))
        if (x.is_string()) subject.permissions.insert(x.get<std::string>());
    subject.role = AsText(u.rows[0][0]);
    subject.department_id = IsNull(u.rows[0][1]) ? "" : AsText(u.rows[0][1]);
    subject.department_path = IsNull(u.rows[0][2]) ? "" : AsText(u.rows[0][2]);
    if (!IsNull(u.rows[0][3])) {
      auto parsed = ParseRoleRights(json::parse(AsText(u.rows[0][3]), nullptr, false), *schema);
      if (parsed.ok()) rights = std::move(parsed).value();  // a role naming a since-removed field keeps no rights
    }
    // Transitive reports along manager_id.
    LF_ASSIGN(auto all, c.Query("SELECT u.id, u.manager_id, d.path FROM users u LEFT JOIN departments d ON "
                                "d.tenant_id = u.tenant_id AND d.id = u.department_id WHERE u.tenant_id = ?",
                                {p.tenant_id}));
    std::multimap<std::string, std::string> reports;
    auto paths = std::make_shared<std::unordered_map<std::string, std::string>>();
    for (const auto& r : all.rows) {
      if (!IsNull(r[1])) reports.emplace(AsText(r[1]), AsText(r[0]));
      (*paths)[AsText(r[0])] = IsNull(r[2]) ? "" : AsText(r[2]);
    }
    subject.user_paths = std::move(paths);
    std::vector<std::string> frontier{p.user_id};
    std::set<std::string> seen{p.user_id};
    while (!frontier.empty()) {
      std::string m = frontier.back();
      frontier.pop_back();
      auto [b, e] = reports.equal_range(m);
      for (auto it = b; it != e; ++it)
        if (seen.insert(it->second).second) {
          subject.subordinates.push_back(it->second);
          frontier.push_back(it->second);
        }
    }
    LF_ASSIGN(auto rr, c.Query("SELECT id, name, entity, match, allow, enabled FROM access_rules "
                               "WHERE tenant_id = ? AND enabled = 1 ORDER BY created_at, id",
                               {p.tenant_id}));
    for (const auto& r : rr.rows) {
      json body = {{"name", AsText(r[1])},
                   {"entity", AsText(r[2])},
                   {"match", json::parse(AsText(r[3]), nullptr, false)},
                   {"allow", json::parse(AsText(r[4]), nullptr, false)}};
      auto rule = ParseAccessRule(body, *schema);
      if (!rule.ok()) continue;
      rule->id = AsText(r[0]);
      rules.push_back(std::move(rule).value());
    }
    LF_ASSIGN(auto gr, c.Query("SELECT id, entity, record_id, mode, relations, expires_at FROM grants "
                               "WHERE tenant_id = ? AND grantee_id = ? AND expires_at > ? AND "
                               "revoked_at IS NULL",
                               {p.tenant_id, p.user_id, now}));
    for (const auto& r : gr.rows) {
      Grant g{AsText(r[0]), AsText(r[1]), AsText(r[2]), AsText(r[3]), {}, AsInt(r[5])};
      auto rel = json::parse(AsText(r[4]), nullptr, false);
      if (rel.is_array())
        for (const auto& x : rel)
          if (x.is_string()) g.relations.push_back(x.get<std::string>());
      grants.push_back(std::move(g));
    }
    LF_ASSIGN(auto ar, c.Query("SELECT id, entity, record_id, fields, expires_at FROM access_requests "
                               "WHERE tenant_id = ? AND requester_id = ? AND status = 'approved' AND "
                               "expires_at > ?",
                               {p.tenant_id, p.user_id, now}));
    for (const auto& r : ar.rows) {
      Unmask m{AsText(r[0]), AsText(r[1]), AsText(r[2]), {}, AsInt(r[4])};
      auto f = json::parse(AsText(r[3]), nullptr, false);
      if (f.is_array())
        for (const auto& x : f)
          if (x.is_string()) m.fields.insert(x.get<std::string>());
      unmasks.push_back(std::move(m));
    }
    LF_ASSIGN(auto sf, c.Query("SELECT entity, field FROM sensitive_fields WHERE tenant_id = ?", {p.tenant_id}));
    for (const auto& r : sf.rows) sensitive[AsText(r[0])].insert(AsText(r[1]));
    return Status::Ok();
  }));
  return std::make_shared<const AccessPolicy>(std::move(subject), std::move(rights), std::move(rules),
                                              std::move(grants), std::move(unmasks),
                                              std::move(sensitive));
}

Status AccessService::Changed(Tx& tx, const Principal& p, const std::string& type,
                              const std::string& entity, const std::string& id, const json& data,
                              const std::vector<std::string>& notify, const std::string& reason) {
  LF_TRY(BumpPolicyVersion(tx, p.tenant_id));
  LF_TRY(events_.Append(tx, p.tenant_id, p.user_id, type, entity, id, data).status());
  for (const auto& user : notify)
    LF_TRY(events_
               .Append(tx, p.tenant_id, p.user_id, "access.changed", "users", user,
                       {{"change", type}, {"reason", reason}, {"subject", entity + "/" + id}})
               .status());
  return Status::Ok();
}

// ---------------------------------------------------------------- roles

Result<json> AccessService::ListRoles(const Principal& p) {
  json items = json::array();
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query("SELECT name, label_zh, label_en, permissions, entity_access FROM "
                                 "roles WHERE tenant_id = ? ORDER BY name",
                                 {p.tenant_id}));
    for (const auto& r : rows.rows)
      items.push_back({{"name", AsText(r[0])},
                       {"label_zh", AsText(r[1])},
                       {"label_en", AsText(r[2])},
                       {"permissions", json::parse(AsText(r[3]), nullptr, false)},
                       {"entity_access", IsNull(r[4]) ? json::object()
                                                      : json::parse(AsText(r[4]), nullptr, false)}});
    return Status::Ok();
  }));
  return json{{"items", std::move(items)}};
}

namespace {
Result<json> Permissions(const json& body) {
  if (!body.contains("permissions")) return json::array();
  const json& v = body["permissions"];
  if (!v.is_array()) return Bad("permissions", "permissions must be a list", "permissions 须为列表");
  for (const auto& x : v)
    if (!x.is_string() || x.get<std::string>().empty() || x.get<std::string>().size() > 100)
      return Bad("permissions", "permissions must be names", "permissions 须为权限名列表");
  return v;
}
}  // namespace

Result<json> AccessService::CreateRole(const Principal& p, const json& body) {
  if (!p.Can(kPermAccessManage)) return NeedManage();
  LF_TRY(OnlyKeys(body, {"name", "label_zh", "label_en", "permissions", "entity_access"}));
  LF_ASSIGN(std::string name, Text(body, "name", true, 50));
  static const std::regex kName("[a-z][a-z0-9_]{0,49}");
  if (!std::regex_match(name, kName))
    return Bad("name", "name must be lower-case letters, digits and _", "name 须为小写字母、数字和下划线");
  LF_ASSIGN(std::string zh, Text(body, "label_zh", true, 100));
  LF_ASSIGN(std::string en, Text(body, "label_en", false, 100));
  LF_ASSIGN(json perms, Permissions(body));
  LF_ASSIGN(auto schema, SchemaFor(p));
  LF_ASSIGN(RoleRights rights, ParseRoleRights(body.value("entity_access", json::object()), *schema));
  json out = {{"name", name}, {"label_zh", zh}, {"label_en", en.empty() ? name : en},
              {"permissions", perms}, {"entity_access", RoleRightsToJson(rights)}};
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_ASSIGN(auto taken, tx.Query("SELECT 1 FROM roles WHERE tenant_id = ? AND name = ?", {p.tenant_id, name}));
    if (!taken.empty())
      return Status::Error(ErrorKind::kConflict, "role.exists", "role '" + name + "' exists",
                           "角色 '" + name + "' 已存在", "name");
    LF_TRY(tx.Exec(std::string("INSERT INTO roles (tenant_id, name, label_zh, label_en, permissions, "
                               "entity_access) VALUES (?, ?, ?, ?, ") +
                       tx.dialect().JsonParam() + ", " + tx.dialect().JsonParam() + ")",
                   {p.tenant_id, name, zh, out["label_en"].get<std::string>(), perms.dump(),
                    out["entity_access"].dump()})
               .status());
    return Changed(tx, p, "role.created", "roles", name, out, {}, "");
  }));
  return out;
}

Result<json> AccessService::UpdateRole(const Principal& p, const std::string& name, const json& body) {
  if (!p.Can(kPermAccessManage)) return NeedManage();
  LF_TRY(OnlyKeys(body, {"label_zh", "label_en", "permissions", "entity_access", "reason"}));
  LF_ASSIGN(auto schema, SchemaFor(p));
  std::optional<RoleRights> rights;
  if (body.contains("entity_access")) {
    LF_ASSIGN(auto parsed, ParseRoleRights(body["entity_access"], *schema));
    rights = std::move(parsed);
  }
  std::optional<json> perms;
  if (body.contains("permissions")) {
    LF_ASSIGN(auto parsed, Permissions(body));
    perms = std::move(parsed);
  }
  LF_ASSIGN(std::string reason, Text(body, "reason", false));
  return db_.WriteResult<json>([&](Tx& tx) -> Result<json> {
    LF_ASSIGN(auto rows, tx.Query("SELECT label_zh, label_en, permissions, entity_access FROM roles "
                                  "WHERE tenant_id = ? AND name = ?",
                                  {p.tenant_id, name}));
    if (rows.empty()) return NotFound("role");
    const Row& r = rows.rows[0];
    json before = {{"permissions", json::parse(AsText(r[2]), nullptr, false)},
                   {"entity_access", IsNull(r[3]) ? json::object() : json::parse(AsText(r[3]), nullptr, false)}};
    json out = {{"name", name},
                {"label_zh", body.value("label_zh", AsText(r[0]))},
                {"label_en", body.value("label_en", AsText(r[1]))},
                {"permissions", perms ? *perms : before["permissions"]},
                {"entity_access", rights ? RoleRightsToJson(*rights) : before["entity_access"]}};
    if (!out["label_zh"].is_string() || !out["label_en"].is_string())
      return Bad("label_zh", "labels must be text", "名称须为文本");
    LF_TRY(tx.Exec(std::string("UPDATE roles SET label_zh = ?, label_en = ?, permissions = ") +
                       tx.dialect().JsonParam() + ", entity_access = " + tx.dialect().JsonParam() +
                       " WHERE tenant_id = ? AND name = ?",
                   {out["label_zh"].get<std::string>(), out["label_en"].get<std::string>(),
                    out["permissions"].dump(), out["entity_access"].dump(), p.tenant_id, name})
               .status());
    LF_ASSIGN(auto users, tx.Query("SELECT id FROM users WHERE tenant_id = ? AND role = ?", {p.tenant_id, name}));
    std::vector<std::string> notify;
    for (const auto& u : users.rows) notify.push_back(AsText(u[0]));
    LF_TRY(Changed(tx, p, "role.updated", "roles", name,
                   {{"before", before},
                    {"after", {{"permissions", out["permissions"]}, {"entity_access", out["entity_access"]}}},
                    {"reason", reason}},
                   notify, reason.empty() ? "角色「" + out["label_zh"].get<std::string>() + "」的权限已调整" : reason));
    return out;
  });
}

// ---------------------------------------------------------------- restricting rules

Result<json> AccessService::ListRules(const Principal& p) {
  if (!p.Can(kPermAccessManage)) return NeedManage();
  json items = json::array();
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query("SELECT id, name, entity, match, allow, enabled FROM access_rules "
                                 "WHERE tenant_id = ? ORDER BY created_at, id",
                                 {p.tenant_id}));
    for (const auto& r : rows.rows)
      items.push_back({{"id", AsText(r[0])},
                       {"name", AsText(r[1])},
                       {"entity", AsText(r[2])},
                       {"match", json::parse(AsText(r[3]), nullptr, false)},
                       {"allow", json::parse(AsText(r[4]), nullptr, false)},
                       {"enabled", AsInt(r[5]) != 0}});
    return Status::Ok();
  }));
  return json{{"items", std::move(items)}};
}

Result<json> AccessService::CreateRule(const Principal& p, const json& body) {
  if (!p.Can(kPermAccessManage)) return NeedManage();
  LF_ASSIGN(auto schema, SchemaFor(p));
  LF_ASSIGN(AccessRule rule, ParseAccessRule(body, *schema));
  int64_t now = clock_.NowMs();
  rule.id = UuidV7(now);
  json out = AccessRuleToJson(rule);
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_TRY(tx.Exec(std::string("INSERT INTO access_rules (tenant_id, id, name, entity, match, allow, "
                               "enabled, created_at, updated_at, created_by) VALUES (?, ?, ?, ?, ") +
                       tx.dialect().JsonParam() + ", " + tx.dialect().JsonParam() + ", ?, ?, ?, ?)",
                   {p.tenant_id, rule.id, rule.name, rule.entity, out["match"].dump(),
                    out["allow"].dump(), int64_t(rule.enabled), now, now, p.user_id})
               .status());
    return Changed(tx, p, "access_rule.created", "access_rules", rule.id, out, {}, "");
  }));
  return out;
}

Result<json> AccessService::UpdateRule(const Principal& p, const std::string& id, const json& body) {
  if (!p.Can(kPermAccessManage)) return NeedManage();
  if (!IsUuid(id)) return NotFound("rule");
  LF_ASSIGN(auto schema, SchemaFor(p));
  if (!body.is_object()) return Bad("", "the body must be a JSON object", "请求体须为 JSON 对象");
  int64_t now = clock_.NowMs();
  return db_.WriteResult<json>([&](Tx& tx) -> Result<json> {
    LF_ASSIGN(auto rows, tx.Query("SELECT name, entity, match, allow, enabled FROM access_rules "
                                  "WHERE tenant_id = ? AND id = ?",
                                  {p.tenant_id, id}));
    if (rows.empty()) return NotFound("rule");
    const Row& r = rows.rows[0];
    json merged = {{"name", AsText(r[0])},
                   {"entity", AsText(r[1])},
                   {"match", json::parse(AsText(r[2]), nullptr, false)},
                   {"allow", json::parse(AsText(r[3]), nullptr, false)},
                   {"enabled", AsInt(r[4]) != 0}};
    json before = merged;
    for (auto it = body.begin(); it != body.end(); ++it) merged[it.key()] = it.value();
    LF_ASSIGN(AccessRule rule, ParseAccessRule(merged, *schema));
    rule.id = id;
    json out = AccessRuleToJson(rule);
    LF_TRY(tx.Exec(std::string("UPDATE access_rules SET name = ?, entity = ?, match = ") +
                       tx.dialect().JsonParam() + ", allow = " + tx.dialect().JsonParam() +
                       ", enabled = ?, updated_at = ? WHERE tenant_id = ? AND id = ?",
                   {rule.name, rule.entity, out["match"].dump(), out["allow"].dump(),
                    int64_t(rule.enabled), now, p.tenant_id, id})
               .status());
    LF_TRY(Changed(tx, p, "access_rule.updated", "access_rules", id, {{"before", before}, {"after", out}}, {}, ""));
    return out;
  });
}

// ---------------------------------------------------------------- grants

Result<json> AccessService::ListGrants(const Principal& p) {
  int64_t now = clock_.NowMs();
  return ListMineOrAll(db_, p, "grants", kGrantColumns, {"grantee_id", "granted_by"},
                       [&](const Row& r) { return GrantJson(r, p.zone, now); });
}

Result<json> AccessService::CreateGrant(const Principal& p, const json& body) {
  LF_TRY(OnlyKeys(body, {"entity", "record_id", "grantee_id", "mode", "hours", "relations", "reason"}));
  LF_ASSIGN(std::string entity, Text(body, "entity", true, 50));
  LF_ASSIGN(std::string record_id, Text(body, "record_id", true, 50));
  LF_ASSIGN(std::string grantee, Text(body, "grantee_id", true, 50));
  LF_ASSIGN(std::string mode, Text(body, "mode", false, 10));
  if (mode.empty()) mode = "read";
  if (mode != "read" && mode != "write") return Bad("mode", "mode is read or write", "mode 须为 read 或 write");
  LF_ASSIGN(int64_t hours, Hours(body, "hours", 72, 24 * 90));
  LF_ASSIGN(std::string reason, Text(body, "reason", false));
  LF_ASSIGN(auto schema, SchemaFor(p));
  const TenantSchema::Entity* e = schema->Find(entity);
  if (!e) return Bad("entity", "unknown entity '" + entity + "'", "未知实体 '" + entity + "'");
  json relations = json::array();
  if (body.contains("relations")) {
    if (!body["relations"].is_array()) return Bad("relations", "relations must be a list of entities", "relations 须为实体列表");
    for (const auto& x : body["relations"]) {
      const TenantSchema::Entity* re = x.is_string() ? schema->Find(x.get<std::string>()) : nullptr;
      bool refers = false;
      if (re)
        for (const auto& f : re->fields) refers |= f.type == FieldType::kReference && f.ref_entity == entity;
      if (!refers)
        return Bad("relations", "relations name entities that refer to " + entity,
                   "relations 须为关联到「" + entity + "」的实体");
      relations.push_back(x);
    }
  }
  if (grantee == p.user_id) return Bad("grantee_id", "you cannot grant yourself", "不能授权给自己");
  LF_ASSIGN(auto mine, For(p));
  int64_t now = clock_.NowMs();
  SqlClause can = mine->Predicate(*schema, *e, mode == "write" ? Action::kUpdate : Action::kRead,
                                  db_.dialect(), now);
  std::string id = UuidV7(now);
  int64_t expires = now + hours * 3600 * 1000;
  return db_.WriteResult<json>([&](Tx& tx) -> Result<json> {
    LF_TRY(RequireRecord(tx, p.tenant_id, entity, record_id, can));
    LF_ASSIGN(auto u, tx.Query("SELECT 1 FROM users WHERE tenant_id = ? AND id = ? AND status = 'active'",
                               {p.tenant_id, grantee}));
    if (u.empty()) return Bad("grantee_id", "no such active user", "该用户不存在或已停用");
    LF_TRY(tx.Exec(std::string("INSERT INTO grants (tenant_id, id, entity, record_id, grantee_id, mode, "
                               "relations, reason, expires_at, granted_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ") +
                       tx.dialect().JsonParam() + ", ?, ?, ?, ?)",
                   {p.tenant_id, id, entity, record_id, grantee, mode, relations.dump(),
                    reason.empty() ? Value(nullptr) : Value(reason), expires, p.user_id, now})
               .status());
    LF_ASSIGN(auto rows, tx.Query(std::string("SELECT ") + kGrantColumns + " FROM grants WHERE tenant_id = ? AND id = ?",
                                  {p.tenant_id, id}));
    json out = GrantJson(rows.rows.at(0), p.zone, now);
    LF_TRY(Changed(tx, p, "grant.created", "grants", id, out, {grantee},
                   reason.empty() ? p.user_name + " 邀请您协作" : reason));
    return out;
  });
}

Result<json> AccessService::RevokeGrant(const Principal& p, const std::string& id) {
  if (!IsUuid(id)) return NotFound("grant");
  int64_t now = clock_.NowMs();
  return db_.WriteResult<json>([&](Tx& tx) -> Result<json> {
    LF_ASSIGN(auto rows, tx.Query(std::string("SELECT ") + kGrantColumns + " FROM grants WHERE tenant_id = ? AND id = ?",
                                  {p.tenant_id, id}));
    if (rows.empty()) return NotFound("grant");
    if (AsText(rows.rows[0][9]) != p.user_id && !p.Can(kPermAccessManage))
      return NotFound("grant");
    if (!IsNull(rows.rows[0][8])) return GrantJson(rows.rows[0], p.zone, now);
    LF_TRY(tx.Exec("UPDATE grants SET revoked_at = ? WHERE tenant_id = ? AND id = ?", {now, p.tenant_id, id}).status());
    LF_ASSIGN(auto after, tx.Query(std::string("SELECT ") + kGrantColumns + " FROM grants WHERE tenant_id = ? AND id = ?",
                                   {p.tenant_id, id}));
    json out = GrantJson(after.rows.at(0), p.zone, now);
    LF_TRY(Changed(tx, p, "grant.revoked", "grants", id, out, {AsText(rows.rows[0][3])},
                   p.user_name + " 收回了协作权限"));
    return out;
  });
}

// ---------------------------------------------------------------- sensitive fields

Result<json> AccessService::ListSensitiveFields(const Principal& p) {
  json items = json::array();
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query("SELECT entity, field FROM sensitive_fields WHERE tenant_id = ? ORDER BY entity, field",
                                 {p.tenant_id}));
    for (const auto& r : rows.rows)
      items.push_back({{"entity", AsText(r[0])}, {"field", AsText(r[1])}, {"sensitive", true}});
    return Status::Ok();
  }));
  return json{{"items", std::move(items)}};
}

Result<json> AccessService::SetSensitive(const Principal& p, const std::string& entity,
                                         const std::string& field, const json& body) {
  if (!p.Can(kPermAccessManage)) return NeedManage();
  LF_TRY(OnlyKeys(body, {"sensitive"}));
  if (!body.contains("sensitive") || !body["sensitive"].is_boolean())
    return Bad("sensitive", "sensitive must be true or false", "sensitive 须为 true 或 false");
  bool on = body["sensitive"].get<bool>();
  LF_ASSIGN(auto schema, SchemaFor(p));
  const TenantSchema::Entity* e = schema->Find(entity);
  const FieldDef* f = e ? e->Find(field) : nullptr;
  if (!f || f->system || f->type == FieldType::kUser || f->type == FieldType::kReference)
    return Bad("field", "'" + entity + "." + field + "' cannot be marked sensitive",
               "'" + entity + "." + field + "' 不能设为敏感字段");
  int64_t now = clock_.NowMs();
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_TRY(tx.Exec("DELETE FROM sensitive_fields WHERE tenant_id = ? AND entity = ? AND field = ?",
                   {p.tenant_id, entity, field})
               .status());
    if (on)
      LF_TRY(tx.Exec("INSERT INTO sensitive_fields (tenant_id, entity, field, created_at) VALUES (?, ?, ?, ?)",
                     {p.tenant_id, entity, field, now})
                 .status());
    // Every reader's view of the field changes: tell every active user (P4).
    LF_ASSIGN(auto users, tx.Query("SELECT id FROM users WHERE tenant_id = ? AND status = 'active'", {p.tenant_id}));
    std::vector<std::string> notify;
    for (const auto& u : users.rows) notify.push_back(AsText(u[0]));
    std::string label = e->def->label_zh + "「" + f->label_zh + "」";
    return Changed(tx, p, on ? "sensitive_field.marked" : "sensitive_field.unmarked", "sensitive_fields",
                   entity + "." + field, {{"entity", entity}, {"field", field}}, notify,
                   on ? label + " 已设为敏感字段,默认脱敏显示" : label + " 已取消敏感字段");
  }));
  return json{{"entity", entity}, {"field", field}, {"sensitive", on}};
}

// ---------------------------------------------------------------- access requests

Result<json> AccessService::ListRequests(const Principal& p) {
  int64_t now = clock_.NowMs();
  return ListMineOrAll(db_, p, "access_requests", kRequestColumns, {"requester_id", "approver_id"},
                       [&](const Row& r) { return RequestJson(r, p.zone, now); });
}

Result<json> AccessService::CreateRequest(const Principal& p, const json& body) {
  LF_TRY(OnlyKeys(body, {"entity", "record_id", "fields", "purpose", "purpose_text", "approver", "hours"}));
  LF_ASSIGN(std::string entity, Text(body, "entity", true, 50));
  LF_ASSIGN(std::string record_id, Text(body, "record_id", true, 50));
  LF_ASSIGN(std::string purpose, Text(body, "purpose", true, 50));
  LF_ASSIGN(std::string purpose_text, Text(body, "purpose_text", false));
  LF_ASSIGN(std::string approver, Text(body, "approver", false, 50));
  LF_ASSIGN(int64_t hours, Hours(body, "hours", 24, 24 * 30));
  if (std::none_of(std::begin(kPurposes), std::end(kPurposes), [&](const char* k) { return purpose == k; }))
    return Bad("purpose", "purpose is police_filing, quality_trace, tender or other",
               "用途须为 公安备案(police_filing)、质量追溯(quality_trace)、招投标(tender) 或 其他(other)");
  if (purpose == "other" && purpose_text.empty())
    return Bad("purpose_text", "describe the purpose", "请填写具体用途");
  LF_ASSIGN(auto schema, SchemaFor(p));
  const TenantSchema::Entity* e = schema->Find(entity);
  if (!e) return Bad("entity", "unknown entity '" + entity + "'", "未知实体 '" + entity + "'");
  LF_ASSIGN(auto mine, For(p));
  const auto& sensitive = mine->Sensitive(entity);
  json fields = json::array();
  if (!body.contains("fields") || !body["fields"].is_array() || body["fields"].empty())
    return Bad("fields", "fields lists the sensitive fields you need", "fields 须列出需要查看的敏感字段");
  for (const auto& f : body["fields"]) {
    if (!f.is_string() || !sensitive.count(f.get<std::string>()))
      return Bad("fields", "only sensitive fields can be requested", "只能申请查看敏感字段");
    fields.push_back(f);
  }
  int64_t now = clock_.NowMs();
  SqlClause can = mine->Predicate(*schema, *e, Action::kRead, db_.dialect(), now);
  std::string id = UuidV7(now);
  if (approver.empty()) approver = "manager";
  return db_.WriteResult<json>([&](Tx& tx) -> Result<json> {
    LF_TRY(RequireRecord(tx, p.tenant_id, entity, record_id, can));
    // The approver: the direct superior, the head of the requester's department (or the nearest
    // department above that has one), or a named user.
    std::string approver_id;
    if (approver == "manager") {
      LF_ASSIGN(auto m, tx.Query("SELECT manager_id FROM users WHERE tenant_id = ? AND id = ?", {p.tenant_id, p.user_id}));
      if (!m.empty() && !IsNull(m.rows[0][0])) approver_id = AsText(m.rows[0][0]);
    } else if (approver == "department_head") {
      LF_ASSIGN(auto d, tx.Query("SELECT d.path FROM users u JOIN departments d ON d.tenant_id = u.tenant_id AND "
                                 "d.id = u.department_id WHERE u.tenant_id = ? AND u.id = ?",
                                 {p.tenant_id, p.user_id}));
      if (!d.empty()) {
        auto ids = Split(AsText(d.rows[0][0]), '/');
        for (auto it = ids.rbegin(); it != ids.rend() && approver_id.empty(); ++it) {
          if (it->empty()) continue;
          LF_ASSIGN(auto h, tx.Query("SELECT head_user_id FROM departments WHERE tenant_id = ? AND id = ?",
                                     {p.tenant_id, *it}));
          if (!h.empty() && !IsNull(h.rows[0][0]) && AsText(h.rows[0][0]) != p.user_id)
            approver_id = AsText(h.rows[0][0]);
        }
      }
    } else {
      LF_ASSIGN(auto u, tx.Query("SELECT id FROM users WHERE tenant_id = ? AND id = ? AND status = 'active'",
                                 {p.tenant_id, approver}));
      if (!u.empty()) approver_id = approver;
    }
    if (approver_id.empty() || approver_id == p.user_id)
      return Bad("approver", "no approver: name a user, or have a manager / department head set",
                 "找不到审批人:请指定审批人,或先设置直属上级/部门负责人");
    LF_TRY(tx.Exec(std::string("INSERT INTO access_requests (tenant_id, id, requester_id, entity, record_id, "
                               "fields, purpose, purpose_text, approver_id, duration_hours, status, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ") +
                       tx.dialect().JsonParam() + ", ?, ?, ?, ?, 'pending', ?)",
                   {p.tenant_id, id, p.user_id, entity, record_id, fields.dump(), purpose,
                    purpose_text.empty() ? Value(nullptr) : Value(purpose_text), approver_id, hours, now})
               .status());
    LF_ASSIGN(auto rows, tx.Query(std::string("SELECT ") + kRequestColumns +
                                      " FROM access_requests WHERE tenant_id = ? AND id = ?",
                                  {p.tenant_id, id}));
    json out = RequestJson(rows.rows.at(0), p.zone, now);
    LF_TRY(events_.Append(tx, p.tenant_id, p.user_id, "access_request.created", "access_requests", id, out).status());
    LF_TRY(events_
               .Append(tx, p.tenant_id, p.user_id, "access.approval_needed", "users", approver_id,
                       {{"request_id", id}, {"requester", p.user_name}, {"purpose", purpose}})
               .status());
    return out;
  });
}

Result<json> AccessService::DecideRequest(const Principal& p, const std::string& id, bool approve,
                                          const json& body) {
  LF_TRY(OnlyKeys(body, {"note"}));
  LF_ASSIGN(std::string note, Text(body, "note", false));
  if (!approve && note.empty()) return Bad("note", "say why the request is rejected", "请填写驳回理由");
  if (!IsUuid(id)) return NotFound("request");
  int64_t now = clock_.NowMs();
  return db_.WriteResult<json>([&](Tx& tx) -> Result<json> {
    LF_ASSIGN(auto rows, tx.Query(std::string("SELECT ") + kRequestColumns +
                                      " FROM access_requests WHERE tenant_id = ? AND id = ?",
                                  {p.tenant_id, id}));
    if (rows.empty()) return NotFound("request");
    const Row& r = rows.rows[0];
    std::string requester = AsText(r[1]);
    if (AsText(r[7]) != p.user_id && !p.Can(kPermAccessManage)) return NotFound("request");
    if (requester == p.user_id)
      return Status::Error(ErrorKind::kPermissionDenied, "access.self_approval",
                           "you cannot decide your own request", "不能审批自己的申请");
    if (AsText(r[9]) != "pending")
      return Status::Error(ErrorKind::kConflict, "access.request_decided",
                           "the request was already " + AsText(r[9]), "该申请已处理(" + AsText(r[9]) + ")");
    Value expires = approve ? Value(now + AsInt(r[8]) * 3600 * 1000) : Value(nullptr);
    LF_TRY(tx.Exec("UPDATE access_requests SET status = ?, decided_at = ?, decision_note = ?, expires_at = ? "
                   "WHERE tenant_id = ? AND id = ?",
                   {std::string(approve ? "approved" : "rejected"), now,
                    note.empty() ? Value(nullptr) : Value(note), expires, p.tenant_id, id})
               .status());
    LF_ASSIGN(auto after, tx.Query(std::string("SELECT ") + kRequestColumns +
                                       " FROM access_requests WHERE tenant_id = ? AND id = ?",
                                   {p.tenant_id, id}));
    json out = RequestJson(after.rows.at(0), p.zone, now);
    LF_TRY(Changed(tx, p, approve ? "access_request.approved" : "access_request.rejected", "access_requests", id,
                   out, {requester},
                   approve ? "您的敏感字段查看申请已通过" : "您的敏感字段查看申请被驳回:" + note));
    return out;
  });
}

Status AccessService::LogUnmaskedRead(const Principal& p, const std::string& entity,
                                      const std::vector<std::string>& record_ids,
                                      const std::set<std::string>& fields, const std::string& basis) {
  int64_t now = clock_.NowMs();
  json ids = record_ids, f = json(std::vector<std::string>(fields.begin(), fields.end()));
  return db_.Write([&](Tx& tx) -> Status {
    return tx
        .Exec(std::string("INSERT INTO unmasked_reads (tenant_id, id, user_id, entity, record_ids, fields, basis, at) "
                          "VALUES (?, ?, ?, ?, ") +
                  tx.dialect().JsonParam() + ", " + tx.dialect().JsonParam() + ", ?, ?)",
              {p.tenant_id, UuidV7(now), p.user_id, entity, ids.dump(), f.dump(), basis, now})
        .status();
  });
}

// ---------------------------------------------------------------- explain

Result<json> AccessService::Explain(const Principal& p, const std::string& user,
                                    const std::string& entity, const std::string& id,
                                    const std::string& field, const std::string& action_name) {
  if (!p.Can(kPermAccessManage)) return NeedManage();
  auto action = ParseAction(action_name.empty() ? "read" : action_name);
  if (!action) return Bad("action", "action is create, read, update, archive or export", "action 取值错误");
  if (!IsUuid(user)) return NotFound("user");
  LF_ASSIGN(Principal target, identity_.PrincipalFor(p.tenant_id, user));
  LF_ASSIGN(auto policy, For(target));
  LF_ASSIGN(auto schema, SchemaFor(p));
  const TenantSchema::Entity* e = schema->Find(entity);
  if (!e) return Bad("entity", "unknown entity '" + entity + "'", "未知实体 '" + entity + "'");
  if (!field.empty() && !e->Find(field)) return Bad("field", "unknown field '" + field + "'", "未知字段 '" + field + "'");
  int64_t now = clock_.NowMs();
  json out = {{"user", user}, {"role", target.role}, {"entity", entity}, {"id", id}, {"action", ActionName(*action)}};
  auto decide = [&](bool allow, const std::string& by, const std::string& en, const std::string& zh) {
    out["decision"] = allow ? "allow" : "deny";
    out["decided_by"] = by;
    out["reason_en"] = en;
    out["reason_zh"] = zh;
  };
  if (!IsUuid(id)) return NotFound("record");
  AccessPolicy::Parts parts = policy->Explain(*schema, *e, *action, db_.dialect(), now);
  // Evaluate every part on the record in one query: the same SQL the enforcement uses.
  std::vector<const SqlClause*> all;
  for (const auto* v : {&parts.grants, &parts.base, &parts.rules})
    for (const auto& c : *v) all.push_back(&c);
  std::string select = "SELECT 1";
  std::vector<Value> params;
  for (const auto* c : all) {
    select += ", CASE WHEN " + (c->sql.empty() ? std::string("1 = 1") : "(" + c->sql + ")") + " THEN 1 ELSE 0 END";
    params.insert(params.end(), c->params.begin(), c->params.end());
  }
  params.insert(params.end(), {p.tenant_id, id});
  std::vector<bool> truth;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query(select + " FROM " + e->def->name + " WHERE tenant_id = ? AND id = ?", params));
    if (rows.empty()) return NotFound("record");
    for (size_t i = 0; i < all.size(); ++i) truth.push_back(AsInt(rows.rows[0][i + 1]) != 0);
    return Status::Ok();
  }));
  json checks = json::array();
  for (size_t i = 0; i < all.size(); ++i) checks.push_back({{"check", all[i]->reason}, {"holds", bool(truth[i])}});
  out["checks"] = checks;
  size_t i = 0;
  std::string grant_by, base_by, rule_failed;
  for (const auto& c : parts.grants) { if (truth[i++] && grant_by.empty()) grant_by = c.reason; }
  for (const auto& c : parts.base) { if (truth[i++] && base_by.empty()) base_by = c.reason; }
  for (const auto& c : parts.rules) { if (!truth[i++] && rule_failed.empty()) rule_failed = c.reason; }
  if (policy->superuser()) {
    decide(true, "role:" + target.role, "the role holds every permission (*)", "该角色拥有全部权限(*)");
  } else if (!grant_by.empty()) {
    decide(true, grant_by, "a live temporary grant opens this record", "有效的临时协作授权");
  } else if (!parts.entity_right) {
    decide(false, "role:" + target.role, "the role has no '" + std::string(ActionName(*action)) + "' right on " + entity,
           "角色「" + target.role + "」对「" + entity + "」没有 " + ActionName(*action) + " 权限");
  } else if (base_by.empty()) {
    decide(false, "scope", "the record is outside the role's data scope", "记录不在该角色的数据范围内");
  } else if (!rule_failed.empty()) {
    decide(false, rule_failed, "a restricting access rule hides this record", "访问规则限制了此记录");
  } else {
    decide(true, base_by, "inside the role's data scope (" + base_by + ")", "在数据范围内(" + base_by + ")");
  }
  if (!field.empty()) {
    bool sensitive = policy->Sensitive(entity).count(field) > 0;
    std::string via = policy->UnmaskingRequest(entity, id, field, now);
    bool visible = !sensitive || policy->UnmasksAll() || !via.empty();
    out["field"] = {{"name", field},
                    {"sensitive", sensitive},
                    {"masked", !visible},
                    {"unmasked_by", policy->UnmasksAll() && sensitive ? json("permission:fields.unmask")
                                    : via.empty() ? json(nullptr) : json("access_request:" + via)}};
  }
  return out;
}

}  // namespace lf
