// Implements leads/cleaning.h.
#include "leads/cleaning.h"

#include "base/crypto.h"
#include "records/list_query.h"

namespace lf {
namespace {

using json = nlohmann::json;

constexpr const char* kPermission = "leads.clean";
constexpr int kMaxDays = 3650;

Status Forbidden() {
  return Status::Error(ErrorKind::kPermissionDenied, "access.forbidden",
                       "lead cleaning needs the permission 'leads.clean'",
                       "线索清洗需要 'leads.clean' 权限");
}

json RunJson(const Row& r, const TimeZone* zone) {
  return {{"id", AsText(r[0])},
          {"criteria", json::parse(AsText(r[1]), nullptr, false)},
          {"cutoff", FormatRfc3339(AsInt(r[2]), zone)},
          {"archived", AsInt(r[3])},
          {"created_at", FormatRfc3339(AsInt(r[4]), zone)},
          {"created_by", AsText(r[5])},
          {"undone_at", IsNull(r[6]) ? json(nullptr) : json(FormatRfc3339(AsInt(r[6]), zone))},
          {"restored", IsNull(r[7]) ? json(nullptr) : json(AsInt(r[7]))}};
}

constexpr const char* kRunColumns =
    "id, criteria, cutoff, archived, created_at, created_by, undone_at, restored";

Result<json> LoadRun(Connection& c, const Principal& p, const std::string& run_id) {
  LF_ASSIGN(auto row, c.Query(std::string("SELECT ") + kRunColumns +
                                  " FROM cleaning_runs WHERE tenant_id = ? AND id = ?",
                              {p.tenant_id, run_id}));
  if (row.empty())
    return Status::Error(ErrorKind::kNotFound, "record.not_found", "cleaning run not found", "清洗记录不存在");
  return RunJson(row.rows[0], p.zone);
}

}  // namespace

Result<LeadCleaning::Criteria> LeadCleaning::Parse(const Principal& p, const json& body,
                                                   bool allow_expected) {
  if (!p.Can(kPermission)) return Forbidden();
  if (!body.is_object())
    return Status::Error(ErrorKind::kInvalidArgument, "request.body_not_object",
                         "request body must be a JSON object", "请求体必须是 JSON 对象");
  for (auto it = body.begin(); it != body.end(); ++it)
    if (it.key() != "older_than_days" && it.key() != "filters" &&
        !(allow_expected && it.key() == "expected_count"))
      return Status::Error(ErrorKind::kValidation, "validation.unknown_field",
                           "unknown field '" + it.key() + "'", "未知字段 '" + it.key() + "'", it.key());
  Criteria c;
  auto days = body.find("older_than_days");
  if (days == body.end() || !days->is_number_integer() || days->get<int64_t>() < 1 ||
      days->get<int64_t>() > kMaxDays)
    return Status::Error(ErrorKind::kValidation, "validation.out_of_range",
                         "older_than_days must be an integer from 1 to 3650",
                         "older_than_days 须为 1–3650 的整数(自然日)", "older_than_days");
  c.days = int(days->get<int64_t>());
  // Calendar days in the tenant's zone: the cutoff is the start of the local day N days ago.
  c.cutoff = StartOfLocalDay(clock_.NowMs(), p.zone, c.days);
  c.filters = body.value("filters", json::object());
  if (!c.filters.is_object())
    return Status::Error(ErrorKind::kValidation, "validation.wrong_type",
                         "filters must be an object of list filters", "filters 必须是筛选条件对象",
                         "filters");
  QueryParams query;
  for (auto it = c.filters.begin(); it != c.filters.end(); ++it) {
    if (!it->is_string() && !it->is_number() && !it->is_boolean())
      return Status::Error(ErrorKind::kValidation, "validation.wrong_type",
                           "filter values are strings, numbers or booleans",
                           "筛选值须为字符串、数字或布尔值", "filters");
    std::string key = it.key();
    if (key == "sort" || key == "limit" || key == "cursor" || key == "include_archived" ||
        key == "with_total")
      return Status::Error(ErrorKind::kValidation, "validation.unknown_field",
                           "'" + key + "' is not a filter", "'" + key + "' 不是筛选条件", "filters");
    query.emplace_back(key, it->is_string() ? it->get<std::string>() : it->dump());
  }
  LF_ASSIGN(auto schema, records_.SchemaFor(p));
  const TenantSchema::Entity& leads = *schema->Find("leads");
  LF_ASSIGN(RowAccess access, records_.AccessFor(p, *schema, leads, Action::kArchive));
  LF_ASSIGN(ListPlan plan, PlanList(leads, db_.dialect(), p.tenant_id, query, access, clock_.NowMs()));
  c.where = plan.where + " AND created_at < ?";
  c.params = plan.params;
  c.params.push_back(c.cutoff);
  return c;
}

Result<json> LeadCleaning::Preview(const Principal& p, const json& body) {
  LF_ASSIGN(Criteria c, Parse(p, body, false));
  json out = {{"older_than_days", c.days},
              {"cutoff", FormatRfc3339(c.cutoff, p.zone)},
              {"time_zone", p.time_zone}};
  LF_TRY(db_.Read([&](Connection& conn) -> Status {
    LF_ASSIGN(auto n, conn.Query("SELECT COUNT(*) FROM leads WHERE " + c.where, c.params));
    out["count"] = AsInt(n.rows[0][0]);
    LF_ASSIGN(auto rows, conn.Query("SELECT id, name, channel, created_at FROM leads WHERE " + c.where +
                                        " ORDER BY created_at DESC, id DESC LIMIT 10",
                                    c.params));
    json sample = json::array();
    for (auto& r : rows.rows)
      sample.push_back({{"id", AsText(r[0])},
                        {"name", AsText(r[1])},
                        {"channel", IsNull(r[2]) ? json(nullptr) : json(AsText(r[2]))},
                        {"created_at", FormatRfc3339(AsInt(r[3]), p.zone)}});
    out["sample"] = std::move(sample);
    return Status::Ok();
  }));
  return out;
}

Result<json> LeadCleaning::Run(const Principal& p, const json& body) {
  LF_ASSIGN(Criteria c, Parse(p, body, true));
  std::optional<int64_t> expected;
  if (body.contains("expected_count")) {
    if (!body["expected_count"].is_number_integer())
      return Status::Error(ErrorKind::kValidation, "validation.wrong_type",
                           "expected_count must be an integer", "expected_count 必须是整数",
                           "expected_count");
    expected = body["expected_count"].get<int64_t>();
  }
  int64_t now = clock_.NowMs();
  std::string run_id = UuidV7(now);
  json criteria = {{"older_than_days", c.days}, {"filters", c.filters}, {"time_zone", p.time_zone}};
  const std::string reason = "线索清洗 lead cleaning " + run_id;
  json run;
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    std::vector<Value> params{now, reason, now, p.user_id};
    params.insert(params.end(), c.params.begin(), c.params.end());
    LF_ASSIGN(auto ids, tx.Query("UPDATE leads SET archived_at = ?, archive_reason = ?, version = "
                                 "version + 1, updated_at = ?, updated_by = ? WHERE " + c.where +
                                     " RETURNING id",
                                 params));
    int64_t n = int64_t(ids.rows.size());
    if (expected && *expected != n)
      return Status::Error(ErrorKind::kConflict, "cleaning.count_changed",
                           "the preview counted " + std::to_string(*expected) + " leads, now " +
                               std::to_string(n) + "; preview again",
                           "预览时为 " + std::to_string(*expected) + " 条,现在为 " +
                               std::to_string(n) + " 条,请重新预览");
    for (auto& r : ids.rows) {
      std::string id = AsText(r[0]);
      LF_TRY(tx.Exec("INSERT INTO cleaning_run_items (tenant_id, run_id, lead_id) VALUES (?, ?, ?)",
                     {p.tenant_id, run_id, id})
                 .status());
      LF_TRY(events_
                 .Append(tx, p.tenant_id, p.user_id, "lead.archived", "leads", id,
                         {{"reason", reason},
                          {"run_id", run_id},
                          {"changes", json::array({{{"field", "archived_at"}, {"old", nullptr}, {"new", now}}})}})
                 .status());
    }
    LF_TRY(tx.Exec("INSERT INTO cleaning_runs (tenant_id, id, criteria, cutoff, archived, created_at, "
                   "created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   {p.tenant_id, run_id, criteria.dump(), c.cutoff, n, now, p.user_id})
               .status());
    LF_TRY(events_
               .Append(tx, p.tenant_id, p.user_id, "lead_cleaning.run", "cleaning_runs", run_id,
                       {{"criteria", criteria}, {"cutoff", c.cutoff}, {"archived", n}})
               .status());
    LF_ASSIGN(run, LoadRun(tx.conn(), p, run_id));
    return Status::Ok();
  }));
  return run;
}

Result<json> LeadCleaning::Undo(const Principal& p, const std::string& run_id) {
  if (!p.Can(kPermission)) return Forbidden();
  int64_t now = clock_.NowMs();
  const std::string reason = "线索清洗 lead cleaning " + run_id;
  json run;
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_ASSIGN(auto found, tx.Query("SELECT undone_at, created_at FROM cleaning_runs WHERE tenant_id = ? "
                                   "AND id = ?",
                                   {p.tenant_id, run_id}));
    if (found.empty())
      return Status::Error(ErrorKind::kNotFound, "record.not_found", "cleaning run not found",
                           "清洗记录不存在");
    if (!IsNull(found.rows[0][0]))
      return Status::Error(ErrorKind::kConflict, "cleaning.already_undone", "this run was already undone",
                           "该次清洗已撤销");
    // Only leads still archived by this run come back (one archived again since stays archived).
    LF_ASSIGN(auto ids, tx.Query("UPDATE leads SET archived_at = NULL, archive_reason = NULL, version = "
                                 "version + 1, updated_at = ?, updated_by = ? WHERE tenant_id = ? AND "
                                 "archive_reason = ? AND id IN (SELECT lead_id FROM cleaning_run_items "
                                 "WHERE tenant_id = ? AND run_id = ?) RETURNING id",
                                 {now, p.user_id, p.tenant_id, reason, p.tenant_id, run_id}));
    for (auto& r : ids.rows)
      LF_TRY(events_
                 .Append(tx, p.tenant_id, p.user_id, "lead.unarchived", "leads", AsText(r[0]),
                         {{"run_id", run_id},
                          {"changes", json::array({{{"field", "archived_at"}, {"old", AsInt(found.rows[0][1])}, {"new", nullptr}}})}})
                 .status());
    LF_TRY(tx.Exec("UPDATE cleaning_runs SET undone_at = ?, undone_by = ?, restored = ? WHERE "
                   "tenant_id = ? AND id = ?",
                   {now, p.user_id, int64_t(ids.rows.size()), p.tenant_id, run_id})
               .status());
    LF_TRY(events_
               .Append(tx, p.tenant_id, p.user_id, "lead_cleaning.undone", "cleaning_runs", run_id,
                       {{"restored", ids.rows.size()}})
               .status());
    LF_ASSIGN(run, LoadRun(tx.conn(), p, run_id));
    return Status::Ok();
  }));
  return run;
}

Result<json> LeadCleaning::ListRuns(const Principal& p) {
  if (!p.Can(kPermission)) return Forbidden();
  json items = json::array();
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query(std::string("SELECT ") + kRunColumns +
                                     " FROM cleaning_runs WHERE tenant_id = ? ORDER BY created_at DESC "
                                     "LIMIT 100",
                                 {p.tenant_id}));
    for (auto& r : rows.rows) items.push_back(RunJson(r, p.zone));
    return Status::Ok();
  }));
  return json{{"items", std::move(items)}};
}

}  // namespace lf
