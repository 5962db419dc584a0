// leads/: the lead pipeline on top of records/ (MISSION L1–L3, L7): dedup of the same phone within
// a configurable window (a repeat becomes a touch on the existing lead), intake sources that stamp
// the channel and keep ad attribution and the raw payload, response time computed from the first
// follow-up, the duplicate check that names an owner without revealing the record, quick entry.
// Depends on base/, storage/, schema/, events/, identity/, records/.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "leads/assignment.h"
#include "records/record_service.h"

namespace lf {

// Where an intake lead came from (an intake source authenticated by its key).
struct IntakeSource {
  std::string tenant_id, id, name, channel, first_touch, created_by;
  std::string pool_id;  // 目标公海: its leads' home pool, where unassigned ones wait ("" = default)
  bool enabled = true;
};

// A validated lead, ready to be created inside a write by LeadService::CreateInTx.
struct PreparedLead {
  std::shared_ptr<PreparedCreate> create;
  std::string phone;             // E.164, for dedup; empty when none
  nlohmann::json touch;          // what a duplicate records as its touch
  bool distribute = false;       // hand to the assignment rules
  std::string waiting_pool_id;   // where a distributed lead no rule takes waits ("" = nowhere)
  int64_t dedup_window_hours = 24;
};

struct LeadResult {
  nlohmann::json lead;        // the created lead, or the existing one on a duplicate
  bool deduplicated = false;  // true: a touch was recorded on `lead` instead of a new lead
  bool replayed = false;      // answered from an earlier request with the same Idempotency-Key
};

// Thread-safe. Registers a create hook on "activities" (response time); construct before serving.
class LeadService {
 public:
  LeadService(Database& db, EventLog& events, RecordService& records, const Clock& clock);

  // Creates a lead through dedup. `intake` stamps channel/source and keeps `raw` in the event; an
  // intake result's `lead` is the record as prepared (its id is what intake answers), not re-read
  // after assignment.
  void CreateAsync(const Principal& p, const nlohmann::json& body, const IdempotencyKey* idem,
                   const IntakeSource* intake, const nlohmann::json& raw,
                   std::function<void(Result<LeadResult>)> done);
  Result<LeadResult> Create(const Principal& p, const nlohmann::json& body,
                            const IdempotencyKey* idem = nullptr);
  // The create path in two parts, for batch writers (imports): validate outside the writer, then
  // inside a write create through dedup (a touch on a recent duplicate) and assignment. Returns the
  // lead's id (the existing one for a duplicate).
  // `home_pool_id`, when not empty, is stamped on the lead (ManualEntryPool chose it).
  Result<std::shared_ptr<PreparedLead>> PrepareLead(const Principal& p, const nlohmann::json& body,
                                                    const IntakeSource* intake = nullptr,
                                                    const nlohmann::json& raw = nullptr,
                                                    const std::string& home_pool_id = {});
  // `placed`: the lead was assigned by a rule or put in its pool, so the stored record differs
  // from the prepared one.
  Result<std::string> CreateInTx(Tx& tx, const PreparedLead& lead, bool* deduplicated, bool* placed);


  // 关闭手工录入 per pool: a lead entered by hand (create without intake, quick entry) belongs to the
  // pool named by the body's `home_pool_id`, else to the default pool, and is refused (403
  // leads.manual_entry_disabled) when that pool's rule `manual_entry` is false. Returns the named
  // pool's id, "" when none was named (the lead's home is then the default pool). Intake and
  // imports are not manual entry.
  Result<std::string> ManualEntryPool(const Principal& p, const nlohmann::json& body);

  // Quick entry (L7): a lead (or the existing one for the phone) plus a light follow-up card —
  // 称呼 salutation, 核心诉求 core need (a note activity), 下次动作 next action (a task with a due
  // time) — in one write.
  Result<nlohmann::json> QuickEntry(const Principal& p, const nlohmann::json& body);

  // Who owns a lead, customer or contact matching the phone / WeChat ID / company name, without
  // revealing the record: [{entity, field, owner: {id, name} | null, mine, archived}].
  Result<nlohmann::json> DuplicateCheck(const Principal& p, const std::string& phone,
                                        const std::string& wechat, const std::string& company);

  // Intake sources (admin): a channel-stamped entry point with its own secret key.
  Result<nlohmann::json> CreateIntakeSource(const Principal& p, const nlohmann::json& body);
  Result<nlohmann::json> ListIntakeSources(const Principal& p);
  Result<nlohmann::json> RotateIntakeKey(const Principal& p, const std::string& id);
  // Renames, re-stamps (first_touch) or disables/enables a source: {name, first_touch, enabled}.
  // A disabled source answers 403 intake.disabled; its leads stay.
  Result<nlohmann::json> UpdateIntakeSource(const Principal& p, const std::string& id,
                                            const nlohmann::json& body);
  // Resolves an intake source by id and key (constant-time compare). kUnauthenticated on mismatch.
  Result<IntakeSource> AuthenticateIntake(const std::string& source_id, const std::string& key);
  // Maps an intake payload (ad platform, web form, script) to a lead body: known keys and lead
  // fields are taken (keyword → ad_keyword, bd_vid → ad_bd_vid, …); everything stays in `raw`.
  Result<nlohmann::json> IntakeBody(const Principal& p, const IntakeSource& source,
                                    const nlohmann::json& payload);

  LeadAssignment& assignment() { return assignment_; }

  // Tenant settings used here ("leads.dedup_window_hours", default 24; "leads.silent_period_hours",
  // default 24). The switch for manual entry is a pool rule (LeadPools), not a setting.
  Result<nlohmann::json> Settings(const Principal& p);
  Result<nlohmann::json> UpdateSettings(const Principal& p, const nlohmann::json& body);

 private:
  // Inside a write: the newest live lead with `phone` created within the window, if any.
  Result<std::optional<std::string>> FindRecentDuplicate(Tx& tx, const std::string& tenant_id,
                                                         const std::string& phone, int64_t now,
                                                         int64_t window_hours);
  // The tenant's lead settings, cached per tenant and schema_version (UpdateSettings bumps it, and
  // every request's principal carries the current one), so the hot path reads no settings rows.
  struct PoolEntry {
    std::string name;
    bool enabled = true, manual_entry = true;
  };
  struct CachedSettings {
    int64_t version = -1, dedup_window_hours = 24, silent_period_hours = 24;
    std::string default_pool_id;                                      // "" when there is no pool
    std::shared_ptr<const std::map<std::string, PoolEntry>> pools;    // by id; never null
  };
  Result<CachedSettings> SettingsFor(const Principal& p);
  Result<CachedSettings> ReadSettings(const std::string& tenant_id);
  // Inside a write: records a touch on `lead_id` (touch_count, last_touch_at, lead.touched event).
  Status Touch(Tx& tx, const Principal& p, const std::string& lead_id, int64_t now,
               const nlohmann::json& touch);
  Status OnActivityCreated(Tx& tx, const PreparedCreate& c);
  // Sets assigned_at / silent_until on a new lead that has an owner from the start.
  Status StampOwner(const Principal& p, PreparedCreate& c);
  static Status ManualEntryDisabled(const std::string& pool_name);

  Database& db_;
  EventLog& events_;
  RecordService& records_;
  const Clock& clock_;
  LeadAssignment assignment_;
  std::mutex settings_mu_;  // guards settings_
  std::map<std::string, CachedSettings> settings_;  // per tenant, a few bytes each
};

}  // namespace lf
