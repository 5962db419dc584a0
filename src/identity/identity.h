// identity/: tenants, departments (a tree), roles (permission sets as data), users, password
// sign-in (Argon2id), opaque session tokens stored hashed, login throttling. Depends on base/,
// storage/, events/.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/status.h"
#include "base/time.h"
#include "events/event_log.h"
#include "storage/database.h"

namespace lf {

// Who is calling, resolved once per request from the session token.
struct Principal {
  std::string tenant_id, tenant_name, user_id, user_name, email, role, department_id;
  std::string availability;  // "available" | "away" (assignment skips away users)
  std::set<std::string> permissions;  // from the role's permission list
  const TimeZone* zone = nullptr;     // the tenant's business time zone
  std::string time_zone;
  int64_t schema_version = 0;
  int64_t policy_version = 0;  // tenants.policy_version: bumped by every access-relevant change
  bool Can(const std::string& permission) const {
    return permissions.count("*") || permissions.count(permission);
  }
};

struct Session {
  std::string token;  // returned once; only its hash is stored
  int64_t expires_at = 0;
  Principal principal;
};

// Permission names used by the platform. Roles hold lists of these (or "*").
inline constexpr const char* kPermSchemaManage = "schema.manage";
inline constexpr const char* kPermUsersManage = "users.manage";

// Marks every compiled access policy of the tenant stale (org, roles, rules, grants, requests,
// sensitive fields changed). Call inside the write that makes the change.
Status BumpPolicyVersion(Tx& tx, const std::string& tenant_id);

// Thread-safe: all state is in the database except the throttle table (own mutex).
class IdentityService {
 public:
  IdentityService(Database& db, EventLog& events, const Clock& clock)
      : db_(db), events_(events), clock_(clock) {}

  struct NewTenant {
    std::string name, time_zone = "Asia/Shanghai", admin_email, admin_name, admin_password;
  };
  struct TenantIds {
    std::string tenant_id, root_department_id, admin_user_id;
  };
  // Gives default roles of databases created before entity rights existed their default rights
  // (other roles get none). Idempotent; run at start-up after migrations.
  Status EnsureDefaultRoleAccess();

  // Creates a tenant with a root department, the default roles and its first admin.
  Result<TenantIds> CreateTenant(const NewTenant& t);

  struct NewUser {
    std::string email, name, password, role, department_id, manager_id, phone;
  };
  Result<nlohmann::json> CreateUser(const Principal& actor, const NewUser& u);
  Result<nlohmann::json> CreateDepartment(const Principal& actor, const std::string& name,
                                          const std::string& parent_id);
  // Changes a user (users.manage): {name, role, department_id, manager_id, phone, status
  // ("active" | "disabled"), reason}. Changes of role, department, manager or status change the
  // user's access: the policy version moves and the user is told why (access.changed).
  Result<nlohmann::json> UpdateUser(const Principal& actor, const std::string& id,
                                    const nlohmann::json& body);
  // Renames a department or sets its head (the approver of "department_head" requests).
  Result<nlohmann::json> UpdateDepartment(const Principal& actor, const std::string& id,
                                          const nlohmann::json& body);
  Result<nlohmann::json> ListUsers(const Principal& p);
  Result<nlohmann::json> ListDepartments(const Principal& p);

  // Signs in. `client` (IP address) feeds the throttle. Wrong email and wrong password give the
  // same error; after 5 failures in 15 minutes for an email (or 30 from one client) → 429.
  Result<Session> Login(const std::string& email, const std::string& password,
                        const std::string& client);
  // Resolves a session token. Expired or revoked → kUnauthenticated.
  Result<Principal> Authenticate(const std::string& token);
  Status Logout(const std::string& token);
  // The principal of an active user, without a session (intake sources act as their creator).
  Result<Principal> PrincipalFor(const std::string& tenant_id, const std::string& user_id);

  static constexpr int64_t kSessionTtlMs = 7LL * 24 * 3600 * 1000;

  // User JSON as served by the API (never the password hash).
  static nlohmann::json UserJson(const Row& r);

 private:
  // Fills `p` from a row of kPrincipalColumns (see identity.cc).
  static Status FillPrincipal(const Row& r, Principal* p);
 public:

 private:
  Status CheckThrottle(const std::string& key);
  void RecordFailure(const std::string& key);

  Database& db_;
  EventLog& events_;
  const Clock& clock_;
  std::mutex throttle_mu_;  // guards failures_
  std::map<std::string, std::deque<int64_t>> failures_;
};

}  // namespace lf
