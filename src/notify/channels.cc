// Implements notify/channels.h.
#include "notify/channels.h"

#include <set>

#include "base/crypto.h"
#include "base/strings.h"
#include "base/time.h"

namespace lf::notify {
namespace {

using json = nlohmann::json;

constexpr const char* kColumns = "id, kind, name, enabled, is_default, config, created_at, updated_at";
constexpr const char* kAllowKey = "outbound.allow";

Status Invalid(std::string code, std::string en, std::string zh, std::string field) {
  return Status::Error(ErrorKind::kValidation, std::move(code), std::move(en), std::move(zh), std::move(field));
}

Status NotFound() {
  return Status::Error(ErrorKind::kNotFound, "notify.channel_not_found", "notification channel not found",
                       "通知渠道不存在");
}

bool IsKind(const std::string& k) { return k == "dingtalk" || k == "wecom" || k == "email" || k == "webhook"; }

// Keys each kind's config accepts; the secret ones are never rendered.
const std::set<std::string>& ConfigKeys(const std::string& kind) {
  static const std::set<std::string> robot = {"url", "secret"}, wecom = {"url"},
                                     email = {"smtp_url", "username", "password", "from", "to"};
  return kind == "email" ? email : kind == "wecom" ? wecom : robot;
}
bool IsSecretKey(const std::string& key) { return key == "secret" || key == "password"; }

// "https://oapi.dingtalk.com/robot/send?access_token=abcd…" — query values cut to 4 characters.
std::string MaskUrlQuery(const std::string& url) {
  size_t q = url.find('?');
  if (q == std::string::npos) return url;
  std::string out = url.substr(0, q + 1);
  for (const auto& part : Split(url.substr(q + 1), '&')) {
    if (out.back() != '?') out += '&';
    size_t eq = part.find('=');
    if (eq == std::string::npos) {
      out += part;
      continue;
    }
    std::string value = part.substr(eq + 1);
    out += part.substr(0, eq + 1) + (value.size() > 4 ? value.substr(0, 4) + "****" : value);
  }
  return out;
}

Channel FromRow(const std::string& tenant_id, const Row& r) {
  Channel ch;
  ch.tenant_id = tenant_id;
  ch.id = AsText(r[0]);
  ch.kind = AsText(r[1]);
  ch.name = AsText(r[2]);
  ch.enabled = AsInt(r[3]) != 0;
  ch.is_default = AsInt(r[4]) != 0;
  ch.config = json::parse(AsText(r[5]), nullptr, false);
  if (!ch.config.is_object()) ch.config = json::object();
  ch.created_at = AsInt(r[6]);
  ch.updated_at = AsInt(r[7]);
  return ch;
}

Status CheckBodyKeys(const json& body, const std::set<std::string>& keys) {
  if (!body.is_object())
    return Status::Error(ErrorKind::kInvalidArgument, "request.body_not_object", "the body must be a JSON object",
                         "请求体必须是 JSON 对象");
  for (auto it = body.begin(); it != body.end(); ++it)
    if (!keys.count(it.key()))
      return Invalid("validation.unknown_field", "unknown field '" + it.key() + "'", "未知字段 '" + it.key() + "'", it.key());
  return Status::Ok();
}

// name, enabled and is_default from `body` onto `ch`; a new channel must have a name.
Status ApplyFields(const json& body, bool creating, Channel* ch) {
  if (creating || body.contains("name")) {
    auto it = body.find("name");
    if (it == body.end() || !it->is_string() || it->get<std::string>().empty() || Utf8Length(it->get<std::string>()) > 100)
      return creating ? Invalid("validation.required", "name is required (at most 100 characters)", "需要名称(最多 100 字)", "name")
                      : Invalid("validation.wrong_type", "name must be a non-empty string (at most 100 characters)",
                                "名称必须是非空字符串(最多 100 字)", "name");
    ch->name = it->get<std::string>();
  }
  for (const char* flag : {"enabled", "is_default"})
    if (body.contains(flag) && !body[flag].is_boolean())
      return Invalid("validation.wrong_type", std::string(flag) + " must be true or false",
                     std::string(flag) + " 必须是布尔值", flag);
  ch->enabled = body.value("enabled", creating ? true : ch->enabled);
  ch->is_default = body.value("is_default", creating ? false : ch->is_default);
  return Status::Ok();
}

}  // namespace

json ChannelStore::Render(const Channel& ch, const TimeZone* zone) {
  json config = json::object();
  for (const auto& key : ConfigKeys(ch.kind)) {
    bool set = ch.config.contains(key) && ch.config[key].is_string() && !ch.config[key].get<std::string>().empty();
    if (IsSecretKey(key)) {
      config[key + "_set"] = set;
    } else if (set) {
      const std::string& v = ch.config[key].get_ref<const std::string&>();
      config[key] = key == "url" && (ch.kind == "dingtalk" || ch.kind == "wecom") ? MaskUrlQuery(v) : v;
    }
  }
  return {{"id", ch.id},           {"kind", ch.kind},
          {"name", ch.name},       {"enabled", ch.enabled},
          {"is_default", ch.is_default}, {"config", config},
          {"created_at", FormatRfc3339(ch.created_at, zone)}, {"updated_at", FormatRfc3339(ch.updated_at, zone)}};
}

Status ChannelStore::RequireManage(const Principal& p) {
  if (p.Can(kPermNotifyManage)) return Status::Ok();
  return Status::Error(ErrorKind::kPermissionDenied, "access.forbidden",
                       "managing notification channels needs the notify.manage permission",
                       "管理通知渠道需要 notify.manage 权限");
}

Status ChannelStore::CheckConfig(const std::string& kind, const json& config, const AllowList& allow) {
  if (!config.is_object())
    return Invalid("validation.wrong_type", "config must be an object", "config 必须是对象", "config");
  const auto& keys = ConfigKeys(kind);
  for (auto it = config.begin(); it != config.end(); ++it) {
    std::string field = "config." + it.key();
    if (!keys.count(it.key()))
      return Invalid("validation.unknown_field", "unknown property '" + it.key() + "' for a " + kind + " channel",
                     kind + " 渠道没有属性 '" + it.key() + "'", field);
    if (!it->is_string() || it->get<std::string>().size() > 2000)
      return Invalid("validation.wrong_type", it.key() + " must be a string", it.key() + " 必须是字符串", field);
  }
  auto text = [&](const char* key) { return config.value(key, std::string()); };
  if (kind == "email") {
    if (text("smtp_url").empty())
      return Invalid("validation.required", "smtp_url is required (smtp://host:25 or smtps://host:465)",
                     "需要 smtp_url(smtp://host:25 或 smtps://host:465)", "config.smtp_url");
    LF_TRY(CheckUrl(text("smtp_url"), {"smtp", "smtps"}, allow, "config.smtp_url"));
    std::string from = text("from");
    if (from.empty() || from.find('@') == std::string::npos)
      return Invalid("validation.required", "from must be an email address", "from 必须是邮箱地址", "config.from");
    for (auto& t : Split(text("to"), ','))
      if (auto s = Trim(t); !s.empty() && s.find('@') == std::string::npos)
        return Invalid("validation.wrong_type", "to must list email addresses separated by commas",
                       "to 必须是以逗号分隔的邮箱地址", "config.to");
    return Status::Ok();
  }
  if (text("url").empty())
    return Invalid("validation.required", "url is required", "需要 url", "config.url");
  return CheckUrl(text("url"), {"http", "https"}, allow, "config.url");
}

Result<AllowList> ChannelStore::LoadAllowList(Connection& c, const std::string& tenant_id) {
  LF_ASSIGN(auto rows, c.Query("SELECT value FROM tenant_settings WHERE tenant_id = ? AND key = ?", {tenant_id, kAllowKey}));
  if (rows.empty()) return AllowList{};
  auto allow = json::parse(AsText(rows.rows[0][0]), nullptr, false);
  auto parsed = ParseAllowList(allow);
  return parsed.ok() ? std::move(parsed).value() : AllowList{};
}

Result<std::optional<Channel>> ChannelStore::Load(Connection& c, const std::string& tenant_id, const std::string& id) {
  LF_ASSIGN(auto rows, c.Query(std::string("SELECT ") + kColumns + " FROM notification_channels WHERE tenant_id = ? AND id = ?",
                               {tenant_id, id}));
  if (rows.empty()) return std::optional<Channel>();
  return std::optional<Channel>(FromRow(tenant_id, rows.rows[0]));
}

Result<std::optional<Channel>> ChannelStore::Resolve(Connection& c, const std::string& tenant_id, const std::string& kind,
                                                     const std::string& id) {
  if (!id.empty()) {
    LF_ASSIGN(auto ch, Load(c, tenant_id, id));
    if (ch && ch->kind != kind) return std::optional<Channel>();
    return ch;
  }
  LF_ASSIGN(auto rows, c.Query(std::string("SELECT ") + kColumns +
                                   " FROM notification_channels WHERE tenant_id = ? AND kind = ? AND enabled = 1 "
                                   "ORDER BY is_default DESC, created_at, id LIMIT 1",
                               {tenant_id, kind}));
  if (rows.empty()) return std::optional<Channel>();
  return std::optional<Channel>(FromRow(tenant_id, rows.rows[0]));
}

Result<json> ChannelStore::List(const Principal& p) {
  LF_TRY(RequireManage(p));
  json items = json::array();
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    return c.ForEach(std::string("SELECT ") + kColumns + " FROM notification_channels WHERE tenant_id = ? ORDER BY created_at, id",
                     {p.tenant_id}, [&](const std::vector<std::string>&, const Row& r) {
                       items.push_back(Render(FromRow(p.tenant_id, r), p.zone));
                       return true;
                     });
  }));
  return json{{"items", std::move(items)}};
}

Result<json> ChannelStore::Get(const Principal& p, const std::string& id) {
  LF_TRY(RequireManage(p));
  std::optional<Channel> ch;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(ch, Load(c, p.tenant_id, id));
    return Status::Ok();
  }));
  if (!ch) return NotFound();
  return Render(*ch, p.zone);
}

Result<json> ChannelStore::Create(const Principal& p, const json& body) {
  LF_TRY(RequireManage(p));
  LF_TRY(CheckBodyKeys(body, {"kind", "name", "enabled", "is_default", "config"}));
  Channel ch;
  ch.tenant_id = p.tenant_id;
  if (!body.contains("kind") || !body["kind"].is_string() || !IsKind(body["kind"].get<std::string>()))
    return Invalid("validation.required", "kind must be dingtalk, wecom, email or webhook",
                   "kind 必须是 dingtalk / wecom / email / webhook", "kind");
  ch.kind = body["kind"].get<std::string>();
  LF_TRY(ApplyFields(body, true, &ch));
  ch.config = body.value("config", json::object());
  AllowList allow;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(allow, LoadAllowList(c, p.tenant_id));
    return Status::Ok();
  }));
  LF_TRY(CheckConfig(ch.kind, ch.config, allow));
  int64_t now = clock_.NowMs();
  ch.id = UuidV7(now);
  ch.created_at = ch.updated_at = now;
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    if (ch.is_default)
      LF_TRY(tx.Exec("UPDATE notification_channels SET is_default = 0 WHERE tenant_id = ? AND kind = ?",
                     {p.tenant_id, ch.kind}).status());
    LF_TRY(tx.Exec(std::string("INSERT INTO notification_channels (tenant_id, id, kind, name, enabled, is_default, "
                               "config, created_at, updated_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ") +
                       tx.dialect().JsonParam() +
                       ", ?, ?, ?)",
                   {p.tenant_id, ch.id, ch.kind, ch.name, int64_t(ch.enabled), int64_t(ch.is_default), ch.config.dump(),
                    now, now, p.user_id})
               .status());
    return events_.Append(tx, p.tenant_id, p.user_id, "notification_channel.created", "notification_channels", ch.id,
                          {{"kind", ch.kind}, {"name", ch.name}})
        .status();
  }));
  return Render(ch, p.zone);
}

Result<json> ChannelStore::Update(const Principal& p, const std::string& id, const json& body) {
  LF_TRY(RequireManage(p));
  LF_TRY(CheckBodyKeys(body, {"name", "enabled", "is_default", "config"}));
  std::optional<Channel> found;
  AllowList allow;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(found, Load(c, p.tenant_id, id));
    LF_ASSIGN(allow, LoadAllowList(c, p.tenant_id));
    return Status::Ok();
  }));
  if (!found) return NotFound();
  Channel ch = *found;
  LF_TRY(ApplyFields(body, false, &ch));
  if (body.contains("config")) {
    if (!body["config"].is_object())
      return Invalid("validation.wrong_type", "config must be an object", "config 必须是对象", "config");
    for (auto it = body["config"].begin(); it != body["config"].end(); ++it) {
      // A masked URL sent back unchanged keeps the stored one.
      if (it.key() == "url" && it->is_string() && it->get<std::string>().find("****") != std::string::npos) continue;
      if (it->is_null()) ch.config.erase(it.key());
      else ch.config[it.key()] = *it;
    }
  }
  LF_TRY(CheckConfig(ch.kind, ch.config, allow));
  int64_t now = clock_.NowMs();
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    if (ch.is_default)
      LF_TRY(tx.Exec("UPDATE notification_channels SET is_default = 0 WHERE tenant_id = ? AND kind = ? AND id <> ?",
                     {p.tenant_id, ch.kind, id}).status());
    LF_ASSIGN(auto n, tx.Exec(std::string("UPDATE notification_channels SET name = ?, enabled = ?, is_default = ?, config = ") +
                                  tx.dialect().JsonParam() + ", updated_at = ? WHERE tenant_id = ? AND id = ?",
                              {ch.name, int64_t(ch.enabled), int64_t(ch.is_default), ch.config.dump(), now, p.tenant_id, id}));
    if (n == 0) return NotFound();
    json changed = json::array();
    for (auto it = body.begin(); it != body.end(); ++it) changed.push_back(it.key());
    return events_.Append(tx, p.tenant_id, p.user_id, "notification_channel.updated", "notification_channels", id,
                          {{"fields", changed}})
        .status();
  }));
  ch.updated_at = now;
  return Render(ch, p.zone);
}

Result<json> ChannelStore::GetOutbound(const Principal& p) {
  LF_TRY(RequireManage(p));
  AllowList allow;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(allow, LoadAllowList(c, p.tenant_id));
    return Status::Ok();
  }));
  return json{{"allow", allow.entries}};
}

Result<json> ChannelStore::SetOutbound(const Principal& p, const json& body) {
  LF_TRY(RequireManage(p));
  if (!body.is_object() || body.size() != 1 || !body.contains("allow"))
    return Invalid("validation.required", "the body is {\"allow\": [...]}", "请求体应为 {\"allow\": [...]}", "allow");
  LF_ASSIGN(AllowList allow, ParseAllowList(body["allow"]));
  json entries = allow.entries;
  int64_t now = clock_.NowMs();
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_TRY(tx.Exec("INSERT INTO tenant_settings (tenant_id, key, value, updated_at) VALUES (?, ?, ?, ?) "
                   "ON CONFLICT (tenant_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                   {p.tenant_id, kAllowKey, entries.dump(), now})
               .status());
    return events_.Append(tx, p.tenant_id, p.user_id, "settings.outbound_changed", "tenant_settings", kAllowKey,
                          {{"allow", entries}})
        .status();
  }));
  return json{{"allow", entries}};
}

}  // namespace lf::notify
