// Rule messages for people: a title or text template (rules/message_template.h) filled from one
// record as a person reads it — enum values as their Chinese labels, money in yuan, instants as
// local "YYYY-MM-DD HH:MM" in the tenant's zone, user fields as names, booleans 是/否 — with the
// tenant's sensitive fields (P3) always masked, whoever receives the message: a DingTalk group or a
// mailbox is outside the access policy.
// Thread-safety: values and pure functions.
#pragma once

#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "base/time.h"
#include "schema/metadata.h"

namespace lf::automation {

struct UserCard {
  std::string name, email, phone;
};

struct MessageContext {
  const TenantSchema::Entity* entity = nullptr;
  const nlohmann::json* stored = nullptr;       // the record in stored form
  const std::set<std::string>* sensitive = nullptr;
  std::map<std::string, UserCard> users;        // every user the record or message names
  std::string owner_id, recipient_id, rule_name, link;
  int64_t now_ms = 0;
  const TimeZone* zone = nullptr;
};

// One field of the record as text ("" when empty).
std::string FieldText(const MessageContext& ctx, const std::string& field);
std::string RenderMessage(const std::string& text, const MessageContext& ctx);
// The default text of a notification about the record (Chinese, markdown): rule, record name,
// channel / colour when the entity has them, owner, time, link.
std::string DefaultMessageText(const MessageContext& ctx);

}  // namespace lf::automation
