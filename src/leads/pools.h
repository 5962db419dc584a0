// The public pool, 公海 (MISSION L11): unworked leads return to a pool and are claimed from it.
// Pools are data: claim rules (a daily quota per person, a cooldown before the previous owner may
// claim again, holding caps per person and per department) and reclaim rules (N calendar days
// without follow-up, or without an opportunity, with a warning M days ahead), and `manual_entry`
// (false = 关闭手工录入, enforced by LeadService::ManualEntryPool). A lead that was never followed
// up counts from its assignment — a missing timestamp is never "infinitely overdue".
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "leads/assignment.h"
#include "records/record_service.h"

namespace lf {

// Whether a pool with these rules lets people enter leads by hand (its rule `manual_entry` is not
// false).
bool TakesManualEntry(const nlohmann::json& rules);

// Thread-safe.
class LeadPools {
 public:
  LeadPools(Database& db, EventLog& events, RecordService& records, LeadAssignment& assignment,
            const Clock& clock)
      : db_(db), events_(events), records_(records), assignment_(assignment), clock_(clock) {}

  Result<nlohmann::json> List(const Principal& p);
  Result<nlohmann::json> Create(const Principal& p, const nlohmann::json& body);
  Result<nlohmann::json> Update(const Principal& p, const std::string& id, const nlohmann::json& body);

  // Owner (or a pool manager) puts a lead into a pool: {"pool_id"?, "reason"?} (default pool).
  Result<nlohmann::json> Release(const Principal& p, const std::string& lead_id, const nlohmann::json& body);
  // Takes a lead from its pool, checking cooldown, daily quota and holding caps.
  // `pool_id`, when given, must be the lead's pool.
  Result<nlohmann::json> Claim(const Principal& p, const std::string& lead_id,
                               const std::string& pool_id = {});
  // Moves a pooled lead to another pool (pool managers).
  // `from_pool_id`, when given, must be the lead's pool.
  Result<nlohmann::json> Transfer(const Principal& p, const std::string& lead_id, const nlohmann::json& body,
                                  const std::string& from_pool_id = {});
  // Owned leads whose home is this pool that are due for reclaim now, and those due within the
  // warning window: {"due": [...], "warning": [...], "cutoff", "warning_cutoff"}.
  Result<nlohmann::json> ReclaimPreview(const Principal& p, const std::string& pool_id);
  // Moves the due leads back into the pool (lead.reclaimed events) → {"reclaimed": n}.
  // PoolScheduler runs it daily (leads/pool_scheduler.h); admins can run it by hand.
  Result<nlohmann::json> Reclaim(const Principal& p, const std::string& pool_id);

 private:
  struct Pool {
    std::string id, name;
    bool is_default = false, enabled = true;
    nlohmann::json rules;
  };
  Result<Pool> LoadPool(Connection& c, const std::string& tenant_id, const std::string& id);
  Result<nlohmann::json> ValidateRules(const nlohmann::json& body);
  // The reclaim query for `pool`: WHERE clause and params selecting owned leads due before the
  // given calendar-day cutoffs.
  struct Due {
    std::string where;
    std::vector<Value> params;
  };
  Due DueQuery(const Principal& p, const Pool& pool, int64_t followup_cutoff, int64_t opportunity_cutoff);

  Database& db_;
  EventLog& events_;
  RecordService& records_;
  LeadAssignment& assignment_;
  const Clock& clock_;
};

}  // namespace lf
