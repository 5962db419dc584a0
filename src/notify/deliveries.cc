// Implements notify/deliveries.h.
#include "notify/deliveries.h"

#include <algorithm>
#include <cstring>
#include <chrono>
#include <map>
#include <mutex>

#include <spdlog/spdlog.h>

#include "base/crypto.h"
#include "base/time.h"

namespace lf::notify {
namespace {

using json = nlohmann::json;

constexpr const char* kDue = "status IN ('pending', 'retrying', 'sending') AND next_attempt_at <= ?";
constexpr const char* kColumns =
    "d.id, d.channel_id, d.kind, c.name, d.rule_id, d.rule_name, d.entity, d.record_id, d.recipient, d.title, "
    "d.status, d.attempts, d.last_error, d.response_code, d.created_at, d.next_attempt_at, d.delivered_at, "
    "d.latency_ms";
constexpr const char* kFrom =
    " FROM deliveries d LEFT JOIN notification_channels c ON c.tenant_id = d.tenant_id AND c.id = d.channel_id";
constexpr size_t kMaxResponse = 64 * 1024;

Status NotFound() {
  return Status::Error(ErrorKind::kNotFound, "notify.delivery_not_found", "delivery not found", "投递记录不存在");
}

Status RequireManage(const Principal& p) {
  if (p.Can(kPermNotifyManage)) return Status::Ok();
  return Status::Error(ErrorKind::kPermissionDenied, "access.forbidden",
                       "the delivery log needs the notify.manage permission", "查看投递记录需要 notify.manage 权限");
}

json Opt(const Value& v) { return IsNull(v) ? json(nullptr) : json(AsText(v)); }

json RowJson(const Row& r, const TimeZone* zone) {
  auto time = [&](const Value& v) { return IsNull(v) ? json(nullptr) : json(FormatRfc3339(AsInt(v), zone)); };
  std::string status = AsText(r[10]);
  return {{"id", AsText(r[0])},          {"channel_id", AsText(r[1])},  {"channel_kind", AsText(r[2])},
          {"channel_name", Opt(r[3])},   {"rule_id", Opt(r[4])},        {"rule_name", Opt(r[5])},
          {"entity", Opt(r[6])},         {"record_id", Opt(r[7])},      {"recipient", AsText(r[8])},
          {"title", AsText(r[9])},       {"status", status},            {"attempts", AsInt(r[11])},
          {"last_error", Opt(r[12])},    {"response_code", IsNull(r[13]) ? json(nullptr) : json(AsInt(r[13]))},
          {"created_at", time(r[14])},
          {"next_attempt_at", status == "pending" || status == "retrying" ? time(r[15]) : json(nullptr)},
          {"delivered_at", time(r[16])}, {"latency_ms", IsNull(r[17]) ? json(nullptr) : json(AsInt(r[17]))}};
}

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* s = static_cast<std::string*>(user);
  size_t len = size * n;
  if (s->size() < kMaxResponse) s->append(data, std::min(len, kMaxResponse - s->size()));
  return len;
}

}  // namespace

// ---- DeliveryLog -------------------------------------------------------------------------------

Result<std::string> DeliveryLog::Enqueue(Tx& tx, const NewDelivery& d) {
  int64_t now = clock_.NowMs();
  std::string id = UuidV7(now);
  auto opt = [](const std::string& s) { return s.empty() ? Value(nullptr) : Value(s); };
  LF_TRY(tx.Exec(std::string("INSERT INTO deliveries (tenant_id, id, channel_id, kind, rule_id, rule_name, "
                             "event_seq, entity, record_id, recipient, title, payload, status, attempts, "
                             "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ") +
                     tx.dialect().JsonParam() + ", 'pending', 0, ?, ?)",
                 {d.tenant_id, id, d.channel_id, d.kind, opt(d.rule_id), opt(d.rule_name),
                  d.event_seq ? Value(d.event_seq) : Value(nullptr), opt(d.entity), opt(d.record_id), d.recipient,
                  d.title, d.payload.dump(), now, now})
             .status());
  if (wake_) tx.OnCommit(wake_);
  return id;
}

Result<json> DeliveryLog::List(const Principal& p, const std::map<std::string, std::string>& filter) {
  LF_TRY(RequireManage(p));
  std::string sql = std::string("SELECT ") + kColumns + kFrom + " WHERE d.tenant_id = ?";
  std::vector<Value> params = {p.tenant_id};
  for (const char* key : {"status", "channel_id", "rule_id", "record_id"}) {
    auto it = filter.find(key);
    if (it == filter.end() || it->second.empty()) continue;
    sql += std::string(" AND d.") + key + " = ?";
    params.push_back(it->second);
  }
  if (auto it = filter.find("cursor"); it != filter.end() && !it->second.empty()) {
    sql += " AND d.id < ?";
    params.push_back(it->second);
  }
  int64_t limit = 50;
  if (auto it = filter.find("limit"); it != filter.end() && !it->second.empty()) {
    char* end = nullptr;
    limit = std::strtoll(it->second.c_str(), &end, 10);
    if (*end || limit < 1 || limit > 200)
      return Status::Error(ErrorKind::kValidation, "validation.out_of_range", "limit must be 1–200",
                           "limit 必须在 1–200 之间", "limit");
  }
  sql += " ORDER BY d.id DESC LIMIT " + std::to_string(limit + 1);
  json items = json::array();
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    return c.ForEach(sql, params, [&](const std::vector<std::string>&, const Row& r) {
      items.push_back(RowJson(r, p.zone));
      return true;
    });
  }));
  json next = nullptr;
  if (int64_t(items.size()) > limit) {
    items.erase(items.end() - 1);
    next = items.back()["id"];
  }
  return json{{"items", std::move(items)}, {"next_cursor", next}};
}

Result<json> DeliveryLog::Get(const Principal& p, const std::string& id) {
  LF_TRY(RequireManage(p));
  json out;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query(std::string("SELECT ") + kColumns + kFrom + " WHERE d.tenant_id = ? AND d.id = ?",
                                 {p.tenant_id, id}));
    if (rows.empty()) return NotFound();
    out = RowJson(rows.rows[0], p.zone);
    return Status::Ok();
  }));
  return out;
}

Result<json> DeliveryLog::Retry(const Principal& p, const std::string& id) {
  LF_TRY(RequireManage(p));
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_ASSIGN(auto rows, tx.Query("SELECT status FROM deliveries WHERE tenant_id = ? AND id = ?", {p.tenant_id, id}));
    if (rows.empty()) return NotFound();
    if (AsText(rows.rows[0][0]) != "dead")
      return Status::Error(ErrorKind::kConflict, "notify.not_dead", "only a dead delivery can be retried",
                           "只能重试已进入死信的投递");
    LF_TRY(tx.Exec("UPDATE deliveries SET status = 'retrying', attempts = 0, next_attempt_at = ?, claimed_by = NULL "
                   "WHERE tenant_id = ? AND id = ?",
                   {clock_.NowMs(), p.tenant_id, id})
               .status());
    if (wake_) tx.OnCommit(wake_);
    return Status::Ok();
  }));
  return Get(p, id);
}

Result<json> DeliveryLog::SendTest(const Principal& p, const std::string& channel_id, int64_t wait_ms) {
  LF_TRY(RequireManage(p));
  std::optional<Channel> ch;
  std::string phone;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(ch, ChannelStore::Load(c, p.tenant_id, channel_id));
    LF_ASSIGN(auto u, c.Query("SELECT phone FROM users WHERE tenant_id = ? AND id = ?", {p.tenant_id, p.user_id}));
    if (!u.empty()) phone = AsText(u.rows[0][0]);
    return Status::Ok();
  }));
  if (!ch)
    return Status::Error(ErrorKind::kNotFound, "notify.channel_not_found", "notification channel not found",
                         "通知渠道不存在");
  NewDelivery d;
  d.tenant_id = p.tenant_id;
  d.channel_id = ch->id;
  d.kind = ch->kind;
  d.recipient = p.user_id;
  d.title = "LeadFlow 测试消息";
  std::string text = "这是一条来自 LeadFlow 的测试消息。\n\n- 渠道:" + ch->name + "\n- 发送人:" + p.user_name +
                     "\n- 时间:" + FormatRfc3339(clock_.NowMs(), p.zone);
  d.payload = {{"title", d.title}, {"text", text}};
  if (ch->kind == "dingtalk" && !phone.empty()) d.payload["at_mobiles"] = {phone};
  if (ch->kind == "email") d.payload["to"] = {p.email};
  if (ch->kind == "webhook")
    d.payload = {{"body", {{"type", "test"}, {"title", d.title}, {"text", text}, {"channel_id", ch->id}}}};
  LF_ASSIGN(std::string id, db_.WriteResult<std::string>([&](Tx& tx) { return Enqueue(tx, d); }));
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  while (true) {
    LF_ASSIGN(json out, Get(p, id));
    std::string st = out["status"].get<std::string>();
    if (st == "delivered" || st == "dead" || (st == "retrying" && out["attempts"].get<int64_t>() > 0) ||
        std::chrono::steady_clock::now() >= until)
      return out;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// ---- Deliverer ---------------------------------------------------------------------------------

struct Deliverer::Transfer {
  std::string tenant_id, id, channel_id, channel_name, kind, rule_id, entity, record_id, title;
  int64_t attempts = 0, created_at = 0;
  Outgoing out;
  AllowList allow;
  Guard guard;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  curl_slist* rcpt = nullptr;
  std::string response;
  size_t read_pos = 0;
  bool done = false, ok = false, permanent = false;
  long code = 0;
  std::string error;

  ~Transfer() {
    if (easy) curl_easy_cleanup(easy);
    curl_slist_free_all(headers);
    curl_slist_free_all(rcpt);
  }
  void Fail(std::string why, bool final) {
    done = true;
    ok = false;
    permanent = final;
    error = std::move(why);
  }
};

namespace {

curl_socket_t OpenSocket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  auto* guard = static_cast<Guard*>(user);
  if (purpose == CURLSOCKTYPE_IPCXN && !guard->Permit(&address->addr)) return CURL_SOCKET_BAD;
  return socket(address->family, address->socktype, address->protocol);
}

}  // namespace

size_t Deliverer::ReadBody(char* buffer, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = std::min(t->out.body.size() - t->read_pos, size * n);
  std::memcpy(buffer, t->out.body.data() + t->read_pos, len);
  t->read_pos += len;
  return len;
}

Deliverer::Deliverer(Database& db, const Clock& clock, DelivererOptions options)
    : db_(db), clock_(clock), options_(std::move(options)), instance_(RandomToken(9)) {
  // A claim must outlive the attempt it covers, or another instance would send it again.
  options_.lease_ms = std::max(options_.lease_ms, options_.timeout_ms + 30000);
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  multi_ = curl_multi_init();
}

Deliverer::~Deliverer() {
  stop_ = true;
  Wake();
  if (worker_.joinable()) worker_.join();
  for (auto& t : active_) curl_multi_remove_handle(multi_, t->easy);
  active_.clear();
  curl_multi_cleanup(multi_);
}

void Deliverer::Start() { worker_ = std::thread([this] { Loop(); }); }

void Deliverer::Wake() {
  wake_ = true;
  curl_multi_wakeup(multi_);
}

void Deliverer::ClaimAndStart(size_t n) {
  int64_t now = clock_.NowMs();
  // Candidates first on a read connection: most passes find nothing and write nothing.
  std::vector<std::pair<std::string, std::string>> candidates;
  Status st = db_.Read([&](Connection& c) -> Status {
    return c.ForEach(std::string("SELECT tenant_id, id FROM deliveries WHERE ") + kDue +
                         " ORDER BY next_attempt_at LIMIT " + std::to_string(n),
                     {now}, [&](const std::vector<std::string>&, const Row& r) {
                       candidates.emplace_back(AsText(r[0]), AsText(r[1]));
                       return true;
                     });
  });
  if (!st.ok() || candidates.empty()) {
    if (!st.ok()) spdlog::warn("deliverer: {}", st.ToString());
    return;
  }
  std::vector<std::unique_ptr<Transfer>> claimed;
  st = db_.Write([&](Tx& tx) -> Status {
    claimed.clear();
    std::map<std::string, AllowList> allow;
    for (const auto& [tenant, id] : candidates) {
      // Guarded by the state: of two instances claiming one row, the second updates nothing.
      LF_ASSIGN(auto got, tx.Exec(std::string("UPDATE deliveries SET status = 'sending', claimed_by = ?, "
                                              "attempts = attempts + 1, next_attempt_at = ? WHERE tenant_id = ? AND "
                                              "id = ? AND ") + kDue,
                                  {instance_, now + options_.lease_ms, tenant, id, now}));
      if (got == 0) continue;
      LF_ASSIGN(auto rows, tx.Query("SELECT d.channel_id, d.kind, d.rule_id, d.entity, d.record_id, d.title, d.payload, "
                                    "d.attempts, d.created_at, c.name, c.enabled, c.config, c.kind FROM deliveries d "
                                    "LEFT JOIN notification_channels c ON c.tenant_id = d.tenant_id AND c.id = d.channel_id "
                                    "WHERE d.tenant_id = ? AND d.id = ?",
                                    {tenant, id}));
      if (rows.empty()) continue;
      const Row& r = rows.rows[0];
      auto t = std::make_unique<Transfer>();
      t->tenant_id = tenant;
      t->id = id;
      t->channel_id = AsText(r[0]);
      t->kind = AsText(r[1]);
      t->rule_id = AsText(r[2]);
      t->entity = AsText(r[3]);
      t->record_id = AsText(r[4]);
      t->title = AsText(r[5]);
      t->attempts = AsInt(r[7]);
      t->created_at = AsInt(r[8]);
      t->channel_name = AsText(r[9]);
      if (IsNull(r[10])) {
        t->Fail("the channel no longer exists", true);
      } else if (AsInt(r[10]) == 0) {
        t->Fail("the channel is disabled", true);
      } else {
        if (!allow.count(tenant)) {
          LF_ASSIGN(allow[tenant], ChannelStore::LoadAllowList(tx.conn(), tenant));
        }
        t->allow = allow[tenant];
        Channel ch;
        ch.tenant_id = tenant;
        ch.id = t->channel_id;
        ch.kind = AsText(r[12]);
        ch.name = t->channel_name;
        ch.config = json::parse(AsText(r[11]), nullptr, false);
        auto out = BuildOutgoing(ch, json::parse(AsText(r[6]), nullptr, false), id, now);
        if (!out.ok()) t->Fail(out.status().detail_en(), true);
        else t->out = std::move(out).value();
      }
      claimed.push_back(std::move(t));
    }
    return Status::Ok();
  });
  if (!st.ok()) {
    spdlog::warn("deliverer: claim failed: {}", st.ToString());
    return;
  }
  std::vector<std::unique_ptr<Transfer>> finished;
  for (auto& t : claimed) {
    if (t->done) {
      finished.push_back(std::move(t));
      continue;
    }
    auto url = ParseUrl(t->out.url, t->out.smtp ? std::vector<std::string>{"smtp", "smtps"}
                                                : std::vector<std::string>{"http", "https"}, "url");
    if (!url.ok()) {
      t->Fail("the channel's URL is not valid", true);
      finished.push_back(std::move(t));
      continue;
    }
    t->guard.list = &t->allow;
    t->guard.host_allowed = std::find(t->allow.hosts.begin(), t->allow.hosts.end(), url->host) != t->allow.hosts.end();
    CURL* e = t->easy = curl_easy_init();
    curl_easy_setopt(e, CURLOPT_URL, t->out.url.c_str());
    curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, long(options_.connect_timeout_ms));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, long(options_.timeout_ms));
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, OpenSocket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, &t->guard);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &t->response);
    if (!t->out.smtp) {
      curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
      curl_easy_setopt(e, CURLOPT_POSTFIELDS, t->out.body.data());
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(t->out.body.size()));
      for (const auto& h : t->out.headers) t->headers = curl_slist_append(t->headers, h.c_str());
      t->headers = curl_slist_append(t->headers, "Expect:");
      curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
      curl_easy_setopt(e, CURLOPT_USERAGENT, "LeadFlow-Notifier/1");
      // Redirects are followed only when every address is checked (not for a host allowed by name).
      if (!t->guard.host_allowed) {
        curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(e, CURLOPT_MAXREDIRS, 3L);
        curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(e, CURLOPT_POSTREDIR, long(CURL_REDIR_POST_ALL));
      }
    } else {
      curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
      curl_easy_setopt(e, CURLOPT_MAIL_FROM, ("<" + t->out.mail_from + ">").c_str());
      for (const auto& r : t->out.rcpt) t->rcpt = curl_slist_append(t->rcpt, ("<" + r + ">").c_str());
      curl_easy_setopt(e, CURLOPT_MAIL_RCPT, t->rcpt);
      if (!t->out.username.empty()) {
        curl_easy_setopt(e, CURLOPT_USERNAME, t->out.username.c_str());
        curl_easy_setopt(e, CURLOPT_PASSWORD, t->out.password.c_str());
      }
      curl_easy_setopt(e, CURLOPT_USE_SSL, long(CURLUSESSL_TRY));
      curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(e, CURLOPT_READFUNCTION, ReadBody);
      curl_easy_setopt(e, CURLOPT_READDATA, t.get());
      curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, curl_off_t(t->out.body.size()));
    }
    curl_multi_add_handle(multi_, e);
    active_.push_back(std::move(t));
  }
  if (!finished.empty()) Record(finished);
}

void Deliverer::Record(std::vector<std::unique_ptr<Transfer>>& done) {
  int64_t now = clock_.NowMs();
  Status st = db_.Write([&](Tx& tx) -> Status {
    for (auto& t : done) {
      if (t->ok) {
        LF_TRY(tx.Exec("UPDATE deliveries SET status = 'delivered', delivered_at = ?, latency_ms = ?, response_code = ?, "
                       "last_error = NULL WHERE tenant_id = ? AND id = ? AND claimed_by = ? AND status = 'sending'",
                       {now, now - t->created_at, int64_t(t->code), t->tenant_id, t->id, instance_})
                   .status());
        continue;
      }
      bool dead = t->permanent || t->attempts >= DeliveryLog::kMaxAttempts;
      const auto& backoff = options_.backoff_ms;
      int64_t delay = backoff.empty() ? 60000 : backoff[std::min<size_t>(size_t(std::max<int64_t>(t->attempts, 1)) - 1, backoff.size() - 1)];
      LF_ASSIGN(auto n, tx.Exec("UPDATE deliveries SET status = ?, next_attempt_at = ?, last_error = ?, response_code = ? "
                                "WHERE tenant_id = ? AND id = ? AND claimed_by = ? AND status = 'sending'",
                                {dead ? "dead" : "retrying", dead ? now : now + delay, t->error,
                                 t->code ? Value(int64_t(t->code)) : Value(nullptr), t->tenant_id, t->id, instance_}));
      if (dead && n > 0 && on_dead_)
        LF_TRY(on_dead_(tx, DeadLetter{t->tenant_id, t->id, t->channel_id, t->channel_name, t->kind, t->rule_id,
                                       t->entity, t->record_id, t->title, t->error}));
    }
    return Status::Ok();
  });
  if (!st.ok()) spdlog::warn("deliverer: recording {} results failed: {}", done.size(), st.ToString());
  done.clear();
}

void Deliverer::Loop() {
  using steady = std::chrono::steady_clock;
  auto next_claim = steady::now();
  while (!stop_) {
    bool woken = wake_.exchange(false);
    if (active_.size() < size_t(options_.max_inflight) && (woken || steady::now() >= next_claim)) {
      ClaimAndStart(size_t(options_.max_inflight) - active_.size());
      // Local queueing wakes the loop at once; the poll finds retries and other instances' rows.
      next_claim = steady::now() + std::chrono::milliseconds(500);
    }
    int running = 0;
    curl_multi_perform(multi_, &running);
    std::vector<std::unique_ptr<Transfer>> finished;
    int left = 0;
    while (CURLMsg* m = curl_multi_info_read(multi_, &left)) {
      if (m->msg != CURLMSG_DONE) continue;
      Transfer* t = nullptr;
      curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &t);
      CURLcode res = m->data.result;
      curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &t->code);
      if (res == CURLE_OK) {
        Status answer = ReadAnswer(t->kind, t->code, t->response);
        if (answer.ok()) {
          t->done = t->ok = true;
        } else {
          t->Fail(answer.detail_en(), false);
        }
      } else if (t->guard.blocked) {
        t->Fail("blocked: " + t->guard.blocked_address + " is an internal address not on the outbound allow-list",
                false);
      } else {
        t->Fail(curl_easy_strerror(res), false);
      }
      curl_multi_remove_handle(multi_, m->easy_handle);
      auto it = std::find_if(active_.begin(), active_.end(), [t](const auto& p) { return p.get() == t; });
      finished.push_back(std::move(*it));
      active_.erase(it);
    }
    if (!finished.empty()) Record(finished);
    curl_multi_poll(multi_, nullptr, 0, active_.empty() ? 500 : 20, nullptr);
  }
}

}  // namespace lf::notify
