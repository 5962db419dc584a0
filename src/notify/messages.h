// Channel formats: how one delivery becomes the request its receiver expects. Pure functions.
// - dingtalk: DingTalk custom robot. POST {url}&timestamp=T&sign=S with S = urlencode(base64(
//   HMAC-SHA256(secret, T + "\n" + secret))), T in ms; body {"msgtype":"markdown","markdown":
//   {"title","text"},"at":{"atMobiles","isAtAll":false}}. Answer {"errcode":0} = delivered.
// - wecom: WeCom group robot. POST {url} (the key is in the URL); body {"msgtype":"markdown",
//   "markdown":{"content"}}. Answer {"errcode":0} = delivered.
// - email: SMTP (smtp:// or smtps://, STARTTLS when offered): a UTF-8 text/plain message.
// - webhook: POST {url} with the JSON body; when a secret is set, headers X-LeadFlow-Timestamp
//   (ms) and X-LeadFlow-Signature "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + body)).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace lf::notify {

// A notification channel as stored (config includes secrets; never rendered as is).
struct Channel {
  std::string tenant_id, id, kind, name;
  bool enabled = true, is_default = false;
  nlohmann::json config = nlohmann::json::object();
  int64_t created_at = 0, updated_at = 0;
};

// What one delivery sends. `payload` holds {"title","text","at_mobiles"?:[…],"to"?:[emails]} for
// robots and email, {"body": {…}} for webhooks.
struct Outgoing {
  std::string url;
  std::vector<std::string> headers;
  std::string body;
  bool smtp = false;
  std::string mail_from, username, password;
  std::vector<std::string> rcpt;
};

// The DingTalk signature for `timestamp_ms` (already URL-encoded).
std::string DingTalkSign(const std::string& secret, int64_t timestamp_ms);

// Builds the request for `payload` on `channel` at `now_ms`. kValidation when the payload cannot
// be sent on this channel (an email without any recipient).
Result<Outgoing> BuildOutgoing(const Channel& channel, const nlohmann::json& payload,
                               const std::string& delivery_id, int64_t now_ms);

// Whether the receiver's answer means delivered: HTTP 2xx and, for robots, errcode 0. Returns
// the error text otherwise. SMTP answers are judged by curl (code = the last SMTP reply).
Status ReadAnswer(const std::string& kind, long code, const std::string& body);

}  // namespace lf::notify
