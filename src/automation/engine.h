// RuleEngine: the rules consumer of the event log (DESIGN.md §1, §10) and the scheduler of rule
// timers and cron rules. One worker thread: per tenant it reads committed events after its durable
// checkpoint (consumer "rules") in seq order, evaluates the enabled event-triggered rules of the
// event's type against the record the event is about (stored form, via RuleSet), runs their
// actions (automation/actions.h: once per key), schedules `after` timers, then moves the
// checkpoint. It wakes on the EventBus, when the earliest pending timer is due, and at least every
// 500 ms (cron slots, other instances).
// Actions run as the tenant's system principal: its first active admin (explained in
// automation/README.md). Loop prevention: an event caused by a rule never re-fires that rule, and
// events more than kMaxDepth firings deep fire nothing.
// Thread-safety: thread-safe; Start once, the destructor stops the worker.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "automation/actions.h"
#include "automation/rule_store.h"

namespace lf::automation {

class RuleEngine {
 public:
  static constexpr int64_t kMaxDepth = 3;
  RuleEngine(Database& db, EventBus& bus, SchemaRegistry& schemas, IdentityService& identity,
             RecordService& records, RuleStore& store, ActionRunner& actions, const Clock& clock);
  ~RuleEngine();
  RuleEngine(const RuleEngine&) = delete;
  RuleEngine& operator=(const RuleEngine&) = delete;
  void Start();
  // One pass over every tenant: pending events, due timers, due cron slots. Returns events done.
  Result<int64_t> RunOnce();

 private:
  struct TenantState {
    std::string id;
    const TimeZone* zone = nullptr;
    int64_t schema_version = 0, rules_version = 0, checkpoint = 0, head = 0;
  };
  void Loop();
  Result<int64_t> ProcessTenant(const TenantState& t);
  Result<int64_t> ProcessEvents(const TenantState& t, const Principal& system, const TenantRules& rules);
  // Fires the due timers (a page of 200); returns how many.
  Result<int64_t> FireTimers(const TenantState& t, const Principal& system, const TenantRules& rules);
  // Lowers next_due_ to the tenant's earliest pending timer.
  Status NoteNextDue(const std::string& tenant_id);
  Status FireCron(const TenantState& t, const Principal& system, const TenantRules& rules);
  Result<std::optional<Principal>> SystemPrincipal(const std::string& tenant_id);
  // Loads the record (stored form, kept in `keep`) and evaluates `rule`'s condition and `unless`
  // on it; when it fires, prepares its actions into `out`. Returns transient failures only.
  Status PrepareTimer(const Principal& system, const TenantRules& rules, const CompiledRule& rule,
                      const std::string& entity, const std::string& record_id, int64_t key_seq,
                      std::deque<nlohmann::json>* keep, std::vector<PreparedAction>* out);
  // Prepares every action of `rule` for one record (`stored` must outlive the apply).
  Status PrepareActions(const Principal& system, const TenantSchema::Entity& e, const CompiledRule& rule,
                        const std::string& record_id, const nlohmann::json& stored, int64_t key_seq,
                        int64_t depth, std::vector<PreparedAction>* out);
  // Applies `actions` in order and then `also` in one write: effects, firing keys and the
  // consumer's bookkeeping (checkpoint, timer states, cron slots) commit together or not at all.
  Status ApplyAll(const std::vector<PreparedAction>& actions, const std::function<Status(Tx&)>& also);

  Database& db_;
  EventBus& bus_;
  SchemaRegistry& schemas_;
  IdentityService& identity_;
  RecordService& records_;
  RuleStore& store_;
  ActionRunner& actions_;
  const Clock& clock_;
  uint64_t subscription_ = 0;
  std::mutex mu_;  // guards wake_, stop_
  std::condition_variable cv_;
  bool wake_ = false, stop_ = false;
  std::mutex run_mu_;  // one pass at a time (the worker and RunOnce callers); guards the two below
  int64_t next_due_ = 0;  // earliest pending timer seen by the last pass (clock ms)
  bool more_ = false;     // the last pass left due timers behind
  std::thread worker_;
};

}  // namespace lf::automation
