// Reading the first worksheet of an .xlsx file (what Excel users export) into rows of text:
// libzip opens the package, pugixml reads sharedStrings.xml and the sheet. Inline strings, shared
// strings, numbers and booleans are read; formulas contribute their cached value. Thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "imports/csv.h"

namespace lf {

// True when `bytes` starts like a ZIP package (XLSX).
bool LooksLikeXlsx(std::string_view bytes);
// The first sheet as rows (columns filled by their letter positions; gaps are empty cells; rows by
// their numbers, so a row the sheet leaves out comes back empty).
Result<std::vector<CsvRow>> ReadXlsx(std::string_view bytes, size_t max_rows);
// Serialises rows as RFC 4180 CSV (for storage alongside CSV uploads).
std::string ToCsv(const std::vector<CsvRow>& rows);

}  // namespace lf
