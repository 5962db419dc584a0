// The middleware chain and the routes of the REST API.
#include "http/api.h"

#include <charconv>
#include <chrono>
#include <set>
#include <fstream>

#include "base/crypto.h"
#include "base/strings.h"

namespace lf {
namespace {

using json = nlohmann::json;

Lang LangOf(const Request& req) {
  std::string al = AsciiLower(req.Header("accept-language"));
  return al.rfind("en", 0) == 0 ? Lang::kEn : Lang::kZh;
}

Status BadRequest(const std::string& code, const std::string& en, const std::string& zh) {
  return Status::Error(ErrorKind::kInvalidArgument, code, en, zh);
}

// Deepest nesting of arrays/objects, counted outside strings; nlohmann recurses per level, so
// depth is bounded before parsing.
size_t JsonDepth(const std::string& s) {
  size_t depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  for (char c : s) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') max_depth = std::max(max_depth, ++depth);
    else if ((c == '}' || c == ']') && depth > 0) --depth;
  }
  return max_depth;
}

// Parses the request body as JSON (must be an object unless `any`).
Result<json> ParseBody(const Request& req, bool allow_empty = false) {
  if (req.body.empty()) {
    if (allow_empty) return json::object();
    return BadRequest("request.empty_body", "a JSON body is required", "缺少 JSON 请求体");
  }
  std::string ct = AsciiLower(req.Header("content-type"));
  if (ct.rfind("application/json", 0) != 0 && ct.rfind("application/merge-patch+json", 0) != 0)
    return Status::Error(ErrorKind::kInvalidArgument, "request.unsupported_media_type",
                         "send the body as application/json", "请求体须为 application/json");
  if (!IsValidUtf8(req.body))
    return BadRequest("request.invalid_utf8", "the body is not valid UTF-8",
                      "请求体不是有效的 UTF-8 编码");
  if (JsonDepth(req.body) > 32)
    return BadRequest("request.too_deep", "JSON nesting deeper than 32 levels", "JSON 嵌套超过 32 层");
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded())
    return BadRequest("request.malformed_json", "the body is not valid JSON", "请求体不是有效的 JSON");
  if (!body.is_object())
    return BadRequest("request.body_not_object", "the body must be a JSON object",
                      "请求体必须是 JSON 对象");
  return body;
}

std::string TokenOf(const Request& req) {
  std::string auth = req.Header("authorization");
  if (auth.size() > 7 && AsciiLower(auth.substr(0, 7)) == "bearer ") return auth.substr(7);
  std::string cookie = req.Header("cookie");
  for (auto& part : Split(cookie, ';')) {
    size_t b = part.find_first_not_of(' ');
    if (b == std::string::npos) continue;
    std::string_view kv = std::string_view(part).substr(b);
    if (kv.rfind("lf_session=", 0) == 0) return std::string(kv.substr(11));
  }
  return {};
}

bool TokenFromCookie(const Request& req) {
  std::string auth = req.Header("authorization");
  return !(auth.size() > 7 && AsciiLower(auth.substr(0, 7)) == "bearer ");
}

std::string HostOf(const std::string& origin) {
  auto p = origin.find("://");
  return p == std::string::npos ? origin : origin.substr(p + 3);
}

Result<std::optional<int64_t>> ParseIfMatch(const Request& req) {
  std::string v = req.Header("if-match");
  if (v.empty() || v == "*") return std::optional<int64_t>();
  if (v.rfind("W/", 0) == 0) v = v.substr(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  int64_t n = 0;
  auto r = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || r.ec != std::errc() || r.ptr != v.data() + v.size())
    return BadRequest("request.bad_if_match", "If-Match must be an ETag such as \"3\"",
                      "If-Match 须为 ETag,例如 \"3\"");
  return std::optional<int64_t>(n);
}

// The request's Idempotency-Key (empty when absent); kInvalidArgument when malformed.
Result<std::optional<IdempotencyKey>> IdempotencyOf(const Request& req);

Response RecordResponse(int status, const json& record) {
  Response r = JsonResponse(status, record);
  if (record.contains("version") && record["version"].is_number())
    r.headers.emplace_back("ETag", "\"" + std::to_string(record["version"].get<int64_t>()) + "\"");
  return r;
}

Result<std::optional<IdempotencyKey>> IdempotencyOf(const Request& req) {
  std::string key = req.Header("idempotency-key");
  if (key.empty()) return std::optional<IdempotencyKey>();
  if (key.size() > 200 || !IsValidUtf8(key))
    return BadRequest("request.bad_idempotency_key", "Idempotency-Key must be at most 200 bytes",
                      "Idempotency-Key 最长 200 字节");
  return std::optional<IdempotencyKey>(
      IdempotencyKey{key, Sha256Hex(req.method + " " + req.path + "\n" + req.body)});
}

}  // namespace

Api::Api(Database& db, const Clock& clock, std::string web_root, automation::AutomationOptions automation)
    : db_(db),
      clock_(clock),
      web_root_(std::move(web_root)),
      events_(clock, &bus_),
      schemas_(db),
      identity_(db, events_, clock),
      access_(db, events_, schemas_, identity_, clock),
      live_(db, access_, schemas_),
      records_(db, events_, schemas_, access_, clock),
      leads_(db, events_, records_, clock),
      cleaning_(db, events_, records_, clock),
      pools_(db, events_, records_, leads_.assignment(), clock),
      exporter_(db, events_, records_, clock),
      imports_(db, events_, records_, leads_, identity_, clock),
      documents_(db, events_, clock),
      views_(db, records_, clock),
      automation_(db, bus_, events_, schemas_, identity_, records_, leads_.assignment(), clock, std::move(automation)),
      pool_scheduler_(db, events_, identity_, pools_, clock) {
  (void)identity_.EnsureDefaultRoleAccess();
  live_feed_ = bus_.Subscribe("", [this](const Event& e) { live_.Publish(e); });
  AddRoutes();
  (void)imports_.ResumeRunning();  // imports a crash interrupted continue where they stopped
  automation_.Start();
  pool_scheduler_.Start();
}

Api::~Api() { bus_.Unsubscribe(live_feed_); }

Response Api::Handle(Request& req) {
  auto start = std::chrono::steady_clock::now();
  auto finish = [this, start](Response& r) {
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::steady_clock::now() - start)
                  .count();
    metrics_.Observe(r.status, us);
  };
  Response r = Dispatch(req);
  if (r.deferred) {
    r.deferred = [inner = std::move(r.deferred), finish](Responder respond) {
      inner([finish, respond = std::move(respond)](Response resp) {
        finish(resp);
        respond(std::move(resp));
      });
    };
    return r;
  }
  finish(r);
  return r;
}

Response Api::Dispatch(Request& req) {
  Lang lang = LangOf(req);
  bool api = req.path.rfind("/api/", 0) == 0;
  if (!api && req.path != "/healthz" && req.path != "/livez" && req.path != "/metrics") {
    if (req.method != "GET" && req.method != "HEAD")
      return Problem(Status::Error(ErrorKind::kNotFound, "route.not_found", "no such route",
                                   "接口不存在"), lang);
    return ServeStatic(req);
  }
  // Intake is called from customers' own web pages (the embed snippet): open CORS, no credentials.
  const bool intake = req.path.rfind("/api/v1/intake/", 0) == 0;
  if (intake && req.method == "OPTIONS") {
    Response r;
    r.status = 204;
    r.headers = {{"Access-Control-Allow-Origin", "*"},
                 {"Access-Control-Allow-Methods", "POST"},
                 {"Access-Control-Allow-Headers", "Content-Type, X-Intake-Key, Idempotency-Key"},
                 {"Access-Control-Max-Age", "86400"}};
    return r;
  }
  PathParams params;
  bool path_matched = false;
  const Route* route = router_.Match(req.method, req.path, &params, &path_matched);
  if (!route) {
    if (path_matched) {
      Response r = Problem(Status::Error(ErrorKind::kInvalidArgument, "route.method_not_allowed",
                                         "method not allowed here", "该接口不支持此方法"), lang);
      r.status = 405;
      return r;
    }
    return Problem(Status::Error(ErrorKind::kNotFound, "route.not_found", "no such route: " + req.path,
                                 "接口不存在: " + req.path), lang);
  }
  Ctx ctx{req, std::move(params), {}, {}, lang};
  if (route->auth) {
    ctx.token = TokenOf(req);
    auto principal = identity_.Authenticate(ctx.token);
    if (!principal.ok()) return Problem(principal.status(), lang);
    ctx.principal = std::move(principal).value();
    bool unsafe = req.method != "GET" && req.method != "HEAD";
    std::string origin = req.Header("origin");
    if (unsafe && TokenFromCookie(req) && !origin.empty() && HostOf(origin) != req.Header("host"))
      return Problem(Status::Error(ErrorKind::kPermissionDenied, "auth.cross_site",
                                   "cross-site request refused", "拒绝跨站请求"), lang);
  }
  Response r = route->handler(ctx);
  if (intake) {
    auto cors = [](Response& resp) { resp.headers.emplace_back("Access-Control-Allow-Origin", "*"); };
    if (r.deferred)
      r.deferred = [inner = std::move(r.deferred), cors](Responder respond) {
        inner([cors, respond = std::move(respond)](Response resp) {
          cors(resp);
          respond(std::move(resp));
        });
      };
    else
      cors(r);
  }
  return r;
}

Response Api::ServeStatic(const Request& req) {
  std::string rel = req.path;
  if (rel.find("..") != std::string::npos || rel.find('\0') != std::string::npos)
    return Problem(Status::Error(ErrorKind::kNotFound, "route.not_found", "not found", "页面不存在"),
                   Lang::kZh);
  if (rel == "/" || rel.empty()) rel = "/index.html";
  auto read = [&](const std::string& path, std::string* out) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return false;
    out->assign(std::istreambuf_iterator<char>(f), {});
    return true;
  };
  std::string body;
  bool found = !web_root_.empty() && read(web_root_ + rel, &body);
  bool spa_fallback = false;
  if (!found && rel.find('.', rel.rfind('/')) == std::string::npos) {
    rel = "/index.html";
    found = !web_root_.empty() && read(web_root_ + rel, &body);
    spa_fallback = true;
  }
  Response r;
  if (!found) {
    if (rel == "/index.html") {
      r.content_type = "text/html; charset=utf-8";
      r.body = "<!doctype html><meta charset=utf-8><title>LeadFlow</title><h1>LeadFlow</h1>"
               "<p>Web UI not built (run <code>make build</code>). API: <a href=/api/openapi.json>"
               "/api/openapi.json</a></p>";
      return r;
    }
    return Problem(Status::Error(ErrorKind::kNotFound, "route.not_found", "not found", "页面不存在"),
                   Lang::kZh);
  }
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},   {".svg", "image/svg+xml"},
      {".png", "image/png"},                 {".ico", "image/x-icon"},
      {".json", "application/json"},         {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"}, {".webmanifest", "application/manifest+json"}};
  auto dot = rel.rfind('.');
  auto it = dot == std::string::npos ? kTypes.end() : kTypes.find(rel.substr(dot));
  r.content_type = it == kTypes.end() ? "application/octet-stream" : it->second;
  r.body = std::move(body);
  bool hashed_asset = rel.rfind("/assets/", 0) == 0 && !spa_fallback;
  r.headers.emplace_back("Cache-Control", hashed_asset ? "public, max-age=31536000, immutable" : "no-cache");
  return r;
}

void Api::AddRoutes() {
  router_.Add({"GET", "/livez", "Liveness only (no database): the HTTP stack's own ceiling", "ops", false,
               "", "", [](Ctx&) {
                 Response r;
                 r.content_type = "text/plain";
                 r.body = "ok";
                 return r;
               }});
  router_.Add({"GET", "/healthz", "Liveness and database check", "ops", false, "", "", [this](Ctx& c) {
                 Status st = db_.Read([](Connection& conn) { return conn.Query("SELECT 1").status(); });
                 if (!st.ok()) return Problem(st, c.lang);
                 return JsonResponse(200, {{"status", "ok"}});
               }});
  router_.Add({"GET", "/metrics", "Prometheus metrics", "ops", false, "", "", [this](Ctx&) {
                 WriterStats ws = db_.writer_stats();
                 std::string extra =
                     "# TYPE leadflow_db_transactions_total counter\nleadflow_db_transactions_total " +
                     std::to_string(ws.transactions) +
                     "\n# TYPE leadflow_db_writes_total counter\nleadflow_db_writes_total " +
                     std::to_string(ws.writes) +
                     "\n# TYPE leadflow_live_streams gauge\nleadflow_live_streams " +
                     std::to_string(live_.subscriber_count()) + "\n";
                 Response r;
                 r.content_type = "text/plain; version=0.0.4";
                 r.body = metrics_.Render(extra);
                 return r;
               }});
  router_.Add({"GET", "/api/openapi.json", "This OpenAPI document", "ops", false, "", "",
               [this](Ctx&) { return JsonResponse(200, OpenApi()); }});

  // --- auth ---
  router_.Add({"POST", "/api/v1/auth/login", "Sign in with email and password", "auth", false,
               "LoginRequest", "LoginResponse", [this](Ctx& c) {
                 auto body = ParseBody(c.req);
                 if (!body.ok()) return Problem(body.status(), c.lang);
                 for (auto it = body->begin(); it != body->end(); ++it)
                   if (it.key() != "email" && it.key() != "password")
                     return Problem(Status::Error(ErrorKind::kValidation, "validation.unknown_field",
                                                  "unknown field '" + it.key() + "'",
                                                  "未知字段 '" + it.key() + "'", it.key()),
                                    c.lang);
                 auto email = body->value("email", json()), password = body->value("password", json());
                 if (!email.is_string() || !password.is_string())
                   return Problem(Status::Error(ErrorKind::kValidation, "validation.required",
                                                "email and password are required strings",
                                                "邮箱和密码为必填字符串", email.is_string() ? "password" : "email"),
                                  c.lang);
                 auto s = identity_.Login(email.get<std::string>(), password.get<std::string>(), c.req.client);
                 if (!s.ok()) return Problem(s.status(), c.lang);
                 const Principal& p = s->principal;
                 Response r = JsonResponse(
                     200, {{"token", s->token},
                           {"expires_at", FormatRfc3339(s->expires_at, p.zone)},
                           {"user", {{"id", p.user_id}, {"email", p.email}, {"name", p.user_name},
                                     {"role", p.role}, {"department_id", p.department_id},
                                     {"tenant_id", p.tenant_id}}}});
                 r.headers.emplace_back("Set-Cookie", "lf_session=" + s->token +
                                                          "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
                                                          std::to_string(IdentityService::kSessionTtlMs / 1000));
                 r.headers.emplace_back("Cache-Control", "no-store");
                 return r;
               }});
  router_.Add({"POST", "/api/v1/auth/logout", "Sign out (revokes the session)", "auth", true, "", "",
               [this](Ctx& c) {
                 Status st = identity_.Logout(c.token);
                 if (!st.ok()) return Problem(st, c.lang);
                 Response r;
                 r.status = 204;
                 r.headers.emplace_back("Set-Cookie", "lf_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
                 return r;
               }});
  router_.Add({"GET", "/api/v1/me", "The signed-in user and tenant", "auth", true, "", "Me", [](Ctx& c) {
                 const Principal& p = c.principal;
                 return JsonResponse(
                     200, {{"user", {{"id", p.user_id}, {"email", p.email}, {"name", p.user_name},
                                     {"role", p.role}, {"department_id", p.department_id},
                                     {"availability", p.availability}, {"permissions", p.permissions}}},
                           {"tenant", {{"id", p.tenant_id}, {"name", p.tenant_name},
                                       {"time_zone", p.time_zone}}}});
               }});

  // --- schema ---
  router_.Add({"GET", "/api/v1/schema", "Entities and fields (built-in and custom)", "schema", true, "",
               "Schema", [this](Ctx& c) {
                 auto s = records_.SchemaFor(c.principal);
                 if (!s.ok()) return Problem(s.status(), c.lang);
                 return JsonResponse(200, SchemaToJson(**s));
               }});
  router_.Add({"POST", "/api/v1/schema/{entity}/fields", "Add a custom field at runtime", "schema", true,
               "NewField", "Field", [this](Ctx& c) {
                 auto body = ParseBody(c.req);
                 if (!body.ok()) return Problem(body.status(), c.lang);
                 auto f = records_.AddField(c.principal, c.params["entity"], *body);
                 if (!f.ok()) return Problem(f.status(), c.lang);
                 return JsonResponse(201, *f);
               }});

  router_.Add({"POST", "/api/v1/schema/{entity}/fields/{field}/options",
               "Add an option to an enum field (e.g. a custom channel or first-touch action)", "schema",
               true, "NewOption", "Field", [this](Ctx& c) {
                 auto body = ParseBody(c.req);
                 if (!body.ok()) return Problem(body.status(), c.lang);
                 auto f = records_.AddOption(c.principal, c.params["entity"], c.params["field"], *body);
                 return f.ok() ? JsonResponse(201, *f) : Problem(f.status(), c.lang);
               }});

  // --- organisation ---
  AddJsonRoute("GET", "/api/v1/users", "Users of the tenant", "org", "", "UserList", 200,
               [this](Ctx& c, const json&) -> Result<json> { return identity_.ListUsers(c.principal); });
  router_.Add({"POST", "/api/v1/users", "Create a user (admin)", "org", true, "NewUser", "User",
               [this](Ctx& c) {
                 auto body = ParseBody(c.req);
                 if (!body.ok()) return Problem(body.status(), c.lang);
                 IdentityService::NewUser u;
                 static const std::set<std::string> kKeys = {"email", "name", "password", "role",
                                                             "department_id", "manager_id", "phone"};
                 for (auto it = body->begin(); it != body->end(); ++it) {
                   if (!kKeys.count(it.key()))
                     return Problem(Status::Error(ErrorKind::kValidation, "validation.unknown_field",
                                                  "unknown field '" + it.key() + "'",
                                                  "未知字段 '" + it.key() + "'", it.key()),
                                    c.lang);
                   if (!it->is_string() && !it->is_null())
                     return Problem(Status::Error(ErrorKind::kValidation, "validation.wrong_type",
                                                  it.key() + " must be a string",
                                                  it.key() + " 必须是字符串", it.key()),
                                    c.lang);
                 }
                 auto s = [&](const char* k) { return body->contains(k) && (*body)[k].is_string() ? (*body)[k].get<std::string>() : std::string(); };
                 u.email = s("email");
                 u.name = s("name");
                 u.password = s("password");
                 u.role = s("role").empty() ? "sales" : s("role");
                 u.department_id = s("department_id");
                 u.manager_id = s("manager_id");
                 u.phone = s("phone");
                 auto r = identity_.CreateUser(c.principal, u);
                 return r.ok() ? JsonResponse(201, *r) : Problem(r.status(), c.lang);
               }});
  AddJsonRoute("PATCH", "/api/v1/users/{id}", "Change a user's role, department, manager or status "
               "(their access changes at once; they are told why)", "org", "UserPatch", "User", 200,
               [this](Ctx& c, const json& b) { return identity_.UpdateUser(c.principal, c.params["id"], b); });
  AddJsonRoute("PATCH", "/api/v1/departments/{id}", "Rename a department or set its head", "org",
               "DepartmentPatch", "Department", 200,
               [this](Ctx& c, const json& b) { return identity_.UpdateDepartment(c.principal, c.params["id"], b); });
  router_.Add({"GET", "/api/v1/departments", "Departments (a tree by parent_id/path)", "org", true, "",
               "DepartmentList", [this](Ctx& c) {
                 auto r = identity_.ListDepartments(c.principal);
                 return r.ok() ? JsonResponse(200, *r) : Problem(r.status(), c.lang);
               }});
  router_.Add({"POST", "/api/v1/departments", "Create a department (admin)", "org", true,
               "NewDepartment", "Department", [this](Ctx& c) {
                 auto body = ParseBody(c.req);
                 if (!body.ok()) return Problem(body.status(), c.lang);
                 for (auto it = body->begin(); it != body->end(); ++it)
                   if ((it.key() != "name" && it.key() != "parent_id") || !(it->is_string() || it->is_null()))
                     return Problem(Status::Error(ErrorKind::kValidation, "validation.unknown_field",
                                                  "unexpected field '" + it.key() + "'",
                                                  "无效字段 '" + it.key() + "'", it.key()),
                                    c.lang);
                 auto r = identity_.CreateDepartment(
                     c.principal, body->value("name", ""),
                     body->contains("parent_id") && (*body)["parent_id"].is_string() ? (*body)["parent_id"].get<std::string>() : "");
                 return r.ok() ? JsonResponse(201, *r) : Problem(r.status(), c.lang);
               }});
  AddAccessRoutes();
  AddAutomationRoutes();
  AddNotifyRoutes();

  // --- live stream ---
  router_.Add({"GET", "/api/v1/stream", "Live events (Server-Sent Events)", "live", true, "", "",
               [this](Ctx& c) {
                 Response r;
                 std::string tenant = c.principal.tenant_id;
                 Principal principal = c.principal;
                 // A reconnecting browser sends Last-Event-ID: replay what it missed (bounded).
                 int64_t last_seen = -1;
                 std::string last_id = c.req.Header("last-event-id");
                 if (!last_id.empty()) {
                   auto res = std::from_chars(last_id.data(), last_id.data() + last_id.size(), last_seen);
                   if (res.ec != std::errc()) last_seen = -1;
                 }
                 r.stream = [this, tenant, principal, last_seen](std::shared_ptr<SseSink> sink) -> std::function<void()> {
                   auto frame = [](const Event& e) {
                     json data = {{"type", e.type}, {"entity", e.entity}, {"id", e.entity_id},
                                  {"seq", e.seq}};
                     // Notices about one's own access carry their reason (they reach only that
                     // user and access managers: access/live_filter.h).
                     if (e.type.rfind("access.", 0) == 0 && e.data.is_object() && e.data.contains("reason"))
                       data["reason"] = e.data["reason"];
                     // Alerts and in-app notifications reach only their recipient: they carry what to show.
                     if ((e.type == "alert.raised" || e.type == "notification.created") && e.data.is_object())
                       for (const char* k : {"title", "severity", "alert_id", "record_id", "entity"})
                         if (e.data.contains(k)) data[k] = e.data[k];
                     return "id: " + std::to_string(e.seq) + "\nevent: record\ndata: " + data.dump() + "\n\n";
                   };
                   sink->Send("retry: 3000\n\n");
                   // Events pass the access filter: only what this user may read (access/live_filter.h).
                   uint64_t h = live_.Subscribe(principal, [sink, frame](const Event& e) { sink->Send(frame(e)); });
                   if (last_seen >= 0) {
                     std::vector<Event> missed;
                     (void)db_.Read([&](Connection& conn) -> Status {
                       // With its data: a replayed alert or notification shows what a live one shows.
                       return conn.ForEach("SELECT seq, type, entity, entity_id, data FROM events WHERE tenant_id = ? "
                                           "AND seq > ? ORDER BY seq LIMIT 1000",
                                           {tenant, last_seen},
                                           [&](const std::vector<std::string>&, const Row& row) {
                                             Event e;
                                             e.tenant_id = tenant;
                                             e.seq = AsInt(row[0]);
                                             e.type = AsText(row[1]);
                                             e.entity = AsText(row[2]);
                                             e.entity_id = AsText(row[3]);
                                             e.data = json::parse(AsText(row[4]), nullptr, false);
                                             missed.push_back(std::move(e));
                                             return true;
                                           });
                     });
                     live_.Replay(h, std::move(missed));
                   }
                   return [this, h] { live_.Unsubscribe(h); };
                 };
                 return r;
               }});

  AddJsonRoute("GET", "/api/v1/views", "Saved list views (?entity=): mine and the shared ones", "records", "",
               "SavedViewList", 200,
               [this](Ctx& c, const json&) { return views_.List(c.principal, QueryParam(c.req, "entity")); });
  AddJsonRoute("POST", "/api/v1/views", "Save a list view {entity, name, query, shared?} (checked as you would list it)",
               "records", "SavedViewInput", "SavedView", 201,
               [this](Ctx& c, const json& b) { return views_.Create(c.principal, b); });
  AddJsonRoute("PATCH", "/api/v1/views/{id}", "Rename, re-filter or share your view", "records", "SavedViewPatch",
               "SavedView", 200, [this](Ctx& c, const json& b) { return views_.Update(c.principal, c.params["id"], b); });
  AddJsonRoute("DELETE", "/api/v1/views/{id}", "Remove your view", "records", "", "", 200,
               [this](Ctx& c, const json&) { return views_.Remove(c.principal, c.params["id"]); });

  AddLeadRoutes();  // before the generic entity routes: /api/v1/leads/quick is not an {id}
  for (const auto& e : BuiltinEntities()) AddEntityRoutes(e);
}

void Api::AddJsonRoute(const char* method, std::string pattern, std::string summary, std::string tag,
                       std::string request_schema, std::string response_schema, int ok,
                       std::function<Result<json>(Ctx&, const json&)> fn) {
  bool has_body = !request_schema.empty();
  router_.Add({method, std::move(pattern), std::move(summary), std::move(tag), true, std::move(request_schema),
               std::move(response_schema), [fn = std::move(fn), ok, has_body](Ctx& c) {
                 json body = json::object();
                 if (has_body) {
                   auto parsed = ParseBody(c.req, true);
                   if (!parsed.ok()) return Problem(parsed.status(), c.lang);
                   body = std::move(parsed).value();
                 }
                 auto r = fn(c, body);
                 if (!r.ok()) return Problem(r.status(), c.lang);
                 return r->contains("version") ? RecordResponse(ok, *r) : JsonResponse(ok, *r);
               }});
}

void Api::EnableTestClock(OffsetClock* clock) {
  router_.Add({"POST", "/api/v1/_test/clock", "Test servers only: set the server's clock", "ops",
               false, "", "", [clock](Ctx& c) {
                 auto body = ParseBody(c.req);
                 if (!body.ok()) return Problem(body.status(), c.lang);
                 if (!body->contains("now") || !(*body)["now"].is_string())
                   return Problem(Status::Error(ErrorKind::kValidation, "validation.required",
                                                "now (RFC 3339) is required", "需要 now (RFC 3339)", "now"),
                                  c.lang);
                 auto ms = ParseRfc3339((*body)["now"].get<std::string>());
                 if (!ms.ok()) return Problem(ms.status(), c.lang);
                 clock->SetNow(*ms);
                 return JsonResponse(200, {{"now_ms", clock->NowMs()}});
               }});
}

void Api::AddLeadRoutes() {
  router_.Add({"POST", "/api/v1/leads", "Create a lead (same phone within the dedup window → a touch "
               "on the existing lead, 200 + Deduplicated: true)", "leads", true, "Record_leads",
               "Record_leads", [this](Ctx& c) {
                 auto body = ParseBody(c.req);
                 if (!body.ok()) return Problem(body.status(), c.lang);
                 auto idem = IdempotencyOf(c.req);
                 if (!idem.ok()) return Problem(idem.status(), c.lang);
                 Response deferred;
                 deferred.deferred = [this, lang = c.lang, principal = c.principal,
                                      body = std::move(body).value(), idem = *idem](Responder respond) {
                   leads_.CreateAsync(principal, body, idem ? &*idem : nullptr, nullptr, nullptr,
                                      [respond, lang](Result<LeadResult> r) {
                                        if (!r.ok()) return respond(Problem(r.status(), lang));
                                        Response resp = RecordResponse(r->deduplicated ? 200 : 201, r->lead);
                                        if (r->lead.contains("id") && r->lead["id"].is_string())
                                          resp.headers.emplace_back("Location", "/api/v1/leads/" + r->lead["id"].get<std::string>());
                                        if (r->deduplicated) resp.headers.emplace_back("Deduplicated", "true");
                                        if (r->replayed) resp.headers.emplace_back("Idempotent-Replayed", "true");
                                        respond(std::move(resp));
                                      });
                 };
                 return deferred;
               }});
  router_.Add({"POST", "/api/v1/leads/quick", "Quick entry: a lead plus 称呼/核心诉求/下次动作 in one call",
               "leads", true, "QuickEntry", "QuickEntryResult", [this](Ctx& c) {
                 auto body = ParseBody(c.req);
                 if (!body.ok()) return Problem(body.status(), c.lang);
                 auto r = leads_.QuickEntry(c.principal, *body);
                 if (!r.ok()) return Problem(r.status(), c.lang);
                 bool dup = r->value("deduplicated", false);
                 Response resp = JsonResponse(dup ? 200 : 201, *r);  // as POST /leads: 200 = a touch
                 if (dup) resp.headers.emplace_back("Deduplicated", "true");
                 return resp;
               }});
  router_.Add({"GET", "/api/v1/duplicates/check", "Who owns a matching lead/customer/contact (phone, "
               "wechat, company) — without revealing the record", "leads", true, "", "DuplicateCheck",
               [this](Ctx& c) {
                 std::string phone, wechat, company;
                 for (auto& [k, v] : c.req.query) {
                   if (k == "phone") phone = v;
                   else if (k == "wechat") wechat = v;
                   else if (k == "company") company = v;
                   else
                     return Problem(Status::Error(ErrorKind::kInvalidArgument, "query.unknown_field",
                                                  "unknown parameter '" + k + "'", "未知参数 '" + k + "'", k),
                                    c.lang);
                 }
                 auto r = leads_.DuplicateCheck(c.principal, phone, wechat, company);
                 return r.ok() ? JsonResponse(200, *r) : Problem(r.status(), c.lang);
               }});
  router_.Add({"GET", "/api/v1/intake-sources", "Intake sources (admin)", "leads", true, "",
               "IntakeSourceList", [this](Ctx& c) {
                 auto r = leads_.ListIntakeSources(c.principal);
                 return r.ok() ? JsonResponse(200, *r) : Problem(r.status(), c.lang);
               }});
  router_.Add({"POST", "/api/v1/intake-sources", "Create an intake source; its key is shown once",
               "leads", true, "NewIntakeSource", "IntakeSource", [this](Ctx& c) {
                 auto body = ParseBody(c.req);
                 if (!body.ok()) return Problem(body.status(), c.lang);
                 auto r = leads_.CreateIntakeSource(c.principal, *body);
                 return r.ok() ? JsonResponse(201, *r) : Problem(r.status(), c.lang);
               }});
  router_.Add({"POST", "/api/v1/intake-sources/{id}/rotate-key", "Replace an intake source's key",
               "leads", true, "", "IntakeSource", [this](Ctx& c) {
                 auto r = leads_.RotateIntakeKey(c.principal, c.params["id"]);
                 return r.ok() ? JsonResponse(200, *r) : Problem(r.status(), c.lang);
               }});
  AddJsonRoute("PATCH", "/api/v1/intake-sources/{id}", "Rename, re-stamp or disable/enable an intake source",
               "leads", "IntakeSourcePatch", "IntakeSource", 200,
               [this](Ctx& c, const json& b) { return leads_.UpdateIntakeSource(c.principal, c.params["id"], b); });
  router_.Add({"GET", "/api/v1/intake/{source}", "What a public form shows (name, channel label) — "
               "with the source's key (?key= or X-Intake-Key); nothing else about the tenant", "leads",
               false, "", "IntakeForm", [this](Ctx& c) {
                 std::string key = c.req.Header("x-intake-key");
                 for (auto& [k, v] : c.req.query)
                   if (k == "key" && key.empty()) key = v;
                 auto source = leads_.AuthenticateIntake(c.params["source"], key);
                 if (!source.ok()) return Problem(source.status(), c.lang);
                 std::string label_zh = source->channel, label_en = source->channel;
                 if (auto schema = schemas_.Get(source->tenant_id, 0); schema.ok())
                   if (const auto* f = (*schema)->Find("leads")->Find("channel"))
                     for (const auto& o : f->options)
                       if (o.value == source->channel) label_zh = o.label_zh, label_en = o.label_en;
                 return JsonResponse(200, {{"name", source->name},
                                           {"channel", source->channel},
                                           {"channel_label_zh", label_zh},
                                           {"channel_label_en", label_en}});
               }});
  router_.Add({"POST", "/api/v1/intake/{source}", "Lead intake for ad platforms, forms and scripts "
               "(X-Intake-Key header or ?key=); the source stamps the channel", "leads", false, "",
               "IntakeResult", [this](Ctx& c) {
                 std::string key = c.req.Header("x-intake-key");
                 for (auto& [k, v] : c.req.query)
                   if (k == "key" && key.empty()) key = v;
                 auto source = leads_.AuthenticateIntake(c.params["source"], key);
                 if (!source.ok()) return Problem(source.status(), c.lang);
                 auto principal = identity_.PrincipalFor(source->tenant_id, source->created_by);
                 if (!principal.ok()) return Problem(principal.status(), c.lang);
                 // HTML forms post application/x-www-form-urlencoded; scripts and ad platforms JSON.
                 Result<json> payload = json::object();
                 if (AsciiLower(c.req.Header("content-type")).rfind("application/x-www-form-urlencoded", 0) == 0) {
                   json form = json::object();
                   for (const auto& part : Split(c.req.body, '&')) {
                     if (part.empty()) continue;
                     auto eq = part.find('=');
                     std::string k, v;
                     if (!UrlDecode(std::string_view(part).substr(0, eq), &k) ||
                         !UrlDecode(eq == std::string::npos ? std::string_view() : std::string_view(part).substr(eq + 1), &v) ||
                         !IsValidUtf8(k) || !IsValidUtf8(v))
                       return Problem(BadRequest("request.bad_form", "the form body is not valid", "表单内容无效"), c.lang);
                     if (k != "key") form[k] = v;
                   }
                   payload = form;
                 } else {
                   payload = ParseBody(c.req);
                 }
                 if (!payload.ok()) return Problem(payload.status(), c.lang);
                 auto body = leads_.IntakeBody(*principal, *source, *payload);
                 if (!body.ok()) return Problem(body.status(), c.lang);
                 auto idem = IdempotencyOf(c.req);
                 if (!idem.ok()) return Problem(idem.status(), c.lang);
                 Response deferred;
                 deferred.deferred = [this, lang = c.lang, p = std::move(principal).value(),
                                      src = std::move(source).value(), body = std::move(body).value(),
                                      raw = std::move(payload).value(), idem = *idem](Responder respond) {
                   leads_.CreateAsync(p, body, idem ? &*idem : nullptr, &src, raw,
                                      [respond, lang](Result<LeadResult> r) {
                                        if (!r.ok()) return respond(Problem(r.status(), lang));
                                        respond(JsonResponse(r->deduplicated ? 200 : 201,
                                                             {{"id", r->lead.value("id", "")},
                                                              {"deduplicated", r->deduplicated}}));
                                      });
                 };
                 return deferred;
               }});
  AddJsonRoute("POST", "/api/v1/lead-cleaning/preview", "Preview lead cleaning: how many leads are " "older than N calendar days in the tenant's zone, and a sample", "leads", "CleaningRequest", "CleaningPreview", 200,
               [this](Ctx& c, const json& b) -> Result<json> { return cleaning_.Preview(c.principal, b); });
  router_.Add({"POST", "/api/v1/lead-cleaning/runs", "Run lead cleaning (archives, never deletes)",
               "leads", true, "CleaningRequest", "CleaningRun", [this](Ctx& c) {
                 auto body = ParseBody(c.req);
                 if (!body.ok()) return Problem(body.status(), c.lang);
                 auto r = cleaning_.Run(c.principal, *body);
                 return r.ok() ? JsonResponse(201, *r) : Problem(r.status(), c.lang);
               }});
  router_.Add({"GET", "/api/v1/lead-cleaning/runs", "Past cleaning runs", "leads", true, "",
               "CleaningRunList", [this](Ctx& c) {
                 auto r = cleaning_.ListRuns(c.principal);
                 return r.ok() ? JsonResponse(200, *r) : Problem(r.status(), c.lang);
               }});
  AddJsonRoute("POST", "/api/v1/lead-cleaning/runs/{id}/undo", "Undo a cleaning run", "leads", "", "CleaningRun", 200,
               [this](Ctx& c, const json&) -> Result<json> { return cleaning_.Undo(c.principal, c.params["id"]); });
  router_.Add({"GET", "/api/v1/assignment-rules", "Lead assignment rules, in order", "leads", true, "",
               "AssignmentRuleList", [this](Ctx& c) {
                 auto r = leads_.assignment().ListRules(c.principal);
                 return r.ok() ? JsonResponse(200, *r) : Problem(r.status(), c.lang);
               }});
  AddJsonRoute("POST", "/api/v1/assignment-rules", "Create an assignment rule (admin)", "leads", "AssignmentRuleInput", "AssignmentRule", 201,
               [this](Ctx& c, const json& b) -> Result<json> { return leads_.assignment().CreateRule(c.principal, b); });
  AddJsonRoute("PATCH", "/api/v1/assignment-rules/{id}", "Change an assignment rule (admin)", "leads",
               "AssignmentRuleInput", "AssignmentRule", 200, [this](Ctx& c, const json& b) {
                 return leads_.assignment().UpdateRule(c.principal, c.params["id"], b);
               });
  AddJsonRoute("POST", "/api/v1/leads/{id}/assign", "Assign a lead to someone (starts the silent period)",
               "leads", "Reassign", "Record_leads", 200, [this](Ctx& c, const json& b) {
                 return leads_.assignment().Reassign(c.principal, c.params["id"], b);
               });
  AddJsonRoute("PUT", "/api/v1/me/availability", "Available or away (away: skipped by assignment)", "leads",
               "Availability", "Availability", 200,
               [this](Ctx& c, const json& b) { return leads_.assignment().SetAvailability(c.principal, b); });
  AddJsonRoute("GET", "/api/v1/pools", "Public pools (公海) with their rules and lead counts", "leads", "", "PoolList", 200,
             [this](Ctx& c, const json&) { return pools_.List(c.principal); });
  AddJsonRoute("POST", "/api/v1/pools", "Create a pool (pool managers)", "leads", "PoolInput", "Pool", 201,
             [this](Ctx& c, const json& b) { return pools_.Create(c.principal, b); });
  AddJsonRoute("PATCH", "/api/v1/pools/{id}", "Change a pool's name or rules", "leads", "PoolInput", "Pool", 200,
             [this](Ctx& c, const json& b) { return pools_.Update(c.principal, c.params["id"], b); });
  AddJsonRoute("GET", "/api/v1/pools/{id}/reclaim-preview", "Leads due for reclaim now, and within the warning window", "leads",
             "", "ReclaimPreview", 200,
             [this](Ctx& c, const json&) { return pools_.ReclaimPreview(c.principal, c.params["id"]); });
  AddJsonRoute("POST", "/api/v1/pools/{id}/reclaim", "Move the due leads back into the pool", "leads", "", "ReclaimResult", 200,
             [this](Ctx& c, const json&) { return pools_.Reclaim(c.principal, c.params["id"]); });
  AddJsonRoute("POST", "/api/v1/pools/{id}/release", "Put a lead into this pool (its owner or a pool manager)", "leads",
             "PoolLeadRequest", "Record_leads", 200, [this](Ctx& c, const json& b) -> Result<json> {
               json body = b;
               std::string lead = body.value("lead_id", "");
               body.erase("lead_id");
               body["pool_id"] = c.params["id"];
               return pools_.Release(c.principal, lead, body);
             });
  AddJsonRoute("POST", "/api/v1/pools/{id}/claim", "Claim a lead from this pool (quota, cooldown, caps)", "leads",
             "PoolLeadRequest", "Record_leads", 200, [this](Ctx& c, const json& b) -> Result<json> {
               for (auto it = b.begin(); it != b.end(); ++it)
                 if (it.key() != "lead_id")
                   return Status::Error(ErrorKind::kValidation, "validation.unknown_field",
                                        "unknown field '" + it.key() + "'", "未知字段 '" + it.key() + "'", it.key());
               return pools_.Claim(c.principal, b.value("lead_id", ""), c.params["id"]);
             });
  AddJsonRoute("POST", "/api/v1/pools/{id}/transfer", "Move a lead of this pool to another pool", "leads",
             "PoolTransferRequest", "Record_leads", 200, [this](Ctx& c, const json& b) -> Result<json> {
               json body = {{"pool_id", b.value("to_pool_id", "")}};
               for (auto it = b.begin(); it != b.end(); ++it)
                 if (it.key() != "lead_id" && it.key() != "to_pool_id")
                   return Status::Error(ErrorKind::kValidation, "validation.unknown_field",
                                        "unknown field '" + it.key() + "'", "未知字段 '" + it.key() + "'", it.key());
               return pools_.Transfer(c.principal, b.value("lead_id", ""), body, c.params["id"]);
             });
  router_.Add({"GET", "/api/v1/exports", "Export a filtered list as CSV or XLSX: ?entity=leads&format=csv|xlsx "
               "+ list filters; formulas neutralised", "imports", true, "", "", [this](Ctx& c) {
                 std::string format = "csv", entity;
                 QueryParams filters;
                 for (auto& [k, v] : c.req.query) {
                   if (k == "format") format = v;
                   else if (k == "entity") entity = v;
                   else filters.emplace_back(k, v);
                 }
                 auto r = exporter_.Export(c.principal, entity, filters, format, c.lang == Lang::kEn);
                 if (!r.ok()) return Problem(r.status(), c.lang);
                 Response resp;
                 resp.content_type = r->content_type;
                 resp.body = std::move(r->body);
                 std::string encoded;
                 for (unsigned char ch : r->filename) {
                   if (std::isalnum(ch) || ch == '.' || ch == '-' || ch == '_') {
                     encoded += char(ch);
                   } else {
                     char buf[4];
                     std::snprintf(buf, sizeof buf, "%%%02X", ch);
                     encoded += buf;
                   }
                 }
                 resp.headers.emplace_back("Content-Disposition", "attachment; filename=\"export." + format +
                                                                      "\"; filename*=UTF-8''" + encoded);
                 resp.headers.emplace_back("X-Export-Rows", std::to_string(r->rows));
                 return resp;
               }});
  router_.Add({"POST", "/api/v1/imports", "Upload a CSV (UTF-8 or GBK) to import: ?entity=leads&filename=…"
               "&encoding=auto|utf-8|gbk; the body is the file", "imports", true, "", "ImportUpload",
               [this](Ctx& c) {
                 std::string entity = "leads", filename, encoding = "auto";
                 for (auto& [k, v] : c.req.query) {
                   if (k == "entity") entity = v;
                   else if (k == "filename") filename = v;
                   else if (k == "encoding") encoding = v;
                 }
                 if (c.req.body.empty())
                   return Problem(BadRequest("request.empty_body", "upload the file as the request body",
                                             "请将文件作为请求体上传"),
                                  c.lang);
                 auto r = imports_.Upload(c.principal, entity, filename, c.req.body, encoding);
                 return r.ok() ? JsonResponse(201, *r) : Problem(r.status(), c.lang);
               }});
  AddJsonRoute("POST", "/api/v1/imports/{id}/dry-run", "Check every row against a column mapping; nothing is written", "imports",
             "ImportMapping", "ImportDryRun", 200,
             [this](Ctx& c, const json& b) { return imports_.DryRun(c.principal, c.params["id"], b, c.lang == Lang::kEn); });
  AddJsonRoute("POST", "/api/v1/imports/{id}/start", "Start the import job (runs in the background)", "imports", "ImportMapping",
             "Import", 202, [this](Ctx& c, const json& b) { return imports_.Start(c.principal, c.params["id"], b); });
  AddJsonRoute("GET", "/api/v1/imports/{id}", "An import's progress", "imports", "", "Import", 200,
             [this](Ctx& c, const json&) { return imports_.Get(c.principal, c.params["id"]); });
  router_.Add({"GET", "/api/v1/imports/{id}/errors", "Per-row errors of an import, as CSV", "imports", true, "", "",
               [this](Ctx& c) {
                 auto r = imports_.ErrorsCsv(c.principal, c.params["id"], c.lang == Lang::kEn);
                 if (!r.ok()) return Problem(r.status(), c.lang);
                 Response resp;
                 resp.content_type = "text/csv; charset=utf-8";
                 resp.body = std::move(r).value();
                 resp.headers.emplace_back("Content-Disposition", "attachment; filename=\"import-errors.csv\"");
                 return resp;
               }});
  router_.Add({"GET", "/api/v1/settings/leads", "Lead pipeline settings", "leads", true, "",
               "LeadSettings", [this](Ctx& c) {
                 auto r = leads_.Settings(c.principal);
                 return r.ok() ? JsonResponse(200, *r) : Problem(r.status(), c.lang);
               }});
  AddJsonRoute("PATCH", "/api/v1/settings/leads", "Change lead pipeline settings (admin)", "leads", "LeadSettings", "LeadSettings", 200,
               [this](Ctx& c, const json& b) -> Result<json> { return leads_.UpdateSettings(c.principal, b); });
}

void Api::AddEntityRoutes(const EntityDef& e) {
  const std::string base = "/api/v1/" + e.name;
  const std::string name = e.name;
  const std::string schema_name = "Record_" + e.name;
  router_.Add({"GET", base, "List " + e.name + " (filters, sort, cursor)", e.name, true, "",
               "List_" + e.name, [this, name](Ctx& c) {
                 auto r = records_.List(c.principal, name, c.req.query);
                 return r.ok() ? JsonResponse(200, *r) : Problem(r.status(), c.lang);
               }});
  router_.Add({"GET", base + "/{id}/attachments", "Files attached to a " + e.singular + " (whoever may read it)",
               e.name, true, "", "DocumentList", [this, name](Ctx& c) {
                 auto rec = records_.Get(c.principal, name, c.params["id"]);
                 if (!rec.ok()) return Problem(rec.status(), c.lang);
                 auto r = documents_.Attachments(c.principal, name, c.params["id"]);
                 return r.ok() ? JsonResponse(200, *r) : Problem(r.status(), c.lang);
               }});
  router_.Add({"POST", base + "/{id}/attachments", "Attach a file to a " + e.singular + ": ?name=<file name>, the "
               "body is the file (≤ 20 MiB); on its timeline", e.name, true, "", "Document",
               [this, name, singular = e.singular](Ctx& c) {
                 auto rec = records_.Get(c.principal, name, c.params["id"]);
                 if (!rec.ok()) return Problem(rec.status(), c.lang);
                 auto r = documents_.Attach(c.principal, name, singular, c.params["id"], QueryParam(c.req, "name"),
                                            c.req.Header("content-type"), c.req.body);
                 return r.ok() ? JsonResponse(201, *r) : Problem(r.status(), c.lang);
               }});
  router_.Add({"GET", base + "/summary", "Count (and average) the " + e.name + " you may read that match the list "
               "filters, optionally ?group_by=<field> and ?avg=<number field>", e.name, true, "", "Summary",
               [this, name](Ctx& c) {
                 auto r = records_.Summary(c.principal, name, c.req.query);
                 return r.ok() ? JsonResponse(200, *r) : Problem(r.status(), c.lang);
               }});
  if (e.name != "leads")  // leads are created through the lead pipeline (AddLeadRoutes)
  router_.Add({"POST", base, "Create a " + e.singular, e.name, true, schema_name, schema_name,
               [this, name, base](Ctx& c) {
                 auto body = ParseBody(c.req);
                 if (!body.ok()) return Problem(body.status(), c.lang);
                 auto idem = IdempotencyOf(c.req);
                 if (!idem.ok()) return Problem(idem.status(), c.lang);
                 // The worker returns at once; the answer is sent when the write is durable.
                 Response deferred;
                 deferred.deferred = [this, name, base, lang = c.lang, principal = c.principal,
                                      body = std::move(body).value(), idem = *idem](Responder respond) {
                   records_.CreateAsync(
                       principal, name, body, idem ? &*idem : nullptr,
                       [respond, lang, base](Result<CreateResult> r) {
                         if (!r.ok()) return respond(Problem(r.status(), lang));
                         Response resp = RecordResponse(201, r->record);
                         if (r->record.contains("id") && r->record["id"].is_string())
                           resp.headers.emplace_back(
                               "Location", base + "/" + r->record["id"].get<std::string>());
                         if (r->replayed) resp.headers.emplace_back("Idempotent-Replayed", "true");
                         respond(std::move(resp));
                       });
                 };
                 return deferred;
               }});
  router_.Add({"GET", base + "/{id}", "Get a " + e.singular, e.name, true, "", schema_name,
               [this, name](Ctx& c) {
                 auto r = records_.Get(c.principal, name, c.params["id"]);
                 return r.ok() ? RecordResponse(200, *r) : Problem(r.status(), c.lang);
               }});
  router_.Add({"PATCH", base + "/{id}", "Update fields of a " + e.singular + " (If-Match)", e.name,
               true, schema_name, schema_name, [this, name](Ctx& c) {
                 auto body = ParseBody(c.req);
                 if (!body.ok()) return Problem(body.status(), c.lang);
                 auto if_match = ParseIfMatch(c.req);
                 if (!if_match.ok()) return Problem(if_match.status(), c.lang);
                 auto r = records_.Update(c.principal, name, c.params["id"], *body, *if_match);
                 return r.ok() ? RecordResponse(200, *r) : Problem(r.status(), c.lang);
               }});
  auto archive = [this, name](Ctx& c) {
    auto body = ParseBody(c.req, true);
    if (!body.ok()) return Problem(body.status(), c.lang);
    for (auto it = body->begin(); it != body->end(); ++it)
      if (it.key() != "reason" || !it->is_string())
        return Problem(Status::Error(ErrorKind::kValidation, "validation.unknown_field",
                                     "only a string 'reason' is accepted", "只接受字符串字段 reason",
                                     it.key()),
                       c.lang);
    auto r = records_.Archive(c.principal, name, c.params["id"], body->value("reason", ""));
    return r.ok() ? RecordResponse(200, *r) : Problem(r.status(), c.lang);
  };
  router_.Add({"POST", base + "/{id}/archive", "Archive a " + e.singular + " (never deleted)", e.name,
               true, "ArchiveRequest", schema_name, archive});
  router_.Add({"DELETE", base + "/{id}", "Archive a " + e.singular + " (same as POST …/archive)",
               e.name, true, "", schema_name, archive});
  router_.Add({"POST", base + "/{id}/unarchive", "Restore an archived " + e.singular, e.name, true,
               "", schema_name, [this, name](Ctx& c) {
                 auto r = records_.Unarchive(c.principal, name, c.params["id"]);
                 return r.ok() ? RecordResponse(200, *r) : Problem(r.status(), c.lang);
               }});
  router_.Add({"GET", base + "/{id}/history", "Audit trail: who changed what, when", e.name, true, "",
               "History", [this, name](Ctx& c) {
                 auto r = records_.History(c.principal, name, c.params["id"]);
                 return r.ok() ? JsonResponse(200, *r) : Problem(r.status(), c.lang);
               }});
}

}  // namespace lf
