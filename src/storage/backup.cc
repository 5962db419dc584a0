// Implements storage/backup.h.
#include "storage/backup.h"

#include <fstream>

#include <nlohmann/json.hpp>

namespace lf {
namespace {

using json = nlohmann::json;

Result<std::vector<std::string>> ListTables(Connection& c) {
  std::vector<std::string> out;
  std::string sql = c.dialect().engine() == Engine::kPostgres
                        ? "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                          "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
                        : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                          "'sqlite_%' ORDER BY name";
  LF_ASSIGN(auto rows, c.Query(sql));
  for (auto& r : rows.rows) out.push_back(AsText(r[0]));
  return out;
}

json ToJson(const Value& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return *i;
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  return nullptr;
}

Value FromJson(const json& j) {
  if (j.is_number_integer()) return j.get<int64_t>();
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) return j.get<std::string>();
  return nullptr;
}

Status IoError(const std::string& what) {
  return Status::Error(ErrorKind::kInternal, "backup.io", what, "备份文件读写失败: " + what);
}

}  // namespace

Result<BackupStats> BackupTo(Database& db, const std::string& path) {
  std::ofstream out(path + ".partial", std::ios::binary | std::ios::trunc);
  if (!out) return IoError("cannot write " + path);
  BackupStats stats;
  Status st = db.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto tables, ListTables(c));
    out << json{{"format", "leadflow-backup"}, {"version", 1}, {"tables", tables}}.dump() << "\n";
    for (const auto& t : tables) {
      stats.tables++;
      bool header = false;
      LF_TRY(c.ForEach("SELECT * FROM " + t, {}, [&](const std::vector<std::string>& cols, const Row& r) {
        if (!header) {
          out << json{{"table", t}, {"columns", cols}}.dump() << "\n";
          header = true;
        }
        json row = json::array();
        for (const auto& v : r) row.push_back(ToJson(v));
        out << row.dump() << "\n";
        stats.rows++;
        return true;
      }));
      if (!header) out << json{{"table", t}, {"columns", json::array()}}.dump() << "\n";
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  out.close();
  if (!out) return IoError("write failed for " + path);
  if (std::rename((path + ".partial").c_str(), path.c_str()) != 0) return IoError("rename " + path);
  return stats;
}

Result<BackupStats> RestoreFrom(Database& db, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot read " + path);
  std::string line;
  if (!std::getline(in, line)) return IoError("empty backup");
  json head = json::parse(line, nullptr, false);
  if (!head.is_object() || head.value("format", "") != "leadflow-backup")
    return Status::Error(ErrorKind::kInvalidArgument, "backup.bad_format", "not a LeadFlow backup",
                         "不是 LeadFlow 备份文件");
  bool empty = false;
  LF_TRY(db.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query("SELECT COUNT(*) FROM tenants"));
    empty = AsInt(rows.rows[0][0]) == 0;
    return Status::Ok();
  }));
  if (!empty)
    return Status::Error(ErrorKind::kConflict, "backup.target_not_empty",
                         "restore needs an empty database", "恢复需要一个空数据库");
  BackupStats stats;
  std::string table, insert;
  std::vector<std::vector<Value>> batch;
  auto flush = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    Status st = db.Write([&](Tx& tx) -> Status {
      for (auto& params : batch) LF_TRY(tx.Exec(insert, params).status());
      return Status::Ok();
    });
    stats.rows += int64_t(batch.size());
    batch.clear();
    return st;
  };
  while (std::getline(in, line)) {
    json j = json::parse(line, nullptr, false);
    if (j.is_object()) {
      LF_TRY(flush());
      table = j.value("table", "");
      std::string cols, marks;
      for (const auto& c : j["columns"]) {
        cols += (cols.empty() ? "" : ", ") + c.get<std::string>();
        marks += marks.empty() ? "?" : ", ?";
      }
      insert = table == "schema_migrations" || cols.empty()
                   ? ""
                   : "INSERT INTO " + table + " (" + cols + ") VALUES (" + marks + ")";
      stats.tables++;
    } else if (j.is_array()) {
      if (insert.empty()) continue;  // migrations are re-applied by Open(), not copied
      std::vector<Value> params;
      for (const auto& v : j) params.push_back(FromJson(v));
      batch.push_back(std::move(params));
      if (batch.size() >= 2000) LF_TRY(flush());
    } else {
      return Status::Error(ErrorKind::kInvalidArgument, "backup.bad_format", "corrupt backup line",
                           "备份文件内容损坏");
    }
  }
  LF_TRY(flush());
  return stats;
}

}  // namespace lf
