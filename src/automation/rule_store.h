// RuleStore: rules as data (issue 4, A1) — the API's create/list/change of rules (checked when
// saved, permission rules.manage), template installs, and the compiled per-tenant form the engine
// and the scheduler use: one rules::RuleSet per event type, cached per (rules_version,
// schema_version). Every change bumps tenants.rules_version in the same write, so every instance
// recompiles on its next look.
// Thread-safety: thread-safe (the cache has its own mutex; compiled sets are immutable and shared).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "events/event_log.h"
#include "identity/identity.h"
#include "records/record_service.h"
#include "rules/expr.h"
#include "rules/rule_def.h"
#include "rules/rule_set.h"

namespace lf::automation {

inline constexpr const char* kPermRulesManage = "rules.manage";

// One enabled rule, compiled.
struct CompiledRule {
  std::string id, name;
  int64_t revision = 0;
  int64_t since_seq = 0;  // the rule.created event: only later events fire it
  rules::RuleDef def;
  std::optional<rules::Expr> condition;  // none: always true
  std::optional<rules::Expr> unless;     // after-rules only
};

// A tenant's enabled rules, compiled against one schema version. Immutable once built.
// Memory: O(rules × condition size) per tenant.
struct TenantRules {
  int64_t rules_version = -1, schema_version = -1;
  std::shared_ptr<const TenantSchema> schema;
  std::vector<CompiledRule> rules;
  struct EventRules {
    std::shared_ptr<rules::RuleSet> set;  // rules with a condition; ids index into `rules`
    std::vector<size_t> set_rules;        // RuleSet index → rules index
    std::vector<size_t> always;           // rules without a condition
  };
  std::map<std::string, EventRules> by_event;             // event-triggered, by event type
  std::map<std::string, std::vector<size_t>> after_event;  // after-rules, by event type
  std::vector<size_t> cron;                                // cron rules
};

class RuleStore {
 public:
  RuleStore(Database& db, EventLog& events, RecordService& records, const Clock& clock)
      : db_(db), events_(events), records_(records), clock_(clock) {}

  Result<nlohmann::json> List(const Principal& p);
  Result<nlohmann::json> Get(const Principal& p, const std::string& id);
  // Creates a rule from its JSON (rules/rule_def.h). `template_id` marks template installs.
  Result<nlohmann::json> Create(const Principal& p, const nlohmann::json& body,
                                const std::string& template_id = "");
  // Changes a rule: the body's keys replace the stored ones, and the whole rule is checked again.
  Result<nlohmann::json> Update(const Principal& p, const std::string& id, const nlohmann::json& body);
  // The stored rule merged with `overrides` and checked (for dry runs of a draft change).
  Result<rules::RuleDef> Definition(const Principal& p, const std::string& id,
                                    const nlohmann::json& overrides);
  // The firings recorded on one record (for its history), newest first: {items: [{rule_id,
  // rule_name, entity, record_id, event_seq, action_index, action, status, result, at}]}. Whoever may read
  // the record (its newest 500); with only `rule_id`: that rule's firings (rules.manage), `limit`
  // (1–500, default 100) at a time, newest first, with `next_cursor` to pass as `cursor`.
  Result<nlohmann::json> Firings(const Principal& p, const std::string& entity, const std::string& record_id,
                                 const std::string& rule_id = {}, const std::string& cursor = {},
                                 const std::string& limit = {});
  Result<nlohmann::json> ListTemplates(const Principal& p);
  // Installs every rule of a template; {template, items: [rule, …]}.
  Result<nlohmann::json> InstallTemplate(const Principal& p, const std::string& template_id);

  // The compiled enabled rules of a tenant at (rules_version, schema_version); reads the database
  // when the cache is older. Call outside any db.Read (it reads itself).
  Result<std::shared_ptr<const TenantRules>> Compiled(const std::string& tenant_id, int64_t rules_version,
                                                      int64_t schema_version, const TimeZone* zone,
                                                      SchemaRegistry& schemas);

 private:
  static Status RequireManage(const Principal& p);
  // The channels and documents the actions name exist in the caller's tenant (422 otherwise).
  Status CheckTargets(const Principal& p, const rules::RuleDef& def);
  Result<nlohmann::json> Insert(const Principal& p, const rules::RuleDef& def,
                                const std::string& template_id);

  Database& db_;
  EventLog& events_;
  RecordService& records_;
  const Clock& clock_;
  std::mutex mu_;  // guards cache_
  std::map<std::string, std::shared_ptr<const TenantRules>> cache_;  // per tenant
};

// A stored rules row as API JSON.
nlohmann::json RuleRowJson(const Row& r, const TimeZone* zone);

}  // namespace lf::automation
