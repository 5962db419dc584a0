// Notification channels (issue 4 §6): per tenant, DingTalk robots, WeCom robots, SMTP servers and
// outbound webhooks, with their secrets; plus the tenant's outbound allow-list (SSRF guard).
// Managing them needs notify.manage. Secrets (robot secret, SMTP password, the token or key in a
// robot URL) are stored and used but never returned: the API shows "secret_set"/"password_set" and
// the URL with its query values cut to 4 characters.
// Thread-safety: thread-safe (stateless apart from the injected services).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "events/event_log.h"
#include "identity/identity.h"
#include "notify/messages.h"
#include "notify/outbound.h"
#include "storage/database.h"

namespace lf::notify {

inline constexpr const char* kPermNotifyManage = "notify.manage";

class ChannelStore {
 public:
  ChannelStore(Database& db, EventLog& events, const Clock& clock) : db_(db), events_(events), clock_(clock) {}

  Result<nlohmann::json> List(const Principal& p);
  // {kind, name, enabled?, is_default?, config} → the channel (rendered). The config is checked
  // for its kind, and its URLs against the allow-list.
  Result<nlohmann::json> Create(const Principal& p, const nlohmann::json& body);
  // Partial; config keys are merged (an omitted secret keeps the stored one).
  Result<nlohmann::json> Update(const Principal& p, const std::string& id, const nlohmann::json& body);
  Result<nlohmann::json> Get(const Principal& p, const std::string& id);

  // GET/PUT /api/v1/settings/outbound: {"allow": [...]}.
  Result<nlohmann::json> GetOutbound(const Principal& p);
  Result<nlohmann::json> SetOutbound(const Principal& p, const nlohmann::json& body);

  // For senders (no permission check): the stored channel, or nullopt.
  static Result<std::optional<Channel>> Load(Connection& c, const std::string& tenant_id, const std::string& id);
  // The channel a notification of `kind` uses: `id` when given (it must have that kind), else the
  // tenant's enabled default of that kind, else its oldest enabled one. nullopt when none.
  static Result<std::optional<Channel>> Resolve(Connection& c, const std::string& tenant_id, const std::string& kind,
                                                const std::string& id);
  static Result<AllowList> LoadAllowList(Connection& c, const std::string& tenant_id);
  // The channel as the API shows it (secrets replaced by flags).
  static nlohmann::json Render(const Channel& ch, const TimeZone* zone);

 private:
  Status RequireManage(const Principal& p);
  // Checks `config` for `kind` (keys, types, URLs against `allow`).
  static Status CheckConfig(const std::string& kind, const nlohmann::json& config, const AllowList& allow);

  Database& db_;
  EventLog& events_;
  const Clock& clock_;
};

}  // namespace lf::notify
