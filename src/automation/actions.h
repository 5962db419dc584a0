// Rule actions (issue 4, A2): set_color, add_tags/remove_tags, create_task, assign, alert, notify
// (in-app, or a delivery queued for DingTalk / WeCom / email — notify/), escalate, send_document,
// webhook.
// Each action of a firing runs at most once per key (tenant, rule, event seq, record, action
// index): its rule_firings row is inserted in the same transaction as its effect, so a replay after
// a crash finds the key and skips. Record changes go through RecordService / LeadAssignment as the
// tenant's system principal, so they are validated and append events; those events carry
// `caused_by` {rule_id, event_seq, depth} for loop prevention and history.
// Thread-safety: thread-safe (stateless apart from the injected services).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "automation/rule_store.h"
#include "automation/message_render.h"
#include "leads/assignment.h"
#include "notify/deliveries.h"

namespace lf::automation {

// Who a firing's messages are about and for: the owner's supervisor and the users the record
// names (read once per firing, shared by its actions).
struct People {
  bool loaded = false;
  std::string supervisor;
  std::map<std::string, UserCard> users;
};

// One action to run.
struct ActionCall {
  const Principal* actor = nullptr;  // the tenant's system principal (see engine.h)
  const CompiledRule* rule = nullptr;
  int64_t key_seq = 0;               // the event seq (or the cron slot / timer's event)
  std::string entity, singular;      // the record's collection and singular name
  std::string record_id;
  const nlohmann::json* stored = nullptr;  // the record's stored form when the rule matched
  size_t index = 0;                  // action index in the rule
  bool silent = false;               // the record is inside its silent period (L5)
  int64_t depth = 1;                 // 1 + the depth of the event that caused this firing
  People* people = nullptr;          // shared by the actions of one firing, during Prepare only
};

// What happened to one action: "done", "unchanged", "suppressed" (silent period), "skipped"
// (already run: a replay), "not_delivered" (a notify on a channel kind the tenant has not set up),
// or "failed". A queued delivery is "done" with its delivery_id; whether
// it arrived is the delivery log's business (GET /api/v1/deliveries).
struct ActionOutcome {
  std::string status;
  nlohmann::json result;
};

// An action validated outside the writer, ready to apply inside a write.
struct PreparedAction {
  ActionCall call;
  ActionOutcome preset;  // "done" = run the effect; otherwise only record this outcome
  std::string owner;     // the record's owner when the rule matched
  std::optional<PreparedUpdate> update;
  std::shared_ptr<PreparedCreate> create;
  const FieldDef* tags_field = nullptr;  // add_tags / remove_tags: recomputed inside the write
  // alert / notify / escalate: the rendered message and who gets it.
  std::string title, text, recipient;
  std::optional<notify::NewDelivery> delivery;  // notify on an outside channel, webhook
  std::string document_id, document_name;       // send_document
};

class ActionRunner {
 public:
  // `public_url` ("https://crm.example.com") makes {{link}} in messages; empty: no links.
  ActionRunner(Database& db, EventLog& events, RecordService& records, LeadAssignment& assignment,
               notify::DeliveryLog& deliveries, const Clock& clock, std::string public_url)
      : db_(db), events_(events), records_(records), assignment_(assignment), deliveries_(deliveries),
        clock_(clock), public_url_(std::move(public_url)) {}

  // Validates the action and builds what the write needs (outside any write or read). Returns
  // only transient failures (kUnavailable / kInternal): the caller retries the event later; a
  // refused action becomes a preset "failed" outcome. `call`'s pointers must outlive the apply.
  Result<PreparedAction> Prepare(const ActionCall& call);
  // Inside a write (re-runnable): claims the firing key; when new, runs the effect under a
  // savepoint — a refused effect is rolled back alone and recorded as "failed". Returns the
  // outcome ("skipped" for a key already recorded) or a kUnavailable failure to retry the write.
  Result<ActionOutcome> Apply(Tx& tx, const PreparedAction& a);

  // What the action would do on `stored` (dry run): no writes.
  static nlohmann::json Describe(const nlohmann::json& action, const nlohmann::json& stored,
                                 const TenantSchema::Entity& e, bool silent);

 private:
  Result<ActionOutcome> Effect(Tx& tx, const PreparedAction& a);
  // Prepare for record changes (set_color, tags, assign of non-leads) and create_task.
  Status PrepareChange(PreparedAction& a);
  Status PrepareTask(PreparedAction& a);
  // Prepare for alert, notify, escalate, send_document, webhook: one read resolves the supervisor,
  // the users named, the channel or the document; messages are rendered here.
  Status PrepareMessage(PreparedAction& a);
  Status LoadPeople(Connection& c, const Principal& actor, const TenantSchema::Entity& e, const nlohmann::json& stored,
                    const std::string& owner, People* out);
  Status RecordFiring(Tx& tx, const ActionCall& call, const nlohmann::json& action, const ActionOutcome& o,
                      bool* inserted);
  // The supervisor of `user_id`: their manager, else the head of their department or the nearest
  // ancestor department with a head who is not them; empty when none.
  static Result<std::string> SupervisorOf(Connection& c, const std::string& tenant_id, const std::string& user_id);
  nlohmann::json CausedBy(const ActionCall& call) const;

  Database& db_;
  EventLog& events_;
  RecordService& records_;
  LeadAssignment& assignment_;
  notify::DeliveryLog& deliveries_;
  const Clock& clock_;
  std::string public_url_;
};

}  // namespace lf::automation
