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
