// Implements records/export.h.
#include "records/export.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <fstream>
#include <regex>

#include "base/crypto.h"
#include "records/codec.h"
#include "records/list_query.h"

namespace lf {
namespace {

using json = nlohmann::json;

std::string CsvEscape(const std::string& cell) {
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Money(int64_t fen) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", fen < 0 ? "-" : "", static_cast<long long>(std::llabs(fen) / 100),
                static_cast<long long>(std::llabs(fen) % 100));
  return buf;
}

}  // namespace

std::string NeutraliseCell(const std::string& cell) {
  if (cell.empty() || !(cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                        cell[0] == '\t' || cell[0] == '\r'))
    return cell;
  // A plain signed number (an E.164 phone "+8613800138000", a refund "-12.50") is no formula:
  // prefixing it would only show users an apostrophe on every phone.
  static const std::regex kNumber(R"([+-][0-9]+(\.[0-9]+)?)");
  if (std::regex_match(cell, kNumber)) return cell;
  return "'" + cell;
}

Result<ExportFile> RecordExporter::Export(const Principal& p, const std::string& entity,
                                          const QueryParams& query, const std::string& format,
                                          bool english) {
  if (format != "csv" && format != "xlsx")
    return Status::Error(ErrorKind::kInvalidArgument, "export.bad_format", "format is csv or xlsx",
                         "导出格式须为 csv 或 xlsx", "format");
  LF_ASSIGN(auto schema, records_.SchemaFor(p));
  const auto* e = schema->Find(entity);
  if (!e)
    return Status::Error(ErrorKind::kNotFound, "schema.unknown_entity", "no entity '" + entity + "'",
                         "没有实体 '" + entity + "'");
  QueryParams filters;
  for (const auto& kv : query)
    if (kv.first != "format" && kv.first != "limit" && kv.first != "cursor" && kv.first != "with_total")
      filters.push_back(kv);
  LF_ASSIGN(RowAccess access, records_.AccessFor(p, *schema, *e, Action::kExport));
  LF_ASSIGN(ListPlan plan, PlanList(*e, db_.dialect(), p.tenant_id, filters, access, clock_.NowMs()));
  std::set<std::string> revealed;
  std::vector<std::string> revealed_ids;

  // Columns: every field but the bookkeeping ones, in schema order.
  std::vector<const FieldDef*> cols;
  for (const auto& f : e->fields)
    if (f.name != "updated_by" && f.name != "version" && f.name != "archive_reason") cols.push_back(&f);
  std::vector<std::string> header;
  for (const auto* f : cols) {
    std::string label = english ? f->label_en : f->label_zh;
    if (f->type == FieldType::kDateTime) label += " (" + p.time_zone + ")";
    if (f->type == FieldType::kMoney) label += english ? " (CNY)" : "(元)";
    header.push_back(label);
  }
  std::vector<std::vector<std::string>> rows;
  std::map<std::string, std::string> user_names;
  int64_t total = 0;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto n, c.Query("SELECT COUNT(*) FROM " + e->def->name + " WHERE " + plan.where, plan.params));
    total = AsInt(n.rows[0][0]);
    if (total > kMaxRows)
      return Status::Error(ErrorKind::kTooLarge, "export.too_many_rows",
                           std::to_string(total) + " records match; narrow the filters to at most " +
                               std::to_string(kMaxRows),
                           "符合条件的记录有 " + std::to_string(total) + " 条,请缩小筛选范围(最多 " +
                               std::to_string(kMaxRows) + " 条)");
    LF_ASSIGN(auto users, c.Query("SELECT id, name FROM users WHERE tenant_id = ?", {p.tenant_id}));
    for (auto& u : users.rows) user_names[AsText(u[0])] = AsText(u[1]);
    std::string select;
    for (const auto& f : e->def->fields) select += f.name + ", ";
    return c.ForEach("SELECT " + select + "custom FROM " + e->def->name + " WHERE " + plan.where +
                         " ORDER BY " + plan.order_by,
                     plan.params, [&](const std::vector<std::string>&, const Row& r) {
                       json custom = json::parse(AsText(r[e->def->fields.size()]), nullptr, false);
                       std::set<std::string> masked =
                           access.policy->MaskedFields(e->def->name, AsText(r[0]), access.now);
                       json stored = custom.is_object() ? custom : json::object();
                       for (size_t i = 0; i < e->def->fields.size(); ++i)
                         stored[e->def->fields[i].name] = ColumnToStored(e->def->fields[i], r[i]);
                       // Derived read-time figures (a waiting lead's 响应时效 so far) as the API shows them.
                       json derived = json::object();
                       records_.ApplyRenderHooks(*e, stored, p, derived);
                       std::vector<std::string> out;
                       for (const auto* f : cols) {
                         json v = stored.value(f->name, json(nullptr));
                         if (f->type == FieldType::kNumber && derived.contains(f->name) && derived[f->name].is_number())
                           v = derived[f->name];
                         std::string cell;
                         if (access.policy->Sensitive(e->def->name).count(f->name) && !v.is_null()) {
                           if (masked.count(f->name)) {
                             json m = MaskValue(*f, StoredToApi(*f, v, p.zone));
                             v = nullptr;
                             if (m.is_string()) cell = m.get<std::string>();
                           } else {
                             revealed.insert(f->name);
                             if (revealed_ids.empty() || revealed_ids.back() != AsText(r[0]))
                               revealed_ids.push_back(AsText(r[0]));
                           }
                         }
                         if (v.is_null()) {
                         } else if (f->type == FieldType::kDateTime && v.is_number()) {
                           std::string t = FormatRfc3339(v.get<int64_t>(), p.zone);
                           cell = t.substr(0, 10) + " " + t.substr(11, 8);
                         } else if (f->type == FieldType::kMoney && v.is_number()) {
                           cell = Money(v.get<int64_t>());
                         } else if (f->type == FieldType::kBool) {
                           cell = v.get<int64_t>() ? (english ? "yes" : "是") : (english ? "no" : "否");
                         } else if (f->type == FieldType::kUser && v.is_string()) {
                           auto it = user_names.find(v.get<std::string>());
                           cell = it == user_names.end() ? v.get<std::string>() : it->second;
                         } else if ((f->type == FieldType::kEnum || f->type == FieldType::kMultiEnum) ) {
                           auto label = [&](const std::string& code) {
                             for (const auto& o : f->options)
                               if (o.value == code) return english ? o.label_en : o.label_zh;
                             return code;
                           };
                           if (v.is_array()) {
                             for (const auto& x : v) cell += (cell.empty() ? "" : ", ") + label(x.get<std::string>());
                           } else {
                             cell = label(v.get<std::string>());
                           }
                         } else if (v.is_array()) {
                           for (const auto& x : v) cell += (cell.empty() ? "" : ", ") + (x.is_string() ? x.get<std::string>() : x.dump());
                         } else if (v.is_string()) {
                           cell = v.get<std::string>();
                         } else {
                           cell = v.dump();
                         }
                         out.push_back(NeutraliseCell(cell));
                       }
                       rows.push_back(std::move(out));
                       return true;
                     });
  }));

  LF_TRY(records_.LogRevealed(p, access, e->def->name, revealed_ids, revealed));
  ExportFile file;
  file.rows = int64_t(rows.size());
  std::string stamp = LocalDate(clock_.NowMs(), p.zone);
  file.filename = (english ? e->def->name : e->def->label_zh) + "-" + stamp + "." + format;
  if (format == "csv") {
    file.content_type = "text/csv; charset=utf-8";
    file.body = "\xEF\xBB\xBF";  // BOM: Excel opens UTF-8 Chinese correctly
    auto line = [&](const std::vector<std::string>& cells) {
      for (size_t i = 0; i < cells.size(); ++i) file.body += (i ? "," : "") + CsvEscape(cells[i]);
      file.body += "\r\n";
    };
    line(header);
    for (const auto& r : rows) line(r);
  } else {
    file.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    char path[] = "/tmp/lf-export-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return Status::Internal("cannot create a temporary file for the export");
    close(fd);
    lxw_workbook* wb = workbook_new(path);
    lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
    lxw_format* bold = workbook_add_format(wb);
    format_set_bold(bold);
    for (size_t c = 0; c < header.size(); ++c) worksheet_write_string(ws, 0, lxw_col_t(c), header[c].c_str(), bold);
    for (size_t r = 0; r < rows.size(); ++r)
      for (size_t c = 0; c < rows[r].size(); ++c)
        if (!rows[r][c].empty()) worksheet_write_string(ws, lxw_row_t(r + 1), lxw_col_t(c), rows[r][c].c_str(), nullptr);
    lxw_error err = workbook_close(wb);
    if (err != LXW_NO_ERROR) {
      std::remove(path);
      return Status::Internal(std::string("xlsx export failed: ") + lxw_strerror(err));
    }
    std::ifstream in(path, std::ios::binary);
    file.body.assign(std::istreambuf_iterator<char>(in), {});
    std::remove(path);
  }
  // Exports are audited: who took which data out, with which filters.
  json filters_json = json::object();
  for (const auto& [k, v] : filters) filters_json[k] = v;
  LF_TRY(db_.Write([&](Tx& tx) {
    return events_
        .Append(tx, p.tenant_id, p.user_id, e->def->singular + ".exported", e->def->name, "*",
                {{"format", format}, {"rows", file.rows}, {"filters", filters_json}})
        .status();
  }));
  return file;
}

}  // namespace lf
