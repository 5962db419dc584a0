// Implements notify/messages.h.
#include "notify/messages.h"

#include <date/date.h>

#include <chrono>

#include "base/crypto.h"
#include "base/strings.h"

namespace lf::notify {
namespace {

using json = nlohmann::json;

std::string Hex(std::string_view bytes) {
  static const char* k = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(k[c >> 4]);
    out.push_back(k[c & 15]);
  }
  return out;
}

std::vector<std::string> Strings(const json& v) {
  std::vector<std::string> out;
  if (v.is_array())
    for (const auto& x : v)
      if (x.is_string() && !x.get<std::string>().empty()) out.push_back(x.get<std::string>());
  return out;
}

// "=?UTF-8?B?…?=" for a header value that is not plain ASCII.
std::string HeaderWord(const std::string& s) {
  for (unsigned char c : s)
    if (c >= 0x80 || c < 0x20) return "=?UTF-8?B?" + Base64Encode(s) + "?=";
  return s;
}

std::string MailMessage(const std::string& from, const std::vector<std::string>& to, const std::string& subject,
                        const std::string& text, const std::string& id, int64_t now_ms) {
  using namespace std::chrono;
  std::string date = date::format("%a, %d %b %Y %H:%M:%S +0000", floor<seconds>(sys_time<milliseconds>(milliseconds(now_ms))));
  std::string to_line;
  for (const auto& t : to) to_line += (to_line.empty() ? "" : ", ") + t;
  std::string encoded = Base64Encode(text), body;
  for (size_t i = 0; i < encoded.size(); i += 76) body += encoded.substr(i, 76) + "\r\n";
  return "Date: " + date + "\r\nFrom: " + from + "\r\nTo: " + to_line + "\r\nSubject: " + HeaderWord(subject) +
         "\r\nMessage-ID: <" + id + "@leadflow>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n" + body;
}

}  // namespace

std::string DingTalkSign(const std::string& secret, int64_t timestamp_ms) {
  std::string to_sign = std::to_string(timestamp_ms) + "\n" + secret;
  return UrlEncode(Base64Encode(HmacSha256(secret, to_sign)));
}

Result<Outgoing> BuildOutgoing(const Channel& channel, const json& payload, const std::string& delivery_id,
                               int64_t now_ms) {
  Outgoing out;
  const json& cfg = channel.config;
  std::string title = payload.value("title", ""), text = payload.value("text", "");
  if (channel.kind == "dingtalk") {
    out.url = cfg.value("url", "");
    std::string secret = cfg.value("secret", "");
    if (!secret.empty())
      out.url += std::string(out.url.find('?') == std::string::npos ? "?" : "&") + "timestamp=" +
                 std::to_string(now_ms) + "&sign=" + DingTalkSign(secret, now_ms);
    auto mobiles = Strings(payload.value("at_mobiles", json()));
    std::string shown = text;
    for (const auto& m : mobiles) shown += " @" + m;  // DingTalk shows the mention only when the text names it
    out.body = json{{"msgtype", "markdown"},
                    {"markdown", {{"title", title}, {"text", shown}}},
                    {"at", {{"atMobiles", mobiles}, {"isAtAll", false}}}}
                   .dump();
    out.headers = {"Content-Type: application/json; charset=utf-8"};
  } else if (channel.kind == "wecom") {
    out.url = cfg.value("url", "");
    out.body = json{{"msgtype", "markdown"}, {"markdown", {{"content", "**" + title + "**\n" + text}}}}.dump();
    out.headers = {"Content-Type: application/json; charset=utf-8"};
  } else if (channel.kind == "email") {
    out.smtp = true;
    out.url = cfg.value("smtp_url", "");
    out.username = cfg.value("username", "");
    out.password = cfg.value("password", "");
    out.mail_from = cfg.value("from", "");
    out.rcpt = Strings(payload.value("to", json()));
    if (out.rcpt.empty())
      for (auto& t : Split(cfg.value("to", ""), ','))
        if (auto s = Trim(t); !s.empty()) out.rcpt.push_back(s);
    if (out.rcpt.empty())
      return Status::Error(ErrorKind::kValidation, "notify.no_recipient",
                           "the recipient has no email address and the channel names no fallback recipient",
                           "收件人没有邮箱,渠道也未配置默认收件人");
    out.body = MailMessage(out.mail_from, out.rcpt, title, text, delivery_id, now_ms);
  } else if (channel.kind == "webhook") {
    out.url = cfg.value("url", "");
    out.body = payload.value("body", json::object()).dump();
    out.headers = {"Content-Type: application/json; charset=utf-8", "X-LeadFlow-Delivery: " + delivery_id};
    std::string secret = cfg.value("secret", "");
    if (!secret.empty()) {
      std::string ts = std::to_string(now_ms);
      out.headers.push_back("X-LeadFlow-Timestamp: " + ts);
      out.headers.push_back("X-LeadFlow-Signature: sha256=" + Hex(HmacSha256(secret, ts + "." + out.body)));
    }
  } else {
    return Status::Error(ErrorKind::kValidation, "notify.bad_channel", "unknown channel kind " + channel.kind,
                         "未知的渠道类型 " + channel.kind);
  }
  return out;
}

Status ReadAnswer(const std::string& kind, long code, const std::string& body) {
  auto fail = [](const std::string& why) {
    return Status::Error(ErrorKind::kUnavailable, "notify.rejected", why, why);
  };
  if (kind == "email") return code >= 200 && code < 400 ? Status::Ok() : fail("SMTP reply " + std::to_string(code));
  if (code < 200 || code >= 300) return fail("HTTP " + std::to_string(code));
  if (kind == "dingtalk" || kind == "wecom") {
    auto j = json::parse(body, nullptr, false);
    if (!j.is_object() || !j.contains("errcode")) return fail("the robot's answer has no errcode");
    if (!j["errcode"].is_number_integer() || j["errcode"].get<int64_t>() != 0)
      return fail("errcode " + j["errcode"].dump() + ": " + j.value("errmsg", ""));
  }
  return Status::Ok();
}

}  // namespace lf::notify
