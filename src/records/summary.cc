// Implements RecordService::Summary (records/record_service.h): counts and averages for dashboards,
// under the same filters and access predicate as lists.
#include "records/list_query.h"
#include "records/record_service.h"

namespace lf {
namespace {

using json = nlohmann::json;

Status BadParam(const std::string& param, const std::string& en, const std::string& zh) {
  return Status::Error(ErrorKind::kValidation, "summary.bad_field", en, zh, param);
}

}  // namespace

Result<json> RecordService::Summary(const Principal& p, const std::string& entity, const QueryParams& query) {
  LF_ASSIGN(auto schema, SchemaFor(p));
  const auto* e = schema->Find(entity);
  if (!e)
    return Status::Error(ErrorKind::kNotFound, "schema.unknown_entity", "no entity '" + entity + "'",
                         "没有实体 '" + entity + "'");
  LF_ASSIGN(RowAccess access, AccessFor(p, *schema, *e, Action::kRead));
  std::string group_by, avg;
  QueryParams filters;
  for (const auto& kv : query) {
    if (kv.first == "group_by") group_by = kv.second;
    else if (kv.first == "avg") avg = kv.second;
    else if (kv.first != "limit" && kv.first != "cursor" && kv.first != "sort" && kv.first != "with_total")
      filters.push_back(kv);
  }
  auto field = [&](const std::string& name, const char* param) -> Result<const FieldDef*> {
    const FieldDef* f = e->Find(name);
    if (!f) return BadParam(param, "no field '" + name + "' on " + entity, entity + " 没有字段 '" + name + "'");
    if (access.hidden.count(name))
      return Status::Error(ErrorKind::kPermissionDenied, "access.masked_field",
                           "'" + name + "' is masked for you", "字段 '" + name + "' 对你是脱敏的", param);
    return f;
  };
  const FieldDef* g = nullptr;
  const FieldDef* a = nullptr;
  if (!group_by.empty()) {
    LF_ASSIGN(g, field(group_by, "group_by"));
    static const std::set<FieldType> kGroupable = {FieldType::kEnum, FieldType::kUser, FieldType::kBool,
                                                   FieldType::kText, FieldType::kReference, FieldType::kDate};
    if (!kGroupable.count(g->type))
      return BadParam("group_by", "group_by needs an enum, user, bool, text, reference or date field",
                      "group_by 只能是枚举、用户、布尔、文本、关联或日期字段");
  }
  if (!avg.empty()) {
    LF_ASSIGN(a, field(avg, "avg"));
    if (a->type != FieldType::kNumber && a->type != FieldType::kMoney)
      return BadParam("avg", "avg needs a number or money field", "avg 只能是数字或金额字段");
  }
  LF_ASSIGN(ListPlan plan, PlanList(*e, db_.dialect(), p.tenant_id, filters, access, clock_.NowMs()));
  const Dialect& d = db_.dialect();
  // A waiting lead's 响应时效 counts as its age so far: an average without them would flatter.
  std::string avg_sql = a ? "AVG(" + ValueSqlExpr(*a, d, plan.now) + ")" : "NULL";
  json out = {{"total", 0}, {"avg", nullptr}};
  std::map<std::string, std::string> user_names;
  json groups = json::array();
  auto number = [](const Value& v) { return IsNull(v) ? json(nullptr) : json(AsDouble(v)); };
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto t, c.Query("SELECT COUNT(*), " + avg_sql + " FROM " + e->def->name + " WHERE " + plan.where,
                              plan.params));
    out["total"] = AsInt(t.rows[0][0]);
    out["avg"] = number(t.rows[0][1]);
    if (!g) return Status::Ok();
    std::string expr = FieldSqlExpr(*g, d);
    LF_ASSIGN(auto rows, c.Query("SELECT " + expr + ", COUNT(*), " + avg_sql + " FROM " + e->def->name + " WHERE " +
                                     plan.where + " GROUP BY " + expr + " ORDER BY COUNT(*) DESC, " + expr + " LIMIT 100",
                                 plan.params));
    if (g->type == FieldType::kUser) {
      LF_ASSIGN(auto users, c.Query("SELECT id, name FROM users WHERE tenant_id = ?", {p.tenant_id}));
      for (const auto& u : users.rows) user_names[AsText(u[0])] = AsText(u[1]);
    }
    for (const auto& r : rows.rows) {
      json value = IsNull(r[0]) ? json(nullptr)
                   : g->type == FieldType::kBool ? json(AsInt(r[0]) != 0)
                                                 : json(AsText(r[0]));
      json label = value, label_en = value;
      if (value.is_string() && g->type == FieldType::kEnum) {
        for (const auto& o : g->options)
          if (o.value == value.get<std::string>()) label = o.label_zh, label_en = o.label_en;
      } else if (value.is_string() && g->type == FieldType::kUser && user_names.count(value.get<std::string>())) {
        label = label_en = user_names[value.get<std::string>()];
      }
      groups.push_back({{"value", value}, {"label", label}, {"label_en", label_en}, {"count", AsInt(r[1])},
                        {"avg", number(r[2])}});
    }
    return Status::Ok();
  }));
  if (g) out["groups"] = std::move(groups);
  return out;
}

}  // namespace lf
