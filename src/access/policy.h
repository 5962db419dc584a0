// access/: who may do what to which record and see which field (MISSION P1–P8, S1). Policies are
// data (roles' entity rights and data scopes, restricting rules, temporary grants, sensitive
// fields, approved access requests); a user's effective access is compiled once per policy
// version into an AccessPolicy, which gives (a) the SQL predicate every read and write of a
// record carries and (b) the fields to mask. records/ is the one enforcement point that asks it.
// Depends on base/, storage/, schema/, events/, identity/.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "schema/metadata.h"
#include "storage/database.h"

namespace lf {

enum class Action { kCreate, kRead, kUpdate, kArchive, kExport };
const char* ActionName(Action a);
std::optional<Action> ParseAction(std::string_view s);

// Data scope (P7): whose records a role sees, along the org chart.
enum class Scope { kNone, kSelf, kSubordinates, kDepartment, kDepartmentTree, kAll };
const char* ScopeName(Scope s);
std::optional<Scope> ParseScope(std::string_view s);

// A role's rights on one entity.
struct EntityRights {
  std::set<Action> actions;
  Scope scope = Scope::kNone;
  // Reference fields (e.g. activities.lead_id): a record is also visible when the record it
  // refers to is visible to the same user (one level, never recursive).
  std::vector<std::string> inherit;
  // A field that, when set, makes the record visible to every reader of the entity (the public
  // pool: leads.pool_id).
  std::string shared_field;
};

// roles.entity_access: {"<entity>" | "*": {"actions": [...], "scope": "...", "inherit": [...],
// "shared_field": "..."}}. The entry for an entity wins over "*".
struct RoleRights {
  std::map<std::string, EntityRights> entities;
  const EntityRights* For(const std::string& entity) const;
};
// Validates against the tenant's schema (entities, reference fields). Errors name the key.
Result<RoleRights> ParseRoleRights(const nlohmann::json& j, const TenantSchema& schema);
nlohmann::json RoleRightsToJson(const RoleRights& r);

// A restricting rule (P1): records of `entity` that match are visible only to the principals it
// allows (on top of the role's scope; a live grant still opens a record).
struct AccessRule {
  std::string id, name, entity;
  bool enabled = true;
  // Match: the record carries `tag` (or the record its reference field `via` points to does), or
  // the record's `field` has one of `values`.
  std::string tag, via, field;
  std::vector<std::string> values;
  // Allowed: users in these departments (and below), with these roles, these users, or the users
  // named by these user fields of the record (e.g. owner_id).
  std::vector<std::string> departments, roles, users, user_fields;
};
// Parses an API body {name, entity, enabled?, match: {tag, via?} | {field, in: [...]},
// allow: {departments?, roles?, users?, user_fields?}} and checks it against the schema.
Result<AccessRule> ParseAccessRule(const nlohmann::json& body, const TenantSchema& schema);
nlohmann::json AccessRuleToJson(const AccessRule& r);

// A temporary grant (P2) on one record for its grantee, optionally extended to the records of
// `relations` (entities) that refer to it.
struct Grant {
  std::string id, entity, record_id, mode;  // mode: "read" | "write"
  std::vector<std::string> relations;
  int64_t expires_at = 0;
};

// An approved access request (P8): these sensitive fields of one record, until `expires_at`.
struct Unmask {
  std::string request_id, entity, record_id;
  std::set<std::string> fields;
  int64_t expires_at = 0;
};

// One SQL condition with its parameters and what it stands for (explain answers with `reason`).
struct SqlClause {
  std::string sql;  // empty: no restriction
  std::vector<Value> params;
  std::string reason;
};

// "a OR b OR …"; an empty clause (every row) makes the whole disjunction empty, no clauses "1 = 0".
SqlClause AnyOf(const std::vector<SqlClause>& parts);

// The user facts a policy is compiled from.
struct PolicySubject {
  std::string tenant_id, user_id, role, department_id, department_path;
  std::set<std::string> permissions;
  std::vector<std::string> subordinates;  // transitive reports by manager_id, without the user
  // Every user of the tenant → their department path ("" without a department): the org chart
  // the in-memory decision reads (the SQL predicate reads the tables themselves).
  std::shared_ptr<const std::unordered_map<std::string, std::string>> user_paths;
};

// The facts of one record an in-memory decision reads: its stored-form values (field → value:
// owner_id, tags, …) and, for inherit and via rules, the records its reference fields point to.
struct RecordFacts {
  const nlohmann::json* values = nullptr;
  std::map<std::string, RecordFacts> parents;  // reference field → the referenced record
};

// What decided, without allocating: `kind` is "superuser", "grant", "scope", "shared",
// "inherit", "role" or "rule"; `detail` (into the policy's own data) the scope name, field name or
// rule id. Valid while the policy lives.
struct Decision {
  bool allow = false;
  const char* kind = "";
  std::string_view detail;
  std::string by() const { return detail.empty() ? kind : std::string(kind) + ":" + std::string(detail); }
};

// A user's effective access, compiled once per (tenant, user, policy version). Immutable and
// shared between requests; grants and unmasks carry their expiry and are filtered by `now` at use.
class AccessPolicy {
 public:
  AccessPolicy(PolicySubject subject, RoleRights rights, std::vector<AccessRule> rules,
               std::vector<Grant> grants, std::vector<Unmask> unmasks,
               std::map<std::string, std::set<std::string>> sensitive);

  const PolicySubject& subject() const { return subject_; }
  bool superuser() const { return superuser_; }
  // The role's entity-level right, ignoring records (create; list/export at all).
  bool Allows(const std::string& entity, Action a) const;

  // The condition rows of `e` must meet for `a` at `now` (kRead, kExport, kUpdate, kArchive).
  // sql is empty when every row of the tenant qualifies, "1 = 0" when none does.
  SqlClause Predicate(const TenantSchema& schema, const TenantSchema::Entity& e, Action a,
                      const Dialect& d, int64_t now) const;
  // Predicate as a disjunction: visible = any of these (each grant; each scope, shared or inherit
  // clause AND every rule). A list query runs one index-friendly branch per disjunct and merges
  // them (an OR of differently indexed columns defeats ordered index scans). Never empty; a single
  // empty clause means every row.
  std::vector<SqlClause> Disjuncts(const TenantSchema& schema, const TenantSchema::Entity& e,
                                   Action a, const Dialect& d, int64_t now) const;
  // The parts Predicate combines, each with its reason, for explain: visible =
  // grant OR ((scope OR shared OR inherit…) AND every rule).
  struct Parts {
    std::vector<SqlClause> grants, base, rules;
    bool entity_right = false;
  };
  Parts Explain(const TenantSchema& schema, const TenantSchema::Entity& e, Action a,
                const Dialect& d, int64_t now) const;

  // The same decision as Predicate, in memory, for one record (the live stream, benchmarks).
  // Must agree with Predicate on every record: access_property_test.cc checks that.
  Decision Decide(const TenantSchema& schema, const TenantSchema::Entity& e,
                  const RecordFacts& facts, Action a, int64_t now) const;

  // A condition on a user-id column (`column`) that holds for users inside this user's scope for
  // `entity` — who they may hand a record to (mass-assignment guard).
  SqlClause UserInScope(const std::string& entity, Action a, const std::string& column) const;

  // Sensitive fields of `entity` (P3); empty when none.
  const std::set<std::string>& Sensitive(const std::string& entity) const;
  // True when the user sees every sensitive field unmasked (role permission fields.unmask or *).
  bool UnmasksAll() const { return unmask_all_; }
  // Sensitive fields of record `id` masked for this user at `now`.
  std::set<std::string> MaskedFields(const std::string& entity, const std::string& id,
                                     int64_t now) const;
  // The approved request that unmasks `field` of record `id` at `now`, or "".
  std::string UnmaskingRequest(const std::string& entity, const std::string& id,
                               const std::string& field, int64_t now) const;
  // Tags named by restricting rules: only users with access.manage may add or remove them.
  const std::set<std::string>& ProtectedTags() const { return protected_tags_; }

 private:
  SqlClause ScopeClause(Scope s, const std::string& column) const;
  Parts BuildParts(const TenantSchema& schema, const TenantSchema::Entity& e, Action a,
                   const Dialect& d, int64_t now, bool with_inherit) const;
  bool ExemptFrom(const AccessRule& r) const;
  bool InScope(Scope s, const nlohmann::json& owner) const;
  Decision DecideOne(const TenantSchema& schema, const TenantSchema::Entity& e,
                     const RecordFacts& facts, Action a, int64_t now, bool with_inherit) const;
  // Rules that apply to this user (enabled, not exempt), indexed per entity by what they match.
  struct RuleIndex {
    std::unordered_multimap<std::string, const AccessRule*> by_tag;  // tag on the record itself
    std::map<std::string, std::unordered_multimap<std::string, const AccessRule*>> by_via_tag;
    std::map<std::string, std::unordered_multimap<std::string, const AccessRule*>> by_field_value;
  };

  PolicySubject subject_;
  RoleRights rights_;
  std::vector<AccessRule> rules_;
  std::vector<Grant> grants_;
  std::vector<Unmask> unmasks_;
  std::map<std::string, std::set<std::string>> sensitive_;
  std::set<std::string> protected_tags_;
  std::map<std::string, RuleIndex> rule_index_;                         // entity → rules
  std::unordered_multimap<std::string, const Grant*> grants_by_record_;  // record id → grants
  bool relation_grants_ = false;  // some grant extends to related records
  bool superuser_ = false, unmask_all_ = false;
};

// Masks a value for display, keeping its shape: "+8613812345678" → "138****5678", text keeps its
// first 3 and last 4 characters. Non-text values become null.
nlohmann::json MaskValue(const FieldDef& f, const nlohmann::json& v);

// Permission names of access/.
inline constexpr const char* kPermAccessManage = "access.manage";
inline constexpr const char* kPermFieldsUnmask = "fields.unmask";

}  // namespace lf
