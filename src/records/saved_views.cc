// Implements records/saved_views.h.
#include "records/saved_views.h"

#include <set>

#include "base/crypto.h"
#include "base/strings.h"
#include "base/time.h"
#include "records/list_query.h"

namespace lf {
namespace {

using json = nlohmann::json;

constexpr const char* kColumns = "id, user_id, entity, name, query, shared, created_at, updated_at";

Status Invalid(const std::string& field, const std::string& en, const std::string& zh,
               const std::string& code = "validation.invalid_value") {
  return Status::Error(ErrorKind::kValidation, code, en, zh, field);
}

Status NotFound() {
  return Status::Error(ErrorKind::kNotFound, "view.not_found", "saved view not found", "视图不存在");
}

json RowJson(const Row& r, const Principal& p) {
  return {{"id", AsText(r[0])},      {"entity", AsText(r[2])},  {"name", AsText(r[3])},
          {"query", AsText(r[4])},   {"shared", AsInt(r[5]) != 0}, {"mine", AsText(r[1]) == p.user_id},
          {"created_at", FormatRfc3339(AsInt(r[6]), p.zone)}, {"updated_at", FormatRfc3339(AsInt(r[7]), p.zone)}};
}

Status CheckKeys(const json& body, const std::set<std::string>& allowed) {
  if (!body.is_object())
    return Status::Error(ErrorKind::kInvalidArgument, "request.body_not_object", "the body must be a JSON object",
                         "请求体必须是 JSON 对象");
  for (auto it = body.begin(); it != body.end(); ++it)
    if (!allowed.count(it.key()))
      return Invalid(it.key(), "unknown field '" + it.key() + "'", "未知字段 '" + it.key() + "'", "validation.unknown_field");
  return Status::Ok();
}

Result<std::string> Name(const json& body) {
  if (!body["name"].is_string() || Trim(body["name"].get<std::string>()).empty() ||
      Utf8Length(body["name"].get<std::string>()) > 60)
    return Invalid("name", "name must be a non-empty string of at most 60 characters", "视图名称必须是 1–60 字的文本");
  return Trim(body["name"].get<std::string>());
}

// The body's "shared" (else `current`), which only views.share may turn on.
Result<bool> Shared(const Principal& p, const json& body, bool current) {
  if (!body.contains("shared")) return current;
  if (!body["shared"].is_boolean())
    return Invalid("shared", "shared must be true or false", "shared 必须是布尔值", "validation.wrong_type");
  if (body["shared"].get<bool>() && !p.Can(kPermViewsShare))
    return Status::Error(ErrorKind::kPermissionDenied, "access.forbidden", "sharing views needs views.share",
                         "共享视图需要 views.share 权限");
  return body["shared"].get<bool>();
}

}  // namespace

Status SavedViews::CheckQuery(const Principal& p, const std::string& entity, const std::string& query) {
  if (query.size() > 4000) return Invalid("query", "the query is too long", "查询条件过长");
  QueryParams params;
  for (const auto& part : Split(query, '&')) {
    if (part.empty()) continue;
    size_t eq = part.find('=');
    std::string k, v;
    if (!UrlDecode(part.substr(0, eq), &k) || (eq != std::string::npos && !UrlDecode(part.substr(eq + 1), &v)))
      return Invalid("query", "the query has a bad %-escape", "查询条件中有错误的 % 转义");
    if (k == "cursor" || k == "limit" || k == "with_total") continue;
    params.emplace_back(k, v);
  }
  LF_ASSIGN(auto schema, records_.SchemaFor(p));
  const TenantSchema::Entity* e = schema->Find(entity);
  if (!e)
    return Status::Error(ErrorKind::kValidation, "schema.unknown_entity", "no entity '" + entity + "'",
                         "没有实体 '" + entity + "'", "entity");
  LF_ASSIGN(RowAccess access, records_.AccessFor(p, *schema, *e, Action::kRead));
  auto plan = PlanList(*e, db_.dialect(), p.tenant_id, params, access, clock_.NowMs());
  if (!plan.ok()) {
    const Status& s = plan.status();
    return Status::Error(s.kind(), s.code(), s.detail_en(), s.detail_zh(), "query");
  }
  return Status::Ok();
}

Result<json> SavedViews::List(const Principal& p, const std::string& entity) {
  json items = json::array();
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    return c.ForEach(std::string("SELECT ") + kColumns + " FROM saved_views WHERE tenant_id = ? AND entity = ? AND "
                         "(user_id = ? OR shared = 1) ORDER BY shared, name, id",
                     {p.tenant_id, entity, p.user_id}, [&](const std::vector<std::string>&, const Row& r) {
                       items.push_back(RowJson(r, p));
                       return true;
                     });
  }));
  return json{{"items", std::move(items)}};
}

Result<json> SavedViews::Create(const Principal& p, const json& body) {
  LF_TRY(CheckKeys(body, {"entity", "name", "query", "shared"}));
  if (!body.contains("entity") || !body["entity"].is_string())
    return Invalid("entity", "entity is required", "需要 entity", "validation.required");
  if (!body.contains("name")) return Invalid("name", "name is required", "需要视图名称", "validation.required");
  LF_ASSIGN(std::string name, Name(body));
  if (!body.contains("query") || !body["query"].is_string())
    return Invalid("query", "query (the list's query string) is required", "需要 query(列表查询条件)", "validation.required");
  LF_ASSIGN(bool shared, Shared(p, body, false));
  std::string entity = body["entity"].get<std::string>(), query = body["query"].get<std::string>();
  LF_TRY(CheckQuery(p, entity, query));
  int64_t now = clock_.NowMs();
  std::string id = UuidV7(now);
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    return tx.Exec("INSERT INTO saved_views (tenant_id, id, user_id, entity, name, query, shared, created_at, updated_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   {p.tenant_id, id, p.user_id, entity, name, query, int64_t(shared), now, now})
        .status();
  }));
  return Load(p, id);
}

Result<json> SavedViews::Load(const Principal& p, const std::string& id) {
  json out;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query(std::string("SELECT ") + kColumns + " FROM saved_views WHERE tenant_id = ? AND id = ? "
                                     "AND (user_id = ? OR shared = 1)",
                                 {p.tenant_id, id, p.user_id}));
    if (rows.empty()) return NotFound();
    out = RowJson(rows.rows[0], p);
    return Status::Ok();
  }));
  return out;
}

Result<json> SavedViews::Update(const Principal& p, const std::string& id, const json& body) {
  LF_TRY(CheckKeys(body, {"name", "query", "shared"}));
  LF_ASSIGN(json view, Load(p, id));
  if (!view["mine"].get<bool>())
    return Status::Error(ErrorKind::kPermissionDenied, "access.forbidden", "only its author changes a view",
                         "只有创建人可以修改视图");
  if (body.contains("name")) {
    LF_ASSIGN(view["name"], Name(body));
  }
  if (body.contains("query")) {
    if (!body["query"].is_string()) return Invalid("query", "query must be a string", "query 必须是文本", "validation.wrong_type");
    LF_TRY(CheckQuery(p, view["entity"].get<std::string>(), body["query"].get<std::string>()));
    view["query"] = body["query"];
  }
  LF_ASSIGN(view["shared"], Shared(p, body, view["shared"].get<bool>()));
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    return tx.Exec("UPDATE saved_views SET name = ?, query = ?, shared = ?, updated_at = ? WHERE tenant_id = ? AND id = ? "
                   "AND user_id = ?",
                   {view["name"].get<std::string>(), view["query"].get<std::string>(), int64_t(view["shared"].get<bool>()),
                    clock_.NowMs(), p.tenant_id, id, p.user_id})
        .status();
  }));
  return Load(p, id);
}

Result<json> SavedViews::Remove(const Principal& p, const std::string& id) {
  LF_ASSIGN(json view, Load(p, id));
  if (!view["mine"].get<bool>())
    return Status::Error(ErrorKind::kPermissionDenied, "access.forbidden", "only its author removes a view",
                         "只有创建人可以删除视图");
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    return tx.Exec("DELETE FROM saved_views WHERE tenant_id = ? AND id = ? AND user_id = ?", {p.tenant_id, id, p.user_id})
        .status();
  }));
  return json{{"id", id}, {"removed", true}};
}

}  // namespace lf
