// imports/: CSV imports of any entity (MISSION L10): upload (UTF-8 or GBK, detected; BOM
// tolerated) → column mapping → dry run with per-row errors → an import job that runs in batches on
// a background thread, with progress, per-row errors downloadable as CSV, lead dedup applied, and
// resumable after a crash without duplicating rows (each batch commits its rows together with the
// job's checkpoint). Offset-less times are read in the zone the import declares — never guessed.
// Depends on records/, leads/, identity/.
#pragma once

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "identity/identity.h"
#include "imports/csv.h"
#include "leads/lead_service.h"
#include "records/record_service.h"

namespace lf {

// Thread-safe. Owns one worker thread that runs started imports one batch at a time.
class ImportService {
 public:
  ImportService(Database& db, EventLog& events, RecordService& records, LeadService& leads,
                IdentityService& identity, const Clock& clock);
  ~ImportService();
  ImportService(const ImportService&) = delete;
  ImportService& operator=(const ImportService&) = delete;

  // Stores the file: {id, entity, encoding, columns, row_count, sample, suggested_mapping}.
  Result<nlohmann::json> Upload(const Principal& p, const std::string& entity, const std::string& filename,
                                const std::string& bytes, const std::string& encoding);
  // {mapping: {column: field}, time_zone?} → {rows, valid, invalid, errors: [...first 200]}.
  Result<nlohmann::json> DryRun(const Principal& p, const std::string& id, const nlohmann::json& body, bool english);
  // Same body; queues the job → its status.
  Result<nlohmann::json> Start(const Principal& p, const std::string& id, const nlohmann::json& body);
  Result<nlohmann::json> Get(const Principal& p, const std::string& id);
  // Per-row errors as CSV (row number as in the spreadsheet, column, field, message).
  Result<std::string> ErrorsCsv(const Principal& p, const std::string& id, bool english);
  // Re-queues imports left running by a crash. Call once at start-up.
  Status ResumeRunning();
  // Blocks until the queue is empty (tests, CLI).
  void Drain();

 private:
  struct Mapping {
    std::vector<std::pair<size_t, const FieldDef*>> columns;  // CSV column index → field
    std::vector<std::string> header;                          // the file's column names
    // The file's column that feeds `field` ("" when none does).
    std::string ColumnOf(const std::string& field) const {
      for (const auto& [idx, f] : columns)
        if (f->name == field && idx < header.size()) return header[idx];
      return "";
    }
    const TimeZone* zone = nullptr;
    std::string zone_name;
    // Leads: rows that name no owner go to the assignment rules (else to the 公海), not to the
    // importer.
    bool distribute = false;
  };
  struct RowError {
    int64_t row_no;
    std::string column, field, code, zh, en;
  };
  Result<Mapping> ParseMapping(const TenantSchema::Entity& e, const std::vector<std::string>& header,
                               const nlohmann::json& body);
  // Converts one CSV row to an API body; appends problems to `errors`.
  nlohmann::json RowToBody(const Mapping& m, const CsvRow& row, int64_t row_no,
                           const std::map<std::string, std::string>& users, std::vector<RowError>* errors);
  // A running import, loaded once: its parsed file, mapping and importer.
  struct Job {
    std::string tenant_id, id, entity;
    int64_t total = 0;
    Principal principal;
    std::shared_ptr<const TenantSchema> schema;  // keeps the mapping's fields alive
    std::vector<std::string> header;
    std::vector<CsvRow> rows;
    std::vector<int64_t> row_numbers;  // each row's number in the spreadsheet (errors name it)
    Mapping mapping;
    std::map<std::string, std::string> users;  // lower-case name or email → id
    int64_t next_row = 0;  // the checkpoint: data rows [1, next_row] are done
    bool running = false;
  };
  // Loads the job with its checkpoint; `running` is false when it has finished meanwhile.
  Result<std::shared_ptr<Job>> LoadJob(const std::string& tenant_id, const std::string& id);
  void Loop();
  // Rows [begin, begin + kBatch) of a job converted and validated, ready to write (no database
  // access).
  struct Batch {
    struct Item {
      int64_t row_no;
      std::shared_ptr<PreparedLead> lead;
      std::shared_ptr<PreparedCreate> record;
    };
    size_t end = 0;  // one past the batch's last row: where the next batch begins
    std::vector<Item> items;
    std::vector<RowError> errors;
  };
  Batch PrepareBatch(const Job& job, size_t begin);
  // Writes a prepared batch and the job's checkpoint in one transaction. Rows go in without a
  // savepoint each; only if one of them fails is the batch redone with a savepoint per row, so the
  // failing row alone is skipped and reported.
  Status WriteBatch(Job& job, const Batch& batch, bool* finished);
  Status WriteRows(Tx& tx, Job& job, const Batch& batch, bool savepoints, bool* finished);
  // Runs a loaded job to its end: the next batch is prepared on a second thread while the
  // current one is written.
  void RunJob(Job& job);

  Database& db_;
  EventLog& events_;
  RecordService& records_;
  LeadService& leads_;
  IdentityService& identity_;
  const Clock& clock_;

  std::mutex mu_;  // guards queue_, stopping_, busy_
  std::condition_variable cv_;
  std::deque<std::pair<std::string, std::string>> queue_;  // (tenant_id, import id)
  bool stopping_ = false, busy_ = false;
  std::thread worker_;
};

}  // namespace lf
