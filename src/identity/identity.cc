// Implements identity/identity.h.
#include "identity/identity.h"

#include <regex>
#include <semaphore>

#include "base/crypto.h"
#include "base/strings.h"

namespace lf {
namespace {

// Argon2id takes 64 MiB per hash: at most two at once, whatever the request concurrency.
std::counting_semaphore<2> g_hash_slots(2);

struct HashSlot {
  HashSlot() { g_hash_slots.acquire(); }
  ~HashSlot() { g_hash_slots.release(); }
};

Status Invalid(const std::string& field, const std::string& en, const std::string& zh,
               const std::string& code = "validation.invalid_value") {
  return Status::Error(ErrorKind::kValidation, code, en, zh, field);
}

Status Forbidden(const char* perm) {
  return Status::Error(ErrorKind::kPermissionDenied, "access.forbidden",
                       std::string("this needs the permission '") + perm + "'",
                       std::string("需要权限 '") + perm + "'");
}

Status Unauthenticated() {
  return Status::Error(ErrorKind::kUnauthenticated, "auth.unauthenticated",
                       "sign in first (session missing, expired or revoked)",
                       "请先登录(会话不存在、已过期或已注销)");
}

bool ValidEmail(const std::string& e) {
  static const std::regex kEmail(R"(^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$)");
  return e.size() <= 254 && std::regex_match(e, kEmail);
}

constexpr const char* kUserColumns =
    "id, email, name, role, department_id, manager_id, phone, status, created_at, availability";

struct DefaultRole {
  const char* name;
  const char* zh;
  const char* en;
  const char* permissions;
  // Entity rights and data scopes (access/ reads them; format in access/policy.h).
  const char* entity_access;
};
constexpr DefaultRole kDefaultRoles[] = {
    {"admin", "管理员", "Administrator", R"(["*"])",
     R"({"*": {"actions": ["create", "read", "update", "archive", "export"], "scope": "all"}})"},
    // S1: reads every activity stream of the team, edits no customer.
    {"supervisor", "销售主管", "Sales supervisor", R"(["team.stream", "leads.assign"])",
     R"({"*": {"actions": ["read", "export"], "scope": "department_tree"},
         "leads": {"actions": ["create", "read", "update", "archive", "export"], "scope": "department_tree", "shared_field": "pool_id"},
         "activities": {"actions": ["create", "read"], "scope": "department_tree", "inherit": ["lead_id", "customer_id"]},
         "tasks": {"actions": ["create", "read", "update"], "scope": "department_tree", "inherit": ["lead_id", "customer_id"]},
         "tags": {"actions": ["read"], "scope": "all"}})"},
    {"sales", "销售", "Salesperson", R"([])",
     R"({"*": {"actions": ["create", "read", "update"], "scope": "self"},
         "leads": {"actions": ["create", "read", "update", "archive"], "scope": "self", "shared_field": "pool_id"},
         "contacts": {"actions": ["create", "read", "update"], "scope": "self", "inherit": ["customer_id"]},
         "opportunities": {"actions": ["create", "read", "update"], "scope": "self", "inherit": ["customer_id"]},
         "activities": {"actions": ["create", "read", "update"], "scope": "self", "inherit": ["lead_id", "customer_id"]},
         "tasks": {"actions": ["create", "read", "update"], "scope": "self", "inherit": ["lead_id", "customer_id"]},
         "tags": {"actions": ["read"], "scope": "all"}})"},
    {"customer_success", "客户成功", "Customer success", R"([])",
     R"({"*": {"actions": ["create", "read", "update"], "scope": "self"},
         "leads": {"actions": [], "scope": "self"},
         "contacts": {"actions": ["create", "read", "update"], "scope": "self", "inherit": ["customer_id"]},
         "contracts": {"actions": ["read"], "scope": "self", "inherit": ["customer_id"]},
         "activities": {"actions": ["create", "read", "update"], "scope": "self", "inherit": ["customer_id"]},
         "tasks": {"actions": ["create", "read", "update"], "scope": "self", "inherit": ["customer_id"]},
         "tags": {"actions": ["read"], "scope": "all"}})"},
};

}  // namespace

Status BumpPolicyVersion(Tx& tx, const std::string& tenant_id) {
  return tx.Exec("UPDATE tenants SET policy_version = policy_version + 1 WHERE id = ?", {tenant_id})
      .status();
}

Status IdentityService::EnsureDefaultRoleAccess() {
  return db_.Write([&](Tx& tx) -> Status {
    for (const auto& r : kDefaultRoles)
      LF_TRY(tx.Exec(std::string("UPDATE roles SET entity_access = ") + tx.dialect().JsonParam() +
                         " WHERE name = ? AND entity_access IS NULL",
                     {nlohmann::json::parse(r.entity_access).dump(), std::string(r.name)})
                 .status());
    LF_ASSIGN(auto n, tx.Exec("UPDATE roles SET entity_access = '{}' WHERE entity_access IS NULL"));
    (void)n;
    return Status::Ok();
  });
}

nlohmann::json IdentityService::UserJson(const Row& r) {
  auto opt = [](const Value& v) { return IsNull(v) ? nlohmann::json(nullptr) : nlohmann::json(AsText(v)); };
  return {{"id", AsText(r[0])},   {"email", AsText(r[1])},  {"name", AsText(r[2])},
          {"role", AsText(r[3])}, {"department_id", opt(r[4])}, {"manager_id", opt(r[5])},
          {"phone", opt(r[6])},   {"status", AsText(r[7])}, {"availability", AsText(r[9])}};
}

Result<IdentityService::TenantIds> IdentityService::CreateTenant(const NewTenant& t) {
  if (t.name.empty() || t.name.size() > 200)
    return Invalid("tenant", "tenant name must be 1–200 bytes", "租户名称长度须为 1–200");
  LF_ASSIGN(auto zone, FindZone(t.time_zone));
  (void)zone;
  std::string email = AsciiLower(t.admin_email);
  if (!ValidEmail(email)) return Invalid("admin_email", "not an email address", "邮箱格式不正确");
  if (t.admin_password.size() < 8)
    return Invalid("password", "password must have at least 8 characters", "密码至少 8 位",
                   "validation.weak_password");
  std::string hash;
  {
    HashSlot slot;
    LF_ASSIGN(hash, HashPassword(t.admin_password));
  }
  int64_t now = clock_.NowMs();
  TenantIds ids{UuidV7(now), UuidV7(now), UuidV7(now)};
  Status st = db_.Write([&](Tx& tx) -> Status {
    LF_ASSIGN(auto taken, tx.Query("SELECT 1 FROM users WHERE email = ?", {email}));
    if (!taken.empty())
      return Status::Error(ErrorKind::kConflict, "user.email_taken", "email already registered",
                           "该邮箱已注册", "admin_email");
    LF_TRY(tx.Exec("INSERT INTO tenants (id, name, time_zone, created_at) VALUES (?, ?, ?, ?)",
                   {ids.tenant_id, t.name, t.time_zone, now})
               .status());
    LF_TRY(tx.Exec("INSERT INTO departments (tenant_id, id, name, parent_id, path, created_at) "
                   "VALUES (?, ?, ?, NULL, ?, ?)",
                   {ids.tenant_id, ids.root_department_id, t.name,
                    "/" + ids.root_department_id + "/", now})
               .status());
    for (const auto& r : kDefaultRoles)
      LF_TRY(tx.Exec(std::string("INSERT INTO roles (tenant_id, name, label_zh, label_en, "
                                 "permissions, entity_access) VALUES (?, ?, ?, ?, ") +
                         tx.dialect().JsonParam() + ", " + tx.dialect().JsonParam() + ")",
                     {ids.tenant_id, std::string(r.name), std::string(r.zh), std::string(r.en),
                      std::string(r.permissions), nlohmann::json::parse(r.entity_access).dump()})
                 .status());
    LF_TRY(tx.Exec("INSERT INTO users (tenant_id, id, email, name, password_hash, role, "
                   "department_id, status, created_at, updated_at) VALUES "
                   "(?, ?, ?, ?, ?, 'admin', ?, 'active', ?, ?)",
                   {ids.tenant_id, ids.admin_user_id, email,
                    t.admin_name.empty() ? std::string("管理员") : t.admin_name, hash,
                    ids.root_department_id, now, now})
               .status());
    LF_TRY(events_
               .Append(tx, ids.tenant_id, "", "tenant.created", "tenants", ids.tenant_id,
                       {{"name", t.name}, {"time_zone", t.time_zone}, {"admin_email", email}})
               .status());
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return ids;
}

Result<nlohmann::json> IdentityService::CreateUser(const Principal& actor, const NewUser& u) {
  if (!actor.Can(kPermUsersManage)) return Forbidden(kPermUsersManage);
  std::string email = AsciiLower(u.email);
  if (!ValidEmail(email)) return Invalid("email", "not an email address", "邮箱格式不正确");
  if (u.name.empty() || Utf8Length(u.name) > 100)
    return Invalid("name", "name must be 1–100 characters", "姓名长度须为 1–100");
  if (u.password.size() < 8)
    return Invalid("password", "password must have at least 8 characters", "密码至少 8 位",
                   "validation.weak_password");
  std::string hash;
  {
    HashSlot slot;
    LF_ASSIGN(hash, HashPassword(u.password));
  }
  int64_t now = clock_.NowMs();
  std::string id = UuidV7(now);
  return db_.WriteResult<nlohmann::json>([&](Tx& tx) -> Result<nlohmann::json> {
    LF_ASSIGN(auto role, tx.Query("SELECT 1 FROM roles WHERE tenant_id = ? AND name = ?",
                                  {actor.tenant_id, u.role}));
    if (role.empty()) return Invalid("role", "unknown role '" + u.role + "'", "未知角色 '" + u.role + "'");
    if (!u.department_id.empty()) {
      LF_ASSIGN(auto d, tx.Query("SELECT 1 FROM departments WHERE tenant_id = ? AND id = ?",
                                 {actor.tenant_id, u.department_id}));
      if (d.empty()) return Invalid("department_id", "no such department", "部门不存在");
    }
    if (!u.manager_id.empty()) {
      LF_ASSIGN(auto m, tx.Query("SELECT 1 FROM users WHERE tenant_id = ? AND id = ?",
                                 {actor.tenant_id, u.manager_id}));
      if (m.empty()) return Invalid("manager_id", "no such user", "上级用户不存在");
    }
    LF_ASSIGN(auto taken, tx.Query("SELECT 1 FROM users WHERE email = ?", {email}));
    if (!taken.empty())
      return Status::Error(ErrorKind::kConflict, "user.email_taken", "email already registered",
                           "该邮箱已注册", "email");
    auto opt = [](const std::string& s) { return s.empty() ? Value(nullptr) : Value(s); };
    LF_TRY(tx.Exec("INSERT INTO users (tenant_id, id, email, name, password_hash, role, "
                   "department_id, manager_id, phone, status, created_at, updated_at) VALUES "
                   "(?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)",
                   {actor.tenant_id, id, email, u.name, hash, u.role, opt(u.department_id),
                    opt(u.manager_id), opt(u.phone), now, now})
               .status());
    LF_ASSIGN(auto rows, tx.Query(std::string("SELECT ") + kUserColumns +
                                      " FROM users WHERE tenant_id = ? AND id = ?",
                                  {actor.tenant_id, id}));
    auto j = UserJson(rows.rows.at(0));
    LF_TRY(BumpPolicyVersion(tx, actor.tenant_id));
    LF_TRY(events_.Append(tx, actor.tenant_id, actor.user_id, "user.created", "users", id, j)
               .status());
    return j;
  });
}

Result<nlohmann::json> IdentityService::CreateDepartment(const Principal& actor,
                                                         const std::string& name,
                                                         const std::string& parent_id) {
  if (!actor.Can(kPermUsersManage)) return Forbidden(kPermUsersManage);
  if (name.empty() || Utf8Length(name) > 100)
    return Invalid("name", "name must be 1–100 characters", "名称长度须为 1–100");
  int64_t now = clock_.NowMs();
  std::string id = UuidV7(now);
  return db_.WriteResult<nlohmann::json>([&](Tx& tx) -> Result<nlohmann::json> {
    std::string path = "/" + id + "/";
    Value parent = nullptr;
    if (!parent_id.empty()) {
      LF_ASSIGN(auto p, tx.Query("SELECT path FROM departments WHERE tenant_id = ? AND id = ?",
                                 {actor.tenant_id, parent_id}));
      if (p.empty()) return Invalid("parent_id", "no such department", "上级部门不存在");
      path = AsText(p.rows[0][0]) + id + "/";
      parent = parent_id;
    }
    LF_TRY(tx.Exec("INSERT INTO departments (tenant_id, id, name, parent_id, path, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?)",
                   {actor.tenant_id, id, name, parent, path, now})
               .status());
    nlohmann::json j = {{"id", id},
                        {"name", name},
                        {"parent_id", parent_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(parent_id)},
                        {"path", path}};
    LF_TRY(BumpPolicyVersion(tx, actor.tenant_id));
    LF_TRY(events_.Append(tx, actor.tenant_id, actor.user_id, "department.created", "departments",
                          id, j)
               .status());
    return j;
  });
}

Result<nlohmann::json> IdentityService::UpdateUser(const Principal& actor, const std::string& id,
                                                   const nlohmann::json& body) {
  if (!actor.Can(kPermUsersManage)) return Forbidden(kPermUsersManage);
  if (!body.is_object()) return Invalid("", "the body must be a JSON object", "请求体须为 JSON 对象");
  static const std::set<std::string> kKeys = {"name", "role", "department_id", "manager_id", "phone", "status", "reason"};
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (!kKeys.count(it.key()))
      return Status::Error(ErrorKind::kValidation, "validation.unknown_field", "unknown field '" + it.key() + "'",
                           "未知字段 '" + it.key() + "'", it.key());
    if (!it->is_string() && !(it->is_null() && (it.key() == "department_id" || it.key() == "manager_id" || it.key() == "phone")))
      return Invalid(it.key(), it.key() + " must be text", it.key() + " 须为文本");
  }
  if (body.contains("status") && body["status"] != "active" && body["status"] != "disabled")
    return Invalid("status", "status is active or disabled", "状态须为 active 或 disabled");
  if (body.contains("name") && (body["name"].get<std::string>().empty() || Utf8Length(body["name"].get<std::string>()) > 100))
    return Invalid("name", "name must be 1–100 characters", "姓名长度须为 1–100");
  int64_t now = clock_.NowMs();
  return db_.WriteResult<nlohmann::json>([&](Tx& tx) -> Result<nlohmann::json> {
    LF_ASSIGN(auto rows, tx.Query(std::string("SELECT ") + kUserColumns + " FROM users WHERE tenant_id = ? AND id = ?",
                                  {actor.tenant_id, id}));
    if (rows.empty()) return Status::Error(ErrorKind::kNotFound, "record.not_found", "user not found", "用户不存在");
    nlohmann::json before = UserJson(rows.rows[0]), after = before;
    for (auto it = body.begin(); it != body.end(); ++it)
      if (it.key() != "reason") after[it.key()] = *it;
    if (after["role"] != before["role"]) {
      LF_ASSIGN(auto r, tx.Query("SELECT 1 FROM roles WHERE tenant_id = ? AND name = ?", {actor.tenant_id, after["role"].get<std::string>()}));
      if (r.empty()) return Invalid("role", "unknown role", "未知角色");
    }
    if (after["department_id"].is_string() && after["department_id"] != before["department_id"]) {
      LF_ASSIGN(auto d, tx.Query("SELECT 1 FROM departments WHERE tenant_id = ? AND id = ?",
                                 {actor.tenant_id, after["department_id"].get<std::string>()}));
      if (d.empty()) return Invalid("department_id", "no such department", "部门不存在");
    }
    if (after["manager_id"].is_string() && after["manager_id"] != before["manager_id"]) {
      // No cycles: walk up from the new manager.
      std::string m = after["manager_id"].get<std::string>();
      for (int hops = 0; !m.empty(); ++hops) {
        if (m == id || hops > 1000) return Invalid("manager_id", "this would make a reporting cycle", "会形成循环的汇报关系");
        LF_ASSIGN(auto up, tx.Query("SELECT manager_id FROM users WHERE tenant_id = ? AND id = ?", {actor.tenant_id, m}));
        if (up.empty()) {
          if (hops == 0) return Invalid("manager_id", "no such user", "上级用户不存在");
          break;
        }
        m = IsNull(up.rows[0][0]) ? "" : AsText(up.rows[0][0]);
      }
    }
    auto opt = [](const nlohmann::json& v) { return v.is_string() ? Value(v.get<std::string>()) : Value(nullptr); };
    LF_TRY(tx.Exec("UPDATE users SET name = ?, role = ?, department_id = ?, manager_id = ?, phone = ?, status = ?, "
                   "updated_at = ? WHERE tenant_id = ? AND id = ?",
                   {after["name"].get<std::string>(), after["role"].get<std::string>(), opt(after["department_id"]),
                    opt(after["manager_id"]), opt(after["phone"]), after["status"].get<std::string>(), now,
                    actor.tenant_id, id})
               .status());
    nlohmann::json changes = nlohmann::json::array();
    bool access_changed = false;
    for (const char* k : {"name", "role", "department_id", "manager_id", "phone", "status"})
      if (before[k] != after[k]) {
        changes.push_back({{"field", k}, {"old", before[k]}, {"new", after[k]}});
        access_changed |= std::string(k) != "name" && std::string(k) != "phone";
      }
    if (changes.empty()) return after;
    std::string reason = body.value("reason", "");
    LF_TRY(events_.Append(tx, actor.tenant_id, actor.user_id, "user.updated", "users", id,
                          {{"changes", changes}, {"reason", reason}})
               .status());
    if (access_changed) {
      // Everyone's policy may depend on this user (scopes follow the org chart).
      LF_TRY(BumpPolicyVersion(tx, actor.tenant_id));
      LF_TRY(events_
                 .Append(tx, actor.tenant_id, actor.user_id, "access.changed", "users", id,
                         {{"change", "user.updated"}, {"changes", changes},
                          {"reason", reason.empty() ? "您的角色或组织关系已调整" : reason}})
                 .status());
    }
    return after;
  });
}

Result<nlohmann::json> IdentityService::UpdateDepartment(const Principal& actor, const std::string& id,
                                                         const nlohmann::json& body) {
  if (!actor.Can(kPermUsersManage)) return Forbidden(kPermUsersManage);
  if (!body.is_object()) return Invalid("", "the body must be a JSON object", "请求体须为 JSON 对象");
  for (auto it = body.begin(); it != body.end(); ++it)
    if ((it.key() != "name" && it.key() != "head_user_id") || !(it->is_string() || (it->is_null() && it.key() == "head_user_id")))
      return Status::Error(ErrorKind::kValidation, "validation.unknown_field", "unexpected field '" + it.key() + "'",
                           "无效字段 '" + it.key() + "'", it.key());
  return db_.WriteResult<nlohmann::json>([&](Tx& tx) -> Result<nlohmann::json> {
    LF_ASSIGN(auto rows, tx.Query("SELECT name, parent_id, path, head_user_id FROM departments WHERE tenant_id = ? AND id = ?",
                                  {actor.tenant_id, id}));
    if (rows.empty()) return Status::Error(ErrorKind::kNotFound, "record.not_found", "department not found", "部门不存在");
    std::string name = body.value("name", AsText(rows.rows[0][0]));
    if (name.empty() || Utf8Length(name) > 100) return Invalid("name", "name must be 1–100 characters", "名称长度须为 1–100");
    Value head = IsNull(rows.rows[0][3]) ? Value(nullptr) : rows.rows[0][3];
    if (body.contains("head_user_id")) {
      head = body["head_user_id"].is_string() ? Value(body["head_user_id"].get<std::string>()) : Value(nullptr);
      if (!IsNull(head)) {
        LF_ASSIGN(auto u, tx.Query("SELECT 1 FROM users WHERE tenant_id = ? AND id = ?", {actor.tenant_id, head}));
        if (u.empty()) return Invalid("head_user_id", "no such user", "用户不存在");
      }
    }
    LF_TRY(tx.Exec("UPDATE departments SET name = ?, head_user_id = ? WHERE tenant_id = ? AND id = ?",
                   {name, head, actor.tenant_id, id})
               .status());
    nlohmann::json j = {{"id", id}, {"name", name},
                        {"parent_id", IsNull(rows.rows[0][1]) ? nlohmann::json(nullptr) : nlohmann::json(AsText(rows.rows[0][1]))},
                        {"path", AsText(rows.rows[0][2])},
                        {"head_user_id", IsNull(head) ? nlohmann::json(nullptr) : nlohmann::json(AsText(head))}};
    LF_TRY(BumpPolicyVersion(tx, actor.tenant_id));
    LF_TRY(events_.Append(tx, actor.tenant_id, actor.user_id, "department.updated", "departments", id, j).status());
    return j;
  });
}

Result<nlohmann::json> IdentityService::ListUsers(const Principal& p) {
  nlohmann::json items = nlohmann::json::array();
  Status st = db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query(std::string("SELECT ") + kUserColumns +
                                     " FROM users WHERE tenant_id = ? ORDER BY created_at, id",
                                 {p.tenant_id}));
    for (auto& r : rows.rows) items.push_back(UserJson(r));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return nlohmann::json{{"items", std::move(items)}};
}

Result<nlohmann::json> IdentityService::ListDepartments(const Principal& p) {
  nlohmann::json items = nlohmann::json::array();
  Status st = db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query("SELECT id, name, parent_id, path, head_user_id FROM departments WHERE "
                                 "tenant_id = ? ORDER BY path",
                                 {p.tenant_id}));
    for (auto& r : rows.rows)
      items.push_back({{"id", AsText(r[0])},
                       {"name", AsText(r[1])},
                       {"parent_id", IsNull(r[2]) ? nlohmann::json(nullptr) : nlohmann::json(AsText(r[2]))},
                       {"path", AsText(r[3])},
                       {"head_user_id", IsNull(r[4]) ? nlohmann::json(nullptr) : nlohmann::json(AsText(r[4]))}});
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return nlohmann::json{{"items", std::move(items)}};
}

Status IdentityService::CheckThrottle(const std::string& key) {
  std::lock_guard lock(throttle_mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return Status::Ok();
  int64_t now = clock_.NowMs(), window = 15 * 60 * 1000;
  while (!it->second.empty() && it->second.front() < now - window) it->second.pop_front();
  size_t limit = key.rfind("ip:", 0) == 0 ? 30 : 5;
  if (it->second.size() >= limit)
    return Status::Error(ErrorKind::kTooManyRequests, "auth.throttled",
                         "too many failed sign-ins; try again in 15 minutes",
                         "登录失败次数过多,请 15 分钟后再试");
  return Status::Ok();
}

void IdentityService::RecordFailure(const std::string& key) {
  std::lock_guard lock(throttle_mu_);
  auto& q = failures_[key];
  q.push_back(clock_.NowMs());
  if (q.size() > 100) q.pop_front();
}

Result<Session> IdentityService::Login(const std::string& email_in, const std::string& password,
                                       const std::string& client) {
  std::string email = AsciiLower(email_in);
  LF_TRY(CheckThrottle("email:" + email));
  LF_TRY(CheckThrottle("ip:" + client));
  std::string user_id, tenant_id, hash;
  Status st = db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query("SELECT id, tenant_id, password_hash FROM users WHERE email = ? "
                                 "AND status = 'active'",
                                 {email}));
    if (!rows.empty()) {
      user_id = AsText(rows.rows[0][0]);
      tenant_id = AsText(rows.rows[0][1]);
      hash = AsText(rows.rows[0][2]);
    }
    return Status::Ok();
  });
  LF_TRY(st);
  bool ok;
  {
    HashSlot slot;
    // Verify against a fixed hash when the user does not exist, so timing does not tell.
    static const std::string kDummy = HashPassword("not-a-real-password").value();
    ok = VerifyPassword(hash.empty() ? kDummy : hash, password) && !hash.empty();
  }
  if (!ok) {
    RecordFailure("email:" + email);
    RecordFailure("ip:" + client);
    return Status::Error(ErrorKind::kUnauthenticated, "auth.invalid_credentials",
                         "wrong email or password", "邮箱或密码错误");
  }
  {
    std::lock_guard lock(throttle_mu_);
    failures_.erase("email:" + email);
  }
  Session s;
  s.token = RandomToken(32);
  int64_t now = clock_.NowMs();
  s.expires_at = now + kSessionTtlMs;
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_TRY(tx.Exec("INSERT INTO sessions (token_hash, tenant_id, user_id, created_at, expires_at) "
                   "VALUES (?, ?, ?, ?, ?)",
                   {Sha256Hex(s.token), tenant_id, user_id, now, s.expires_at})
               .status());
    return events_.Append(tx, tenant_id, user_id, "user.signed_in", "users", user_id,
                          {{"client", client}})
        .status();
  }));
  LF_ASSIGN(s.principal, Authenticate(s.token));
  return s;
}

// Columns FillPrincipal reads; every query for a principal selects them in this order.
constexpr const char* kPrincipalColumns =
    "u.id, u.name, u.email, u.role, u.department_id, t.id, t.name, t.time_zone, "
    "t.schema_version, r.permissions, t.policy_version, u.availability";

Status IdentityService::FillPrincipal(const Row& r, Principal* p) {
  p->user_id = AsText(r[0]);
  p->user_name = AsText(r[1]);
  p->email = AsText(r[2]);
  p->role = AsText(r[3]);
  p->department_id = AsText(r[4]);
  p->tenant_id = AsText(r[5]);
  p->tenant_name = AsText(r[6]);
  p->time_zone = AsText(r[7]);
  p->schema_version = AsInt(r[8]);
  p->policy_version = AsInt(r[10]);
  p->availability = AsText(r[11]);
  auto perms = nlohmann::json::parse(AsText(r[9]), nullptr, false);
  if (perms.is_array())
    for (auto& x : perms)
      if (x.is_string()) p->permissions.insert(x.get<std::string>());
  LF_ASSIGN(p->zone, FindZone(p->time_zone));
  return Status::Ok();
}

Result<Principal> IdentityService::Authenticate(const std::string& token) {
  if (token.empty() || token.size() > 200) return Unauthenticated();
  Principal p;
  bool found = false;
  int64_t now = clock_.NowMs();
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows,
              c.Query(std::string("SELECT ") + kPrincipalColumns +
                          " FROM sessions s JOIN users u ON u.tenant_id = s.tenant_id AND u.id = "
                          "s.user_id JOIN tenants t ON t.id = s.tenant_id LEFT JOIN roles r ON "
                          "r.tenant_id = u.tenant_id AND r.name = u.role WHERE s.token_hash = ? AND "
                          "s.revoked_at IS NULL AND s.expires_at > ? AND u.status = 'active'",
                      {Sha256Hex(token), now}));
    if (rows.empty()) return Status::Ok();
    found = true;
    return FillPrincipal(rows.rows[0], &p);
  }));
  if (!found) return Unauthenticated();
  return p;
}

Result<Principal> IdentityService::PrincipalFor(const std::string& tenant_id,
                                                const std::string& user_id) {
  Principal p;
  bool found = false;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows,
              c.Query(std::string("SELECT ") + kPrincipalColumns +
                          " FROM users u JOIN tenants t ON t.id = u.tenant_id LEFT JOIN roles r ON "
                          "r.tenant_id = u.tenant_id AND r.name = u.role WHERE u.tenant_id = ? AND "
                          "u.id = ? AND u.status = 'active'",
                      {tenant_id, user_id}));
    if (rows.empty()) return Status::Ok();
    found = true;
    return FillPrincipal(rows.rows[0], &p);
  }));
  if (!found)
    return Status::Error(ErrorKind::kPermissionDenied, "intake.owner_inactive",
                         "the user behind this intake source is no longer active",
                         "该进线入口的创建人已停用");
  return p;
}

Status IdentityService::Logout(const std::string& token) {
  LF_ASSIGN(Principal p, Authenticate(token));
  int64_t now = clock_.NowMs();
  return db_.Write([&](Tx& tx) -> Status {
    LF_TRY(tx.Exec("UPDATE sessions SET revoked_at = ? WHERE token_hash = ?",
                   {now, Sha256Hex(token)})
               .status());
    return events_.Append(tx, p.tenant_id, p.user_id, "user.signed_out", "users", p.user_id, {})
        .status();
  });
}

}  // namespace lf
