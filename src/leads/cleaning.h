// Lead cleaning (MISSION L6): archive — never delete — leads older than N *calendar days in the
// tenant's business zone*, with a preview, a recorded run and an undo. The cutoff is the start of
// the local day N days before today (base/time.h StartOfLocalDay), never now − N×24 h and never
// the server's zone: the seeds tell of 2,176 leads wiped by a UTC/UTC+8 mix-up and a 720-hour rule.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "records/record_service.h"

namespace lf {

// Thread-safe.
class LeadCleaning {
 public:
  LeadCleaning(Database& db, EventLog& events, RecordService& records, const Clock& clock)
      : db_(db), events_(events), records_(records), clock_(clock) {}

  // body: {"older_than_days": N (1–3650), "filters": {field or field[op]: value, …}}
  // → {"cutoff", "time_zone", "count", "sample": [up to 10 leads]}
  Result<nlohmann::json> Preview(const Principal& p, const nlohmann::json& body);
  // Same body, plus optional "expected_count" (409 when the preview no longer matches).
  // Archives the matching leads and records the run → the run.
  Result<nlohmann::json> Run(const Principal& p, const nlohmann::json& body);
  // Restores the leads a run archived that are still archived by it.
  Result<nlohmann::json> Undo(const Principal& p, const std::string& run_id);
  Result<nlohmann::json> ListRuns(const Principal& p);

 private:
  struct Criteria {
    int days = 0;
    int64_t cutoff = 0;
    nlohmann::json filters;
    std::string where;
    std::vector<Value> params;
  };
  Result<Criteria> Parse(const Principal& p, const nlohmann::json& body, bool allow_expected);

  Database& db_;
  EventLog& events_;
  RecordService& records_;
  const Clock& clock_;
};

}  // namespace lf
