// Alerts (issue 4, S3/S5) and the "today" card (M1). An alert is visible to the record's owner,
// the owner's supervisor it was raised for, anyone who may read the record it is about (so a
// supervisor sees the alerts of the team's records through the access policy) and admins.
// States: open → acknowledged → resolved, with times and who.
// Thread-safety: thread-safe (stateless apart from the injected services).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "records/record_service.h"

namespace lf::automation {

struct NewAlert {
  std::string tenant_id, actor_id;  // actor: who appends the events (the system principal)
  std::string kind, severity = "warning", title;
  std::string entity, record_id, rule_id;  // what it is about (may be empty)
  std::string owner_id, supervisor_id;     // the record's owner; who must act on it
  nlohmann::json caused_by;                // for the live notice (rule, event), may be null
};

// Inside a write: inserts an open alert and appends "alert.raised" for the supervisor (and the
// owner when another person), which the live stream delivers to their open browsers at once.
// Returns the alert's id.
Result<std::string> RaiseAlert(Tx& tx, EventLog& events, const NewAlert& a, int64_t now);

class AlertService {
 public:
  AlertService(Database& db, EventLog& events, RecordService& records, const Clock& clock)
      : db_(db), events_(events), records_(records), clock_(clock) {}
  // ?state=open|acknowledged|resolved (empty: all), newest first, at most 200.
  Result<nlohmann::json> List(const Principal& p, const std::string& state);
  Result<nlohmann::json> Acknowledge(const Principal& p, const std::string& id);
  Result<nlohmann::json> Resolve(const Principal& p, const std::string& id);
  // {tasks: due within 24 h or overdue and open, hot_leads: ≥ 2 activities in the last 3 calendar
  // days in the tenant's zone, alerts: my open alerts}.
  Result<nlohmann::json> Today(const Principal& p);
  // My in-app notifications (rule `notify` actions, the 公海 reclaim warnings), newest first, at
  // most `limit` (1–200): {items: [{seq, at, title, text?, kind?, entity?, record_id?, caused_by?}]}.
  // They are also pushed live; this is how someone who was away reads them.
  Result<nlohmann::json> Notifications(const Principal& p, int limit);

 private:
  // " AND (visible)" over alias `a`, with its parameters appended to `params`. Warms caches.
  Result<std::string> VisibleSql(const Principal& p, std::vector<Value>* params);
  Result<nlohmann::json> Transition(const Principal& p, const std::string& id, bool resolve);

  Database& db_;
  EventLog& events_;
  RecordService& records_;
  const Clock& clock_;
};

}  // namespace lf::automation
