// Implements automation/alerts.h.
#include "automation/alerts.h"

#include "base/crypto.h"

namespace lf::automation {
namespace {

using json = nlohmann::json;

constexpr const char* kAlertColumns =
    "a.id, a.kind, a.severity, a.title, a.entity, a.record_id, a.rule_id, a.owner_id, a.supervisor_id, a.state, "
    "a.created_at, a.acknowledged_at, a.acknowledged_by, a.resolved_at, a.resolved_by";

json OptText(const Value& v) { return IsNull(v) ? json(nullptr) : json(AsText(v)); }
json OptTime(const Value& v, const TimeZone* z) { return IsNull(v) ? json(nullptr) : json(FormatRfc3339(AsInt(v), z)); }

json AlertJson(const Row& r, const TimeZone* z) {
  return {{"id", AsText(r[0])},          {"kind", AsText(r[1])},         {"severity", AsText(r[2])},
          {"title", AsText(r[3])},       {"entity", OptText(r[4])},      {"record_id", OptText(r[5])},
          {"rule_id", OptText(r[6])},    {"owner_id", OptText(r[7])},    {"supervisor_id", OptText(r[8])},
          {"state", AsText(r[9])},       {"created_at", FormatRfc3339(AsInt(r[10]), z)},
          {"acknowledged_at", OptTime(r[11], z)}, {"acknowledged_by", OptText(r[12])},
          {"resolved_at", OptTime(r[13], z)},     {"resolved_by", OptText(r[14])}};
}

Status AlertNotFound() {
  return Status::Error(ErrorKind::kNotFound, "alert.not_found", "alert not found", "预警不存在");
}

}  // namespace

Result<std::string> RaiseAlert(Tx& tx, EventLog& events, const NewAlert& a, int64_t now) {
  std::string id = UuidV7(now);
  auto opt = [](const std::string& s) { return s.empty() ? Value(nullptr) : Value(s); };
  LF_TRY(tx.Exec("INSERT INTO alerts (tenant_id, id, kind, severity, title, entity, record_id, rule_id, owner_id, "
                 "supervisor_id, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)",
                 {a.tenant_id, id, a.kind, a.severity, a.title, opt(a.entity), opt(a.record_id), opt(a.rule_id),
                  opt(a.owner_id), a.supervisor_id, now})
             .status());
  json data = {{"title", a.title}, {"entity", a.entity}, {"record_id", a.record_id}, {"alert_id", id},
               {"severity", a.severity}, {"kind", a.kind}};
  if (!a.caused_by.is_null()) data["caused_by"] = a.caused_by;
  LF_TRY(events.Append(tx, a.tenant_id, a.actor_id, "alert.raised", "users", a.supervisor_id, data).status());
  if (!a.owner_id.empty() && a.owner_id != a.supervisor_id)
    LF_TRY(events.Append(tx, a.tenant_id, a.actor_id, "alert.raised", "users", a.owner_id, data).status());
  return id;
}

Result<std::string> AlertService::VisibleSql(const Principal& p, std::vector<Value>* params) {
  if (p.permissions.count("*")) return std::string();
  std::string sql = " AND (a.owner_id = ? OR a.supervisor_id = ?";
  params->push_back(p.user_id);
  params->push_back(p.user_id);
  LF_ASSIGN(auto schema, records_.SchemaFor(p));
  for (const char* entity : {"leads", "customers", "contacts", "opportunities", "contracts"}) {
    const auto* e = schema->Find(entity);
    if (!e) continue;
    auto access = records_.AccessFor(p, *schema, *e, Action::kRead);
    if (!access.ok()) continue;  // no right on the entity at all
    sql += std::string(" OR (a.entity = '") + entity + "' AND a.record_id IN (SELECT id FROM " + entity +
           " WHERE tenant_id = ?" + access->AndSql() + "))";
    params->push_back(p.tenant_id);
    params->insert(params->end(), access->predicate.params.begin(), access->predicate.params.end());
  }
  return sql + ")";
}

Result<json> AlertService::List(const Principal& p, const std::string& state) {
  if (!state.empty() && state != "open" && state != "acknowledged" && state != "resolved")
    return Status::Error(ErrorKind::kValidation, "validation.not_an_option",
                         "state must be open, acknowledged or resolved", "state 必须是 open / acknowledged / resolved",
                         "state");
  std::vector<Value> params{p.tenant_id};
  std::string where = " WHERE a.tenant_id = ?";
  if (!state.empty()) {
    where += " AND a.state = ?";
    params.push_back(state);
  }
  LF_ASSIGN(std::string visible, VisibleSql(p, &params));
  json items = json::array();
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    return c.ForEach(std::string("SELECT ") + kAlertColumns + " FROM alerts a" + where + visible +
                         " ORDER BY a.created_at DESC, a.id DESC LIMIT 200",
                     params, [&](const std::vector<std::string>&, const Row& r) {
                       items.push_back(AlertJson(r, p.zone));
                       return true;
                     });
  }));
  return json{{"items", std::move(items)}};
}

Result<json> AlertService::Transition(const Principal& p, const std::string& id, bool resolve) {
  std::vector<Value> params{p.tenant_id, id};
  LF_ASSIGN(std::string visible, VisibleSql(p, &params));
  int64_t now = clock_.NowMs();
  std::optional<json> out;
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_ASSIGN(auto rows, tx.Query(std::string("SELECT ") + kAlertColumns +
                                      " FROM alerts a WHERE a.tenant_id = ? AND a.id = ?" + visible,
                                  params));
    if (rows.empty()) return AlertNotFound();
    std::string state = AsText(rows.rows[0][9]);
    if (state == "resolved" || (!resolve && state != "open"))
      return Status::Error(ErrorKind::kConflict, "alert.bad_state", "the alert is already " + state,
                           "预警已处于 " + state + " 状态");
    if (resolve)
      LF_TRY(tx.Exec("UPDATE alerts SET state = 'resolved', resolved_at = ?, resolved_by = ? WHERE tenant_id = ? AND id = ?",
                     {now, p.user_id, p.tenant_id, id})
                 .status());
    else
      LF_TRY(tx.Exec("UPDATE alerts SET state = 'acknowledged', acknowledged_at = ?, acknowledged_by = ? "
                     "WHERE tenant_id = ? AND id = ?",
                     {now, p.user_id, p.tenant_id, id})
                 .status());
    LF_TRY(events_.Append(tx, p.tenant_id, p.user_id, resolve ? "alert.resolved" : "alert.acknowledged", "alerts", id,
                          {{"from", state}})
               .status());
    LF_ASSIGN(auto after, tx.Query(std::string("SELECT ") + kAlertColumns + " FROM alerts a WHERE a.tenant_id = ? AND a.id = ?",
                                   {p.tenant_id, id}));
    out = AlertJson(after.rows[0], p.zone);
    return Status::Ok();
  }));
  return *out;
}

Result<json> AlertService::Acknowledge(const Principal& p, const std::string& id) { return Transition(p, id, false); }
Result<json> AlertService::Resolve(const Principal& p, const std::string& id) { return Transition(p, id, true); }

Result<json> AlertService::Notifications(const Principal& p, int limit) {
  if (limit < 1 || limit > 200)
    return Status::Error(ErrorKind::kInvalidArgument, "query.bad_limit", "limit must be 1–200", "limit 须为 1–200",
                         "limit");
  json items = json::array();
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    return c.ForEach("SELECT seq, at, data FROM events WHERE tenant_id = ? AND entity = 'users' AND entity_id = ? "
                     "AND type = 'notification.created' ORDER BY seq DESC LIMIT ?",
                     {p.tenant_id, p.user_id, int64_t(limit)}, [&](const std::vector<std::string>&, const Row& r) {
                       json data = json::parse(AsText(r[2]), nullptr, false);
                       json item = {{"seq", AsInt(r[0])}, {"at", FormatRfc3339(AsInt(r[1]), p.zone)}};
                       if (data.is_object())
                         for (const char* k : {"title", "text", "kind", "entity", "record_id", "caused_by"})
                           if (data.contains(k)) item[k] = data[k];
                       items.push_back(std::move(item));
                       return true;
                     });
  }));
  return json{{"items", std::move(items)}};
}

Result<json> AlertService::Today(const Principal& p) {
  int64_t now = clock_.NowMs();
  int64_t since = StartOfLocalDay(now, p.zone, 3);  // the last 3 calendar days in the tenant's zone
  json tasks = json::array(), hot = json::array();
  LF_ASSIGN(json alerts, List(p, "open"));
  json mine = json::array();
  for (auto& a : alerts["items"])
    if (a["owner_id"] == p.user_id || a["supervisor_id"] == p.user_id || p.permissions.count("*")) mine.push_back(a);
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_TRY(c.ForEach("SELECT id, title, due_at, lead_id, customer_id FROM tasks WHERE tenant_id = ? AND owner_id = ? "
                     "AND status = 'open' AND archived_at IS NULL AND due_at IS NOT NULL AND due_at <= ? "
                     "ORDER BY due_at, id LIMIT 50",
                     {p.tenant_id, p.user_id, now + 24 * 3600 * 1000LL},
                     [&](const std::vector<std::string>&, const Row& r) {
                       int64_t due = AsInt(r[2]);
                       tasks.push_back({{"id", AsText(r[0])}, {"title", AsText(r[1])},
                                        {"due_at", FormatRfc3339(due, p.zone)}, {"overdue", due < now},
                                        {"minutes_left", (due - now) / 60000},
                                        {"lead_id", OptText(r[3])}, {"customer_id", OptText(r[4])}});
                       return true;
                     }));
    return c.ForEach("SELECT l.id, l.name, l.color, COUNT(*) FROM activities a JOIN leads l ON l.tenant_id = a.tenant_id "
                     "AND l.id = a.lead_id WHERE a.tenant_id = ? AND a.occurred_at >= ? AND a.occurred_at <= ? "
                     "AND a.archived_at IS NULL AND l.owner_id = ? AND l.archived_at IS NULL "
                     "GROUP BY l.id, l.name, l.color HAVING COUNT(*) >= 2 ORDER BY COUNT(*) DESC, l.id LIMIT 50",
                     {p.tenant_id, since, now, p.user_id}, [&](const std::vector<std::string>&, const Row& r) {
                       hot.push_back({{"id", AsText(r[0])}, {"name", AsText(r[1])}, {"color", OptText(r[2])},
                                      {"activities", AsInt(r[3])}});
                       return true;
                     });
  }));
  return json{{"tasks", std::move(tasks)}, {"hot_leads", std::move(hot)}, {"alerts", std::move(mine)}};
}

}  // namespace lf::automation
