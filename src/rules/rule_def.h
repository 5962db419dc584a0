// RuleDef: a rule as data (issue 4, A1/A2) — trigger, condition, ordered actions — parsed and
// checked from its API JSON against a tenant's schema when it is saved. Pure: no storage.
// Rule JSON: {"name", "enabled", "trigger": {"event": "lead.created"} | {"cron": "0 9 * * 1",
// "entity": "customer"} | {"after": {"event": "lead.assigned", "delay": "3d", "unless": "<expr>"}},
// "condition": "<expr>", "actions": [{"type": "set_color", "color": "red"}, …]}.
// Thread-safety: pure functions; a RuleDef is a value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "base/time.h"
#include "schema/metadata.h"

namespace lf::rules {

enum class TriggerKind : uint8_t { kEvent, kCron, kAfter };

struct Trigger {
  TriggerKind kind = TriggerKind::kEvent;
  std::string event;      // kEvent, kAfter: "lead.created"
  std::string cron;       // kCron: five fields, evaluated in the tenant's zone
  std::string delay;      // kAfter: "3d" (calendar days in the zone), "72h", "30m"
  std::string unless;     // kAfter: expression evaluated when the timer fires; "" = none
  std::string entity;     // collection the rule is about ("leads"); from the event or cron "entity"
};

struct RuleDef {
  std::string name;
  bool enabled = true;
  Trigger trigger;
  std::string condition;          // "" = always
  nlohmann::json actions;         // validated array of action objects
  std::string subject;            // singular name of trigger.entity ("lead")
};

// Action types the engine runs; anything else is refused when a rule is saved.
// set_color {color}, add_tags/remove_tags {tags: [..]}, create_task {title, due, description?},
// assign {user_id}, alert {kind, severity, title, to?}, notify {channel, channel_id?, to?, title?,
// text?} (titles and texts are message templates, rules/message_template.h), escalate {title?,
// due?, severity?} (a task and an alert for the owner's supervisor), send_document {document_id},
// webhook {channel_id}; alert, notify, create_task and escalate also take silent_period: "hold"
// (default) | "send".
bool IsKnownActionType(std::string_view type);
// Whether an action only reminds people (alert, notify, create_task, escalate): these are held back inside a
// lead's silent period (L5); record changes (set_color, tags, assign) still apply.
bool IsReminderAction(std::string_view type);
// Whether `action` is held back inside a silent period: a reminder action, unless it says
// "silent_period": "send" (e.g. the supervisor's hot-lead alert of the three-colour funnel, which
// is news about the lead rather than a reminder to its owner). Default "hold".
bool HeldInSilentPeriod(const nlohmann::json& action);

// "3d" / "72h" / "30m" → amount and unit ('d', 'h', 'm'); false when malformed (1..36500 days).
bool ParseDelay(std::string_view text, int64_t* amount, char* unit);
// A delay as elapsed milliseconds from `from_ms`; days are calendar days in `zone` (same local time
// N days later).
int64_t AddDelay(int64_t from_ms, int64_t amount, char unit, const TimeZone* zone);

// Parses and checks `body` (a whole rule) against `schema`: field names, condition and unless
// compiled with Expr::Check (errors name line and column, field "condition" / "trigger.unless"),
// action types and their fields. Errors are kValidation with the offending field.
Result<RuleDef> ParseRule(const nlohmann::json& body, const TenantSchema& schema, const TimeZone* zone);

// The rule back as API JSON (without id/timestamps).
nlohmann::json RuleToJson(const RuleDef& r);

}  // namespace lf::rules
