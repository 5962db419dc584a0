// Lead assignment (MISSION L4, L5): rules as data — conditions on any lead field (custom too) and a
// strategy (round_robin, weighted, least_loaded) over members, skipping members who are away or
// at their cap — replace "Excel + pulling people into a chat group". Every assignment is a
// lead.assigned event with its reason, and starts the silent period (no reminders while
// `silent_until` is ahead; the rules engine reads it).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "records/record_service.h"

namespace lf {

// Thread-safe; Assign() must run inside the write that creates or reassigns the lead.
class LeadAssignment {
 public:
  LeadAssignment(Database& db, EventLog& events, RecordService& records, const Clock& clock)
      : db_(db), events_(events), records_(records), clock_(clock) {}

  Result<nlohmann::json> ListRules(const Principal& p);
  Result<nlohmann::json> CreateRule(const Principal& p, const nlohmann::json& body);
  Result<nlohmann::json> UpdateRule(const Principal& p, const std::string& id,
                                    const nlohmann::json& body);

  // Inside a write: the first enabled rule matching `values` (stored form) picks an owner.
  // Returns the assignment ({owner_id, rule_id, reason}) or null when no rule applies / nobody
  // is eligible. Updates the rule's rotation state.
  Result<nlohmann::json> Pick(Tx& tx, const Principal& p, const nlohmann::json& values);
  // Inside a write: sets owner, assigned_at and silent_until on the lead and appends
  // lead.assigned with `reason`.
  Status Apply(Tx& tx, const Principal& p, const std::string& lead_id, const std::string& owner_id,
               const nlohmann::json& reason);
  // Manual (re)assignment by a user: POST /api/v1/leads/{id}/assign.
  Result<nlohmann::json> Reassign(const Principal& p, const std::string& lead_id,
                                  const nlohmann::json& body);
  // PUT /api/v1/me/availability {"availability": "available" | "away"}.
  Result<nlohmann::json> SetAvailability(const Principal& p, const nlohmann::json& body);

 private:
  Result<nlohmann::json> ValidateRule(const Principal& p, const nlohmann::json& body, bool partial);

  Database& db_;
  EventLog& events_;
  RecordService& records_;
  const Clock& clock_;
};

}  // namespace lf
