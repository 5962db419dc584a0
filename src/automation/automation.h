// Automation: the services of issue 4 wired together for a server process — rule store, action
// runner, engine (started by Start), alerts and dry runs. Thread-safe: every member is.
#pragma once

#include "automation/actions.h"
#include "automation/alerts.h"
#include "automation/engine.h"
#include "automation/rule_store.h"

namespace lf::automation {

class Automation {
 public:
  Automation(Database& db, EventBus& bus, EventLog& events, SchemaRegistry& schemas, IdentityService& identity,
             RecordService& records, LeadAssignment& assignment, const Clock& clock)
      : db_(db), records_(records), clock_(clock), store_(db, events, records, clock),
        actions_(db, events, records, assignment, clock), alerts_(db, events, records, clock),
        engine_(db, bus, schemas, identity, records, store_, actions_, clock) {}
  void Start() { engine_.Start(); }
  RuleStore& store() { return store_; }
  AlertService& alerts() { return alerts_; }
  RuleEngine& engine() { return engine_; }
  // Which live records (newest 1,000 the caller may read) the rule — stored, with `overrides`
  // applied — matches now, and what each action would do. Writes nothing.
  Result<nlohmann::json> DryRun(const Principal& p, const std::string& rule_id, const nlohmann::json& overrides);

 private:
  Database& db_;
  RecordService& records_;
  const Clock& clock_;
  RuleStore store_;
  ActionRunner actions_;
  AlertService alerts_;
  RuleEngine engine_;  // last: its worker uses the members above
};

}  // namespace lf::automation
