// CSV reading for imports: RFC 4180 (quoted fields, doubled quotes, newlines inside quotes, CRLF),
// a UTF-8 BOM tolerated, and GBK/GB18030 files (what Excel saves on Chinese Windows) converted to
// UTF-8 with ICU. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace lf {

using CsvRow = std::vector<std::string>;

// Parses UTF-8 CSV text. Fails on an unterminated quote. At most `max_rows` rows. Blank records
// (empty lines) are skipped; `record_numbers`, when given, gets each returned row's 1-based record
// number in the file with the blank ones counted — its row number in a spreadsheet.
Result<std::vector<CsvRow>> ParseCsv(std::string_view text, size_t max_rows = 1000000,
                                     std::vector<int64_t>* record_numbers = nullptr);

// Returns the text as UTF-8: `encoding` is "utf-8", "gbk" or "auto" (UTF-8 if valid, else GB18030).
// Sets *detected to the encoding used.
Result<std::string> DecodeText(std::string_view bytes, const std::string& encoding, std::string* detected);

}  // namespace lf
