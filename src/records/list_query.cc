// Implements records/list_query.h.
#include "records/list_query.h"

#include <charconv>

#include "base/strings.h"
#include "records/codec.h"

namespace lf {
namespace {

using json = nlohmann::json;

Status BadQuery(const std::string& code, const std::string& en, const std::string& zh,
                const std::string& field = {}) {
  return Status::Error(ErrorKind::kInvalidArgument, code, en, zh, field);
}

std::string EscapeLike(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

int RowIndex(const TenantSchema::Entity& e, const FieldDef& f) {
  for (size_t i = 0; i < e.def->fields.size(); ++i)
    if (e.def->fields[i].name == f.name) return int(i);
  return -1;
}

constexpr double kHourMs = 3600.0 * 1000.0;

}  // namespace

std::string ValueSqlExpr(const FieldDef& f, const Dialect& d, int64_t now) {
  if (f.pending_since.empty()) return FieldSqlExpr(f, d);
  return "COALESCE(" + FieldSqlExpr(f, d) + ", (" + std::to_string(now) + " - " + f.pending_since + ") / " +
         std::to_string(int64_t(kHourMs)) + ".0)";
}

Result<ListPlan> PlanList(const TenantSchema::Entity& e, const Dialect& d,
                          const std::string& tenant_id, const QueryParams& query,
                          const RowAccess& access, int64_t now) {
  ListPlan plan;
  plan.now = now;
  // A later page reads pending values at the first page's instant (the cursor's "t").
  for (const auto& [key, value] : query)
    if (key == "cursor") {
      std::string raw;
      json c;
      if (Base64UrlDecode(value, &raw)) c = json::parse(raw, nullptr, false);
      if (c.is_object() && c.contains("t") && c["t"].is_number_integer()) plan.now = c["t"].get<int64_t>();
    }
  plan.where = "tenant_id = ?" + access.AndSql();
  plan.params.push_back(tenant_id);
  plan.params.insert(plan.params.end(), access.predicate.params.begin(), access.predicate.params.end());
  auto hidden = [&](const std::string& field) -> Status {
    if (!access.hidden.count(field)) return Status::Ok();
    return Status::Error(ErrorKind::kPermissionDenied, "access.masked_field",
                         "'" + field + "' is masked for you: it cannot be filtered or sorted on",
                         "字段 '" + field + "' 对您脱敏显示,不能用于筛选或排序", field);
  };
  bool include_archived = false;
  std::string sort = "-created_at", cursor;
  for (const auto& [key, value] : query) {
    if (key == "sort") { sort = value; continue; }
    if (key == "cursor") { cursor = value; continue; }
    if (key == "limit") {
      int n = 0;
      auto r = std::from_chars(value.data(), value.data() + value.size(), n);
      if (r.ec != std::errc() || r.ptr != value.data() + value.size() || n < 1 || n > 200)
        return BadQuery("query.bad_limit", "limit must be an integer from 1 to 200",
                        "limit 须为 1–200 的整数", "limit");
      plan.limit = n;
      continue;
    }
    if (key == "include_archived" || key == "with_total") {
      if (value != "true" && value != "false")
        return BadQuery("query.bad_flag", key + " must be true or false", key + " 须为 true 或 false",
                        key);
      (key == "with_total" ? plan.with_total : include_archived) = value == "true";
      continue;
    }
    if (key == "q") {
      if (value.empty()) continue;
      if (Utf8Length(value) > 100)
        return BadQuery("query.too_long", "search text is longer than 100 characters",
                        "搜索词超过 100 字", "q");
      std::string cond;
      for (const auto& name : e.def->search_fields) {
        if (access.hidden.count(name)) continue;
        cond += cond.empty() ? "" : " OR ";
        cond += name + " " + d.ILike() + " ? ESCAPE '\\'";
        plan.params.push_back("%" + EscapeLike(value) + "%");
      }
      if (!cond.empty()) plan.where += " AND (" + cond + ")";
      continue;
    }
    // field or field[op]
    std::string name = key, op = "eq";
    if (auto lb = key.find('['); lb != std::string::npos) {
      if (key.back() != ']')
        return BadQuery("query.bad_operator", "malformed filter '" + key + "'",
                        "筛选条件格式错误 '" + key + "'", key);
      name = key.substr(0, lb);
      op = key.substr(lb + 1, key.size() - lb - 2);
    }
    const FieldDef* f = e.Find(name);
    if (!f)
      return BadQuery("query.unknown_field", "cannot filter on unknown field '" + name + "'",
                      "无法按未知字段 '" + name + "' 筛选", name);
    LF_TRY(hidden(f->name));
    bool is_list = f->type == FieldType::kMultiEnum || f->type == FieldType::kTags;
    if (op == "null") {  // the stored value: a pending field is null while it waits
      if (value != "true" && value != "false")
        return BadQuery("query.bad_flag", key + " must be true or false", key + " 须为 true 或 false", key);
      plan.where += " AND " + FieldSqlExpr(*f, d) + (value == "true" ? " IS NULL" : " IS NOT NULL");
      continue;
    }
    std::string expr = ValueSqlExpr(*f, d, plan.now);
    if (is_list) {
      if (op != "eq" && op != "ne" && op != "in")
        return BadQuery("query.bad_operator", "operator '" + op + "' does not apply to list field '" + name + "'",
                        "列表字段 '" + name + "' 不支持运算符 '" + op + "'", name);
      std::string col = f->builtin ? f->name : FieldSqlExpr(*f, d);
      std::string any;
      for (const auto& v : op == "in" ? Split(value, ',') : std::vector<std::string>{value}) {
        LF_ASSIGN(Value bound, DecodeFilterValue(*f, v));
        any += any.empty() ? "" : " OR ";
        any += d.JsonArrayContains(col);
        plan.params.push_back(std::move(bound));
      }
      plan.where += (op == "ne" ? " AND NOT COALESCE((" : " AND ((") + any + (op == "ne" ? "), FALSE)" : "))");
      continue;
    }
    static const std::map<std::string, std::string> kOps = {
        {"eq", "="}, {"ne", "<>"}, {"gt", ">"}, {"gte", ">="}, {"lt", "<"}, {"lte", "<="}};
    if (op == "in") {
      auto parts = Split(value, ',');
      if (parts.size() > 100)
        return BadQuery("query.too_many_values", "at most 100 values in [in]", "[in] 最多 100 个值", name);
      std::string marks;
      for (const auto& v : parts) {
        LF_ASSIGN(Value bound, DecodeFilterValue(*f, v));
        marks += marks.empty() ? "?" : ", ?";
        plan.params.push_back(std::move(bound));
      }
      plan.where += " AND " + expr + " IN (" + marks + ")";
    } else if (op == "contains") {
      plan.where += " AND " + expr + " " + d.ILike() + " ? ESCAPE '\\'";
      plan.params.push_back("%" + EscapeLike(value) + "%");
    } else if (auto it = kOps.find(op); it != kOps.end()) {
      LF_ASSIGN(Value bound, DecodeFilterValue(*f, value));
      plan.where += " AND " + expr + " " + it->second + " ?";
      plan.params.push_back(std::move(bound));
    } else {
      return BadQuery("query.bad_operator", "unknown operator '" + op + "'",
                      "未知运算符 '" + op + "'", name);
    }
  }
  if (!include_archived) plan.where += " AND archived_at IS NULL";
  // The same conditions without the access predicate (it sits right after tenant_id).
  plan.base_where = "tenant_id = ?" + plan.where.substr(("tenant_id = ?" + access.AndSql()).size());
  plan.base_params = {plan.params.front()};
  plan.base_params.insert(plan.base_params.end(), plan.params.begin() + 1 + access.predicate.params.size(),
                          plan.params.end());

  // Sort and keyset cursor.
  plan.descending = !sort.empty() && sort[0] == '-';
  std::string sort_name = plan.descending ? sort.substr(1) : sort;
  plan.sort_field = e.Find(sort_name);
  if (!plan.sort_field || !plan.sort_field->sortable())
    return BadQuery("query.bad_sort", "cannot sort by '" + sort_name + "'",
                    "无法按 '" + sort_name + "' 排序", "sort");
  LF_TRY(hidden(plan.sort_field->name));
  plan.sort_spec = sort;
  std::string expr = ValueSqlExpr(*plan.sort_field, d, plan.now);
  const char* dir = plan.descending ? "DESC" : "ASC";
  const char* cmp = plan.descending ? "<" : ">";
  // Columns that are never NULL sort without a NULLS clause, so both engines can walk an index.
  const bool never_null = plan.sort_field->builtin && plan.sort_field->system &&
                          plan.sort_field->name != "archived_at" &&
                          plan.sort_field->name != "archive_reason";
  plan.order_by = expr + " " + dir + (never_null ? "" : " NULLS LAST") + ", id " + dir;
  if (!cursor.empty()) {
    std::string raw;
    json c;
    if (Base64UrlDecode(cursor, &raw)) c = json::parse(raw, nullptr, false);
    if (!c.is_object() || c.value("s", "") != sort || !c.contains("id") || !c["id"].is_string() ||
        !c.contains("v"))
      return BadQuery("query.bad_cursor", "the cursor is invalid or belongs to another sort order",
                      "分页游标无效或与排序方式不匹配", "cursor");
    std::string id = c["id"].get<std::string>();
    const json& v = c["v"];
    if (!v.is_null() && !v.is_string() && !v.is_number())
      return BadQuery("query.bad_cursor", "the cursor is invalid", "分页游标无效", "cursor");
    if (v.is_null()) {
      plan.page_where = std::string(" AND (") + expr + " IS NULL AND id " + cmp + " ?)";
      plan.page_params = {id};
    } else {
      Value bound = v.is_string() ? Value(v.get<std::string>())
                    : v.is_number_integer() ? Value(v.get<int64_t>())
                                            : Value(v.get<double>());
      if (never_null) {
        plan.page_where = std::string(" AND (") + expr + " " + cmp + " ? OR (" + expr +
                          " = ? AND id " + cmp + " ?))";
      } else {
        plan.page_where = std::string(" AND (") + expr + " " + cmp + " ? OR (" + expr +
                          " = ? AND id " + cmp + " ?) OR " + expr + " IS NULL)";
      }
      plan.page_params = {bound, bound, id};
    }
  }
  return plan;
}

std::string EncodeCursor(const ListPlan& plan, const TenantSchema::Entity& e, const Row& last_row) {
  json v = nullptr;
  const FieldDef& f = *plan.sort_field;
  if (f.builtin) {
    const Value& cell = last_row[RowIndex(e, f)];
    if (auto* i = std::get_if<int64_t>(&cell)) v = *i;
    else if (auto* dd = std::get_if<double>(&cell)) v = *dd;
    else if (auto* s = std::get_if<std::string>(&cell)) v = *s;
    if (v.is_null() && !f.pending_since.empty())  // as ValueSqlExpr reads it
      if (const FieldDef* since = e.Find(f.pending_since))
        if (auto* at = std::get_if<int64_t>(&last_row[RowIndex(e, *since)]))
          v = double(plan.now - *at) / kHourMs;
  } else {
    auto custom = json::parse(AsText(last_row[e.def->fields.size()]), nullptr, false);
    if (custom.is_object() && custom.contains(f.name)) v = custom[f.name];
  }
  json c = {{"s", plan.sort_spec}, {"v", v}, {"id", AsText(last_row[0])}, {"t", plan.now}};
  return Base64UrlEncode(c.dump());
}

}  // namespace lf
