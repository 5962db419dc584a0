// Export of any filtered list (MISSION L10) as CSV (UTF-8 with BOM, opens right in Excel) or XLSX
// (libxlsxwriter): the same filters as the list API, labels in the reader's language, enum labels,
// user names, money in yuan, times in the tenant's zone, and every cell that begins with = + - @
// (or a tab / carriage return) neutralised against formula injection. Each export is an event.
#pragma once

#include <string>

#include "records/record_service.h"

namespace lf {

struct ExportFile {
  std::string content_type, filename, body;
  int64_t rows = 0;
};

// Prefixes a cell that a spreadsheet would read as a formula with "'" (OWASP CSV injection); a
// plain signed number ("+8613800138000", "-12.50") is left as it is.
std::string NeutraliseCell(const std::string& cell);

// Thread-safe.
class RecordExporter {
 public:
  static constexpr int64_t kMaxRows = 200000;
  RecordExporter(Database& db, EventLog& events, RecordService& records, const Clock& clock)
      : db_(db), events_(events), records_(records), clock_(clock) {}

  // `format` is "csv" or "xlsx"; `english` picks English labels. More than kMaxRows matching
  // records → kTooLarge "export.too_many_rows".
  Result<ExportFile> Export(const Principal& p, const std::string& entity, const QueryParams& query,
                            const std::string& format, bool english);

 private:
  Database& db_;
  EventLog& events_;
  RecordService& records_;
  const Clock& clock_;
};

}  // namespace lf
