// Implements imports/import_service.h.
#include "imports/import_service.h"

#include <cmath>
#include <set>

#include "base/crypto.h"
#include "base/strings.h"
#include "imports/xlsx.h"
#include "records/export.h"

namespace lf {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxRows = 1000000;
// Rows per transaction: large enough that commits are not the cost, small enough that the single
// writer is held for milliseconds, not seconds, while people keep working during an import.
constexpr size_t kBatch = 500;

Status NotFound() {
  return Status::Error(ErrorKind::kNotFound, "import.not_found", "import not found", "导入任务不存在");
}

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    std::string t = Trim(cur);
    if (!t.empty()) out.push_back(t);
    cur.clear();
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ',' || s[i] == ';') { flush(); continue; }
    if (s.compare(i, 3, "，") == 0 || s.compare(i, 3, "、") == 0 || s.compare(i, 3, "；") == 0) {
      flush();
      i += 2;
      continue;
    }
    cur += s[i];
  }
  flush();
  return out;
}

// "¥1,234.5" → 123450 fen. Exact decimal arithmetic on the digits, never a float round trip.
bool ParseYuan(std::string s, int64_t* fen) {
  std::string digits;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 2, "¥") == 0 || s.compare(i, 3, "￥") == 0) { i += (s.compare(i, 2, "¥") == 0 ? 1 : 2); continue; }
    if (s[i] == ',' || s[i] == ' ') continue;
    digits += s[i];
  }
  if (digits.empty()) return false;
  bool neg = digits[0] == '-';
  if (neg) digits.erase(0, 1);
  auto dot = digits.find('.');
  std::string whole = digits.substr(0, dot), frac = dot == std::string::npos ? "" : digits.substr(dot + 1);
  if (whole.empty() || whole.size() > 15 || frac.size() > 2) return false;
  for (char c : whole + frac)
    if (c < '0' || c > '9') return false;
  while (frac.size() < 2) frac += '0';
  *fen = std::stoll(whole) * 100 + std::stoll(frac);
  if (neg) *fen = -*fen;
  return true;
}

json ImportJson(const Row& r, const TimeZone* zone) {
  auto t = [&](const Value& v) { return IsNull(v) ? json(nullptr) : json(FormatRfc3339(AsInt(v), zone)); };
  return {{"id", AsText(r[0])},          {"entity", AsText(r[1])},     {"filename", AsText(r[2])},
          {"encoding", AsText(r[3])},    {"columns", json::parse(AsText(r[4]), nullptr, false)},
          {"row_count", AsInt(r[5])},    {"mapping", IsNull(r[6]) ? json(nullptr) : json::parse(AsText(r[6]), nullptr, false)},
          {"time_zone", IsNull(r[7]) ? json(nullptr) : json(AsText(r[7]))},
          {"status", AsText(r[8])},      {"processed", AsInt(r[9])},   {"imported", AsInt(r[10])},
          {"duplicates", AsInt(r[11])},  {"failed", AsInt(r[12])},     {"created_at", t(r[13])},
          {"started_at", t(r[14])},      {"finished_at", t(r[15])},   {"distribute", AsInt(r[16]) != 0}};
}

constexpr const char* kImportColumns =
    "id, entity, filename, encoding, columns, row_count, mapping, time_zone, status, next_row, imported, "
    "duplicates, failed, created_at, started_at, finished_at, distribute";

}  // namespace

ImportService::ImportService(Database& db, EventLog& events, RecordService& records, LeadService& leads,
                             IdentityService& identity, const Clock& clock)
    : db_(db), events_(events), records_(records), leads_(leads), identity_(identity), clock_(clock) {
  worker_ = std::thread([this] { Loop(); });
}

ImportService::~ImportService() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

Result<json> ImportService::Upload(const Principal& p, const std::string& entity, const std::string& filename,
                                   const std::string& bytes, const std::string& encoding) {
  LF_ASSIGN(auto schema, records_.SchemaFor(p));
  const auto* e = schema->Find(entity);
  if (!e)
    return Status::Error(ErrorKind::kNotFound, "schema.unknown_entity", "no entity '" + entity + "'",
                         "没有实体 '" + entity + "'");
  std::string detected, text;
  std::vector<CsvRow> rows;
  if (LooksLikeXlsx(bytes)) {
    // Excel: read the first sheet and keep it as CSV text, so every later step is the same.
    LF_ASSIGN(rows, ReadXlsx(bytes, kMaxRows + 2));
    detected = "xlsx";
    text = ToCsv(rows);
    LF_ASSIGN(rows, ParseCsv(text, kMaxRows + 1));  // as every later step reads it: blank rows out
  } else {
    LF_ASSIGN(text, DecodeText(bytes, encoding.empty() ? "auto" : encoding, &detected));
    LF_ASSIGN(rows, ParseCsv(text, kMaxRows + 1));
  }
  if (rows.size() < 2)
    return Status::Error(ErrorKind::kValidation, "import.empty", "the file needs a header row and data rows",
                         "文件需要包含表头和至少一行数据");
  if (rows.size() > kMaxRows + 1 || rows[0].size() > 200)
    return Status::Error(ErrorKind::kTooLarge, "import.too_large", "at most 1,000,000 rows and 200 columns",
                         "最多 1,000,000 行、200 列");
  std::vector<std::string> header;
  std::set<std::string> seen;
  for (size_t i = 0; i < rows[0].size(); ++i) {
    std::string h = Trim(rows[0][i]);
    if (h.empty() || !seen.insert(h).second) h = "列" + std::to_string(i + 1);
    seen.insert(h);
    header.push_back(h);
  }
  json suggested = json::object();
  for (const auto& h : header) {
    std::string lh = AsciiLower(h);
    for (const auto& f : e->fields) {
      if ((f.readonly || f.system) && f.name != "tags") continue;
      if (lh == f.name || h == f.label_zh || lh == AsciiLower(f.label_en)) {
        suggested[h] = f.name;
        break;
      }
    }
  }
  json sample = json::array();
  for (size_t r = 1; r < rows.size() && r <= 5; ++r) {
    json cells = json::array();
    for (const auto& cell : rows[r]) cells.push_back(Utf8Prefix(cell, 200));  // a preview, not the 10 MB cell
    sample.push_back(std::move(cells));
  }
  int64_t now = clock_.NowMs();
  std::string id = UuidV7(now);
  int64_t count = int64_t(rows.size() - 1);
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    // The file lives in its own table: progress updates rewrite the small imports row only.
    LF_TRY(tx.Exec("INSERT INTO import_files (tenant_id, import_id, content) VALUES (?, ?, ?)",
                   {p.tenant_id, id, text})
               .status());
    LF_TRY(tx.Exec("INSERT INTO imports (tenant_id, id, entity, filename, encoding, columns, row_count, "
                   "status, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, 'uploaded', ?, ?)",
                   {p.tenant_id, id, entity, filename.empty() ? std::string("import.csv") : filename, detected,
                    json(header).dump(), count, now, p.user_id})
               .status());
    return events_.Append(tx, p.tenant_id, p.user_id, "import.uploaded", "imports", id,
                          {{"entity", entity}, {"filename", filename}, {"rows", count}, {"encoding", detected}})
        .status();
  }));
  return json{{"id", id},       {"entity", entity},  {"encoding", detected},        {"columns", header},
              {"row_count", count}, {"sample", sample}, {"suggested_mapping", suggested}};
}

Result<ImportService::Mapping> ImportService::ParseMapping(const TenantSchema::Entity& e,
                                                           const std::vector<std::string>& header,
                                                           const json& body) {
  auto bad = [](const std::string& en, const std::string& zh) {
    return Status::Error(ErrorKind::kValidation, "import.bad_mapping", en, zh, "mapping");
  };
  if (!body.is_object()) return bad("body must be an object", "请求体必须是对象");
  for (auto it = body.begin(); it != body.end(); ++it)
    if (it.key() != "mapping" && it.key() != "time_zone" && it.key() != "distribute")
      return Status::Error(ErrorKind::kValidation, "validation.unknown_field", "unknown field '" + it.key() + "'",
                           "未知字段 '" + it.key() + "'", it.key());
  Mapping m;
  m.header = header;
  if (body.contains("time_zone") && !body["time_zone"].is_null()) {
    if (!body["time_zone"].is_string()) return bad("time_zone must be a string", "time_zone 必须是字符串");
    m.zone_name = body["time_zone"];
    LF_ASSIGN(m.zone, FindZone(m.zone_name));
  }
  if (body.contains("distribute")) {
    if (!body["distribute"].is_boolean())
      return Status::Error(ErrorKind::kValidation, "validation.wrong_type", "distribute must be true or false",
                           "distribute 须为 true 或 false", "distribute");
    if (e.def->name != "leads" && body["distribute"].get<bool>())
      return Status::Error(ErrorKind::kValidation, "validation.invalid_value", "only leads are distributed by rules",
                           "只有线索可以按分配规则分配", "distribute");
    m.distribute = body["distribute"].get<bool>();
  }
  const json& mapping = body.value("mapping", json::object());
  if (!mapping.is_object() || mapping.empty()) return bad("map at least one column", "请至少映射一列");
  std::set<std::string> fields;
  for (auto it = mapping.begin(); it != mapping.end(); ++it) {
    if (it->is_null()) continue;
    auto col = std::find(header.begin(), header.end(), it.key());
    if (col == header.end()) return bad("no column '" + it.key() + "' in the file", "文件中没有列「" + it.key() + "」");
    if (!it->is_string()) return bad("map a column to a field name", "列须映射到字段名");
    const FieldDef* f = e.Find(it->get<std::string>());
    if (!f || ((f->readonly || f->system) && f->name != "tags"))
      return bad("'" + it->get<std::string>() + "' is not a writable field", "「" + it->get<std::string>() + "」不是可写字段");
    if (!fields.insert(f->name).second) return bad("field '" + f->name + "' is mapped twice", "字段「" + f->label_zh + "」被映射了两次");
    m.columns.emplace_back(size_t(col - header.begin()), f);
  }
  if (m.columns.empty()) return bad("map at least one column", "请至少映射一列");
  return m;
}

json ImportService::RowToBody(const Mapping& m, const CsvRow& row, int64_t row_no,
                              const std::map<std::string, std::string>& users, std::vector<RowError>* errors) {
  json body = json::object();
  for (const auto& [idx, f] : m.columns) {
    std::string cell = idx < row.size() ? Trim(row[idx]) : std::string();
    if (cell.empty()) continue;
    auto fail = [&](const std::string& code, const std::string& en, const std::string& zh) {
      errors->push_back({row_no, idx < m.header.size() ? m.header[idx] : "", f->name, code, zh, en});
    };
    switch (f->type) {
      case FieldType::kNumber: {
        std::string digits;
        for (char c : cell) if (c != ',') digits += c;
        char* end = nullptr;
        double d = std::strtod(digits.c_str(), &end);
        if (digits.empty() || *end || !std::isfinite(d)) fail("validation.wrong_type", "not a number: " + cell, "不是数字: " + cell);
        else body[f->name] = d;
        break;
      }
      case FieldType::kMoney: {
        int64_t fen;
        if (!ParseYuan(cell, &fen)) fail("validation.wrong_type", "not an amount in yuan: " + cell, "不是金额(元): " + cell);
        else body[f->name] = fen;
        break;
      }
      case FieldType::kDate: {
        std::string d = cell;
        for (auto& c : d) if (c == '/' || c == '.') c = '-';
        if (d.size() >= 8 && d.size() < 10) {  // 2026-1-5 → 2026-01-05
          auto parts = Split(d, '-');
          if (parts.size() == 3) d = parts[0] + "-" + (parts[1].size() == 1 ? "0" : "") + parts[1] + "-" + (parts[2].size() == 1 ? "0" : "") + parts[2];
        }
        body[f->name] = d;
        break;
      }
      case FieldType::kDateTime: {
        std::string t = cell;
        for (auto& c : t) if (c == '/') c = '-';
        if (t.size() == 16) t += ":00";  // minutes only
        auto ms = ParseRfc3339(t, m.zone);
        if (!ms.ok()) {
          if (ms.status().code() == "validation.timestamp_without_offset")
            fail("import.timestamp_without_zone",
                 "'" + cell + "' has no UTC offset: declare the file's time zone (time_zone) for the import",
                 "「" + cell + "」没有时区信息:请为本次导入声明时区(time_zone)");
          else
            fail(ms.status().code(), ms.status().detail_en(), ms.status().detail_zh());
        } else {
          body[f->name] = FormatRfc3339(*ms, FindZone("UTC").value());
        }
        break;
      }
      case FieldType::kBool: {
        std::string l = AsciiLower(cell);
        if (l == "是" || l == "true" || l == "1" || l == "y" || l == "yes") body[f->name] = true;
        else if (l == "否" || l == "false" || l == "0" || l == "n" || l == "no") body[f->name] = false;
        else fail("validation.wrong_type", "not yes/no: " + cell, "不是 是/否: " + cell);
        break;
      }
      case FieldType::kEnum:
      case FieldType::kMultiEnum:
      case FieldType::kTags: {
        auto code = [&](const std::string& v) {
          for (const auto& o : f->options)
            if (o.value == v || o.label_zh == v || AsciiLower(o.label_en) == AsciiLower(v)) return o.value;
          return v;  // unknown: validation reports it
        };
        if (f->type == FieldType::kEnum) {
          body[f->name] = code(cell);
        } else {
          json list = json::array();
          for (const auto& v : SplitList(cell)) list.push_back(code(v));
          body[f->name] = list;
        }
        break;
      }
      case FieldType::kUser: {
        auto it = users.find(AsciiLower(cell));
        if (it == users.end()) fail("validation.unknown_user", "no user named " + cell, "没有名为「" + cell + "」的用户");
        else body[f->name] = it->second;
        break;
      }
      default:
        body[f->name] = cell;
    }
  }
  return body;
}

Result<json> ImportService::DryRun(const Principal& p, const std::string& id, const json& body, bool english) {
  std::string entity, content;
  std::vector<std::string> header;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query("SELECT i.entity, f.content, i.columns FROM imports i JOIN import_files f ON "
                                 "f.tenant_id = i.tenant_id AND f.import_id = i.id WHERE i.tenant_id = ? AND i.id = ?",
                                 {p.tenant_id, id}));
    if (rows.empty()) return NotFound();
    entity = AsText(rows.rows[0][0]);
    content = AsText(rows.rows[0][1]);
    for (const auto& h : json::parse(AsText(rows.rows[0][2]), nullptr, false)) header.push_back(h);
    return Status::Ok();
  }));
  LF_ASSIGN(auto schema, records_.SchemaFor(p));
  const auto* e = schema->Find(entity);
  std::vector<int64_t> numbers;
  LF_ASSIGN(auto rows, ParseCsv(content, kMaxRows + 1, &numbers));
  LF_ASSIGN(Mapping m, ParseMapping(*e, header, body));
  std::map<std::string, std::string> users;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto u, c.Query("SELECT id, name, email FROM users WHERE tenant_id = ?", {p.tenant_id}));
    for (auto& r : u.rows) {
      users[AsciiLower(AsText(r[1]))] = AsText(r[0]);
      users[AsciiLower(AsText(r[2]))] = AsText(r[0]);
    }
    return Status::Ok();
  }));
  std::vector<RowError> errors;
  int64_t invalid = 0;
  for (size_t r = 1; r < rows.size(); ++r) {
    size_t before = errors.size();
    json b = RowToBody(m, rows[r], numbers[r], users, &errors);
    if (errors.size() == before) {
      auto prepared = records_.PrepareCreate(p, entity, b);
      if (!prepared.ok())
        errors.push_back({numbers[r], m.ColumnOf(prepared.status().field()), prepared.status().field(), prepared.status().code(),
                          prepared.status().detail_zh(), prepared.status().detail_en()});
    }
    if (errors.size() != before) ++invalid;
  }
  json list = json::array();
  for (size_t i = 0; i < errors.size() && i < 200; ++i)
    list.push_back({{"row", errors[i].row_no}, {"column", errors[i].column}, {"field", errors[i].field},
                    {"code", errors[i].code}, {"detail", english ? errors[i].en : errors[i].zh}});
  int64_t total = int64_t(rows.size() - 1);
  return json{{"rows", total}, {"valid", total - invalid}, {"invalid", invalid}, {"errors", list}};
}

Result<json> ImportService::Start(const Principal& p, const std::string& id, const json& body) {
  LF_ASSIGN(json current, Get(p, id));
  if (current["status"] != "uploaded")
    return Status::Error(ErrorKind::kConflict, "import.already_started", "this import was already started",
                         "该导入任务已经开始");
  LF_ASSIGN(auto schema, records_.SchemaFor(p));
  std::vector<std::string> header;
  for (const auto& h : current["columns"]) header.push_back(h);
  LF_ASSIGN(Mapping m, ParseMapping(*schema->Find(current["entity"].get<std::string>()), header, body));
  (void)m;
  int64_t now = clock_.NowMs();
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_ASSIGN(int64_t n, tx.Exec("UPDATE imports SET mapping = ?, time_zone = ?, distribute = ?, status = 'running', "
                                 "started_at = ? WHERE tenant_id = ? AND id = ? AND status = 'uploaded'",
                                 {body["mapping"].dump(), m.zone_name.empty() ? Value(nullptr) : Value(m.zone_name),
                                  int64_t(m.distribute), now, p.tenant_id, id}));
    if (n != 1)
      return Status::Error(ErrorKind::kConflict, "import.already_started", "this import was already started",
                           "该导入任务已经开始");
    return events_.Append(tx, p.tenant_id, p.user_id, "import.started", "imports", id, {{"mapping", body["mapping"]}})
        .status();
  }));
  {
    std::lock_guard lock(mu_);
    queue_.emplace_back(p.tenant_id, id);
  }
  cv_.notify_all();
  return Get(p, id);
}

Result<json> ImportService::Get(const Principal& p, const std::string& id) {
  json out;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query(std::string("SELECT ") + kImportColumns + " FROM imports WHERE tenant_id = ? AND id = ?",
                                 {p.tenant_id, id}));
    if (rows.empty()) return NotFound();
    out = ImportJson(rows.rows[0], p.zone);
    return Status::Ok();
  }));
  out["errors_url"] = "/api/v1/imports/" + id + "/errors";
  return out;
}

Result<std::string> ImportService::ErrorsCsv(const Principal& p, const std::string& id, bool english) {
  LF_TRY(Get(p, id).status());
  std::string out = "\xEF\xBB\xBF";
  out += english ? "row,column,field,code,error\r\n" : "行号,列,字段,错误代码,错误说明\r\n";
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    return c.ForEach("SELECT row_no, column_name, field, code, detail_zh, detail_en FROM import_errors WHERE "
                     "tenant_id = ? AND import_id = ? ORDER BY row_no",
                     {p.tenant_id, id}, [&](const std::vector<std::string>&, const Row& r) {
                       std::vector<std::string> cells = {std::to_string(AsInt(r[0])), AsText(r[1]), AsText(r[2]),
                                                         AsText(r[3]), AsText(english ? r[5] : r[4])};
                       for (size_t i = 0; i < cells.size(); ++i) {
                         std::string cell = NeutraliseCell(cells[i]);
                         bool quote = cell.find_first_of(",\"\r\n") != std::string::npos;
                         std::string esc;
                         for (char ch : cell) esc += ch == '"' ? std::string("\"\"") : std::string(1, ch);
                         out += (i ? "," : "") + (quote ? "\"" + esc + "\"" : esc);
                       }
                       out += "\r\n";
                       return true;
                     });
  }));
  return out;
}

Status ImportService::ResumeRunning() {
  std::vector<std::pair<std::string, std::string>> pending;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query("SELECT tenant_id, id FROM imports WHERE status = 'running' ORDER BY started_at"));
    for (auto& r : rows.rows) pending.emplace_back(AsText(r[0]), AsText(r[1]));
    return Status::Ok();
  }));
  {
    std::lock_guard lock(mu_);
    for (auto& p : pending) queue_.push_back(p);
  }
  cv_.notify_all();
  return Status::Ok();
}

void ImportService::Drain() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return queue_.empty() && !busy_; });
}

void ImportService::Loop() {
  while (true) {
    std::pair<std::string, std::string> job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = queue_.front();
      queue_.pop_front();
      busy_ = true;
    }
    auto loaded = LoadJob(job.first, job.second);
    if (loaded.ok() && (*loaded)->running) RunJob(**loaded);
    {
      std::lock_guard lock(mu_);
      busy_ = false;
    }
    cv_.notify_all();
  }
}

Result<std::shared_ptr<ImportService::Job>> ImportService::LoadJob(const std::string& tenant_id,
                                                                    const std::string& id) {
  auto job = std::make_shared<Job>();
  std::string content, mapping_text, zone, created_by;
  bool distribute = false;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query("SELECT i.entity, f.content, i.mapping, i.time_zone, i.created_by, i.row_count, "
                                 "i.columns, i.status, i.next_row, i.distribute FROM imports i JOIN import_files f ON "
                                 "f.tenant_id = i.tenant_id AND "
                                 "f.import_id = i.id WHERE i.tenant_id = ? AND i.id = ?",
                                 {tenant_id, id}));
    if (rows.empty()) return NotFound();
    const Row& r = rows.rows[0];
    job->entity = AsText(r[0]);
    content = AsText(r[1]);
    mapping_text = AsText(r[2]);
    zone = AsText(r[3]);
    created_by = AsText(r[4]);
    job->total = AsInt(r[5]);
    for (const auto& h : json::parse(AsText(r[6]), nullptr, false)) job->header.push_back(h);
    job->running = AsText(r[7]) == "running";
    job->next_row = AsInt(r[8]);
    distribute = AsInt(r[9]) != 0;
    LF_ASSIGN(auto u, c.Query("SELECT id, name, email FROM users WHERE tenant_id = ?", {tenant_id}));
    for (auto& ur : u.rows) {
      job->users[AsciiLower(AsText(ur[1]))] = AsText(ur[0]);
      job->users[AsciiLower(AsText(ur[2]))] = AsText(ur[0]);
    }
    return Status::Ok();
  }));
  LF_ASSIGN(job->principal, identity_.PrincipalFor(tenant_id, created_by));
  LF_ASSIGN(job->schema, records_.SchemaFor(job->principal));
  LF_ASSIGN(job->rows, ParseCsv(content, kMaxRows + 1, &job->row_numbers));  // once per job, not per batch
  json body = {{"mapping", json::parse(mapping_text, nullptr, false)}, {"distribute", distribute}};
  if (!zone.empty()) body["time_zone"] = zone;
  LF_ASSIGN(job->mapping, ParseMapping(*job->schema->Find(job->entity), job->header, body));
  job->tenant_id = tenant_id;
  job->id = id;
  return job;
}

void ImportService::RunJob(Job& job) {
  auto prepare = [this, &job](size_t begin) {
    return std::async(std::launch::async, [this, &job, begin] { return PrepareBatch(job, begin); });
  };
  bool finished = false;
  std::future<Batch> next = prepare(size_t(job.next_row) + 1);
  while (!finished) {
    Batch batch = next.get();
    if (batch.end < job.rows.size()) next = prepare(batch.end);
    {
      std::lock_guard lock(mu_);
      if (stopping_) break;
    }
    // A failure is a bug or a lost database: the job stays 'running' and resumes on the next start.
    if (!WriteBatch(job, batch, &finished).ok()) break;
  }
  if (next.valid()) next.wait();
}

ImportService::Batch ImportService::PrepareBatch(const Job& job, size_t begin) {
  Batch b;
  b.end = std::min(job.rows.size(), begin + kBatch);
  const Mapping& m = job.mapping;
  auto fail = [&](int64_t row_no, const Status& st) {
    b.errors.push_back({row_no, m.ColumnOf(st.field()), st.field(), st.code(), st.detail_zh(), st.detail_en()});
  };
  for (size_t r = begin; r < b.end; ++r) {
    const int64_t row_no = job.row_numbers[r];
    size_t before = b.errors.size();
    json body = RowToBody(m, job.rows[r], row_no, job.users, &b.errors);
    if (b.errors.size() != before) continue;
    if (job.entity == "leads") {
      if (m.distribute && !body.contains("owner_id")) body["owner_id"] = nullptr;  // to the assignment rules
      auto lead = leads_.PrepareLead(job.principal, body);
      if (!lead.ok()) {
        fail(row_no, lead.status());
        continue;
      }
      b.items.push_back({row_no, *lead, nullptr});
    } else {
      auto c = records_.PrepareCreate(job.principal, job.entity, body);
      if (!c.ok()) {
        fail(row_no, c.status());
        continue;
      }
      records_.Finalize(**c);
      b.items.push_back({row_no, nullptr, *c});
    }
  }
  return b;
}

Status ImportService::WriteBatch(Job& job, const Batch& batch, bool* finished) {
  Status st = db_.Write([&](Tx& tx) { return WriteRows(tx, job, batch, false, finished); });
  if (!st.ok() && st.code() == "import.row_failed")
    st = db_.Write([&](Tx& tx) { return WriteRows(tx, job, batch, true, finished); });
  if (st.ok()) job.next_row = int64_t(batch.end - 1);
  return st;
}

Status ImportService::WriteRows(Tx& tx, Job& job, const Batch& batch, bool savepoints, bool* finished) {
  // The rows of this batch and the job's checkpoint commit together: after a crash the batch is
  // either wholly done or redone, never half.
  const Mapping& m = job.mapping;
  int64_t imported = 0, duplicates = 0;
  std::vector<RowError> errors = batch.errors;
  for (const auto& it : batch.items) {
    if (savepoints) LF_TRY(tx.Exec("SAVEPOINT import_row").status());
    Status st;
    bool dup = false, placed = false;
    if (it.lead) {
      st = leads_.CreateInTx(tx, *it.lead, &dup, &placed).status();
    } else {
      st = records_.ApplyCreate(tx, *it.record);
    }
    if (st.ok()) {
      if (savepoints) LF_TRY(tx.Exec("RELEASE SAVEPOINT import_row").status());
      dup ? ++duplicates : ++imported;
      continue;
    }
    // Without a savepoint the failed row may have left part of itself: undo the whole batch.
    if (!savepoints)
      return Status::Error(ErrorKind::kConflict, "import.row_failed", "a row failed; redo with savepoints",
                           "有一行写入失败,逐行重做");
    LF_TRY(tx.Exec("ROLLBACK TO SAVEPOINT import_row").status());
    LF_TRY(tx.Exec("RELEASE SAVEPOINT import_row").status());
    errors.push_back({it.row_no, m.ColumnOf(st.field()), st.field(), st.code(), st.detail_zh(), st.detail_en()});
  }
  for (const auto& er : errors)
    LF_TRY(tx.Exec("INSERT INTO import_errors (tenant_id, import_id, row_no, column_name, field, code, detail_zh, "
                   "detail_en) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   {job.tenant_id, job.id, er.row_no, er.column, er.field, er.code, er.zh, er.en})
               .status());
  std::set<int64_t> failed_rows;
  for (const auto& er : errors) failed_rows.insert(er.row_no);
  const bool last = batch.end >= job.rows.size();
  const int64_t now = clock_.NowMs();
  LF_ASSIGN(int64_t n, tx.Exec(std::string("UPDATE imports SET next_row = ?, imported = imported + ?, duplicates = "
                                           "duplicates + ?, failed = failed + ?") +
                                   (last ? ", status = 'done', finished_at = ?" : ", finished_at = ?") +
                                   " WHERE tenant_id = ? AND id = ? AND next_row = ? AND status = 'running'",
                               {int64_t(batch.end - 1), imported, duplicates, int64_t(failed_rows.size()),
                                last ? Value(now) : Value(nullptr), job.tenant_id, job.id, job.next_row}));
  // Another instance took the job over (both resumed it after a crash): leave it to that one.
  if (n != 1) return Status::Error(ErrorKind::kConflict, "import.moved_on", "checkpoint moved", "进度已变化");
  *finished = last;
  if (last)
    LF_TRY(events_.Append(tx, job.tenant_id, job.principal.user_id, "import.finished", "imports", job.id,
                          {{"rows", job.total}})
               .status());
  return Status::Ok();
}

}  // namespace lf
