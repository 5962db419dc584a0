// Automation: the services of issue 4 wired together for a server process — rule store, action
// runner, engine (started by Start), alerts, dry runs, and the outbound side (notification
// channels, the delivery log and the deliverer of notify/). A delivery that dies raises an alert
// for the rule's author (or the channel's creator). Thread-safe: every member is.
#pragma once

#include "automation/actions.h"
#include "automation/alerts.h"
#include "automation/engine.h"
#include "automation/rule_store.h"
#include "notify/channels.h"
#include "notify/deliveries.h"

namespace lf::automation {

struct AutomationOptions {
  std::string public_url;  // base of {{link}} in messages ("http://127.0.0.1:8080"); empty: none
  notify::DelivererOptions delivery;
};

class Automation {
 public:
  Automation(Database& db, EventBus& bus, EventLog& events, SchemaRegistry& schemas, IdentityService& identity,
             RecordService& records, LeadAssignment& assignment, const Clock& clock, AutomationOptions options = {})
      : db_(db), events_(events), records_(records), clock_(clock), channels_(db, events, clock),
        deliveries_(db, clock), store_(db, events, records, clock),
        actions_(db, events, records, assignment, deliveries_, clock, options.public_url),
        alerts_(db, events, records, clock), deliverer_(db, clock, options.delivery),
        engine_(db, bus, schemas, identity, records, store_, actions_, clock) {}
  // Starts the engine and the deliverer.
  void Start();
  RuleStore& store() { return store_; }
  AlertService& alerts() { return alerts_; }
  RuleEngine& engine() { return engine_; }
  notify::ChannelStore& channels() { return channels_; }
  notify::DeliveryLog& deliveries() { return deliveries_; }
  // Which live records (newest 1,000 the caller may read) the rule — stored, with `overrides`
  // applied — matches now, and what each action would do. Writes nothing.
  Result<nlohmann::json> DryRun(const Principal& p, const std::string& rule_id, const nlohmann::json& overrides);

 private:
  // The dead-letter hook: an alert for whoever must fix the channel.
  Status OnDeadDelivery(Tx& tx, const notify::DeadLetter& d);

  Database& db_;
  EventLog& events_;
  RecordService& records_;
  const Clock& clock_;
  notify::ChannelStore channels_;
  notify::DeliveryLog deliveries_;
  RuleStore store_;
  ActionRunner actions_;
  AlertService alerts_;
  notify::Deliverer deliverer_;  // its worker uses the members above
  RuleEngine engine_;            // last: its worker uses the members above
};

}  // namespace lf::automation
