// access/: the store and API of access policy data, and the per-user compiled policy cache.
// See policy.h for what a policy is.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "access/policy.h"
#include "base/clock.h"
#include "events/event_log.h"
#include "identity/identity.h"
#include "schema/metadata.h"
#include "storage/database.h"

namespace lf {

// Thread-safe. Every change to policy data bumps tenants.policy_version in the same write, so the
// next request on any instance (its principal carries the version) compiles a fresh policy (P6).
class AccessService {
 public:
  AccessService(Database& db, EventLog& events, SchemaRegistry& schemas, IdentityService& identity,
                const Clock& clock)
      : db_(db), events_(events), schemas_(schemas), identity_(identity), clock_(clock) {}

  int64_t Now() const { return clock_.NowMs(); }
  // The caller's compiled policy at the principal's policy version (cached).
  Result<std::shared_ptr<const AccessPolicy>> For(const Principal& p);

  // Roles (entity rights, scopes, permissions).
  Result<nlohmann::json> ListRoles(const Principal& p);
  Result<nlohmann::json> CreateRole(const Principal& p, const nlohmann::json& body);
  Result<nlohmann::json> UpdateRole(const Principal& p, const std::string& name,
                                    const nlohmann::json& body);
  // Restricting rules (P1).
  Result<nlohmann::json> ListRules(const Principal& p);
  Result<nlohmann::json> CreateRule(const Principal& p, const nlohmann::json& body);
  Result<nlohmann::json> UpdateRule(const Principal& p, const std::string& id,
                                    const nlohmann::json& body);
  // Temporary grants (P2): {entity, record_id, grantee_id, mode, hours, relations?, reason?}. The
  // granter must be able to read (for "write": update) the record.
  Result<nlohmann::json> ListGrants(const Principal& p);
  Result<nlohmann::json> CreateGrant(const Principal& p, const nlohmann::json& body);
  Result<nlohmann::json> RevokeGrant(const Principal& p, const std::string& id);
  // Sensitive fields (P3).
  Result<nlohmann::json> ListSensitiveFields(const Principal& p);
  Result<nlohmann::json> SetSensitive(const Principal& p, const std::string& entity,
                                      const std::string& field, const nlohmann::json& body);
  // Purpose-bound access requests (P8).
  Result<nlohmann::json> ListRequests(const Principal& p);
  Result<nlohmann::json> CreateRequest(const Principal& p, const nlohmann::json& body);
  Result<nlohmann::json> DecideRequest(const Principal& p, const std::string& id, bool approve,
                                       const nlohmann::json& body);
  // Why `user` may or may not `action` record `id` of `entity` (and see `field`).
  Result<nlohmann::json> Explain(const Principal& p, const std::string& user,
                                 const std::string& entity, const std::string& id,
                                 const std::string& field, const std::string& action);

  // Records that `p` was shown unmasked sensitive values (P3: every unmasked read is logged).
  // Durable before it returns.
  Status LogUnmaskedRead(const Principal& p, const std::string& entity,
                         const std::vector<std::string>& record_ids,
                         const std::set<std::string>& fields, const std::string& basis);

 private:
  Result<std::shared_ptr<const AccessPolicy>> Compile(const Principal& p);
  // Appends `type` for the policy change and bumps the policy version; `notify` users get an
  // access.changed event with `reason` (P4).
  Status Changed(Tx& tx, const Principal& p, const std::string& type, const std::string& entity,
                 const std::string& id, const nlohmann::json& data,
                 const std::vector<std::string>& notify, const std::string& reason);
  Result<std::shared_ptr<const TenantSchema>> SchemaFor(const Principal& p) {
    return schemas_.Get(p.tenant_id, p.schema_version);
  }

  Database& db_;
  EventLog& events_;
  SchemaRegistry& schemas_;
  IdentityService& identity_;
  const Clock& clock_;
  struct Cached {
    int64_t version = 0, schema_version = 0;
    std::shared_ptr<const AccessPolicy> policy;
  };
  std::mutex mu_;  // guards cache_
  std::map<std::string, Cached> cache_;  // tenant_id + "/" + user_id
};

}  // namespace lf
