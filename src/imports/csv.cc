// Implements imports/csv.h (ICU ucnv for GB18030; the parser is a small state machine because no
// library in our stack reads CSV).
#include "imports/csv.h"

#include <unicode/ucnv.h>

#include "base/strings.h"

namespace lf {

Result<std::vector<CsvRow>> ParseCsv(std::string_view t, size_t max_rows, std::vector<int64_t>* record_numbers) {
  if (t.size() >= 3 && t.substr(0, 3) == "\xEF\xBB\xBF") t.remove_prefix(3);
  std::vector<CsvRow> rows;
  if (record_numbers) record_numbers->clear();
  int64_t record = 0;  // records seen, blank ones included
  CsvRow row;
  std::string field;
  bool quoted = false, field_started = false;
  size_t i = 0;
  auto end_field = [&] {
    row.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_row = [&] {
    end_field();
    bool blank = row.size() == 1 && row[0].empty();
    ++record;
    if (!blank) {
      rows.push_back(std::move(row));
      if (record_numbers) record_numbers->push_back(record);
    }
    row.clear();
  };
  while (i < t.size()) {
    char c = t[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < t.size() && t[i + 1] == '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
      ++i;
      continue;
    }
    if (c == '"' && !field_started) {
      quoted = true;
      field_started = true;
    } else if (c == ',') {
      end_field();
    } else if (c == '\r' || c == '\n') {
      end_row();
      if (rows.size() > max_rows)
        return Status::Error(ErrorKind::kTooLarge, "import.too_many_rows",
                             "more than " + std::to_string(max_rows) + " rows", "行数超过 " + std::to_string(max_rows));
      if (c == '\r' && i + 1 < t.size() && t[i + 1] == '\n') ++i;
    } else {
      field += c;
      field_started = true;
    }
    ++i;
  }
  if (quoted)
    return Status::Error(ErrorKind::kValidation, "import.bad_csv", "a quoted field is not closed",
                         "CSV 中有未闭合的引号");
  if (field_started || !field.empty() || !row.empty()) end_row();
  return rows;
}

Result<std::string> DecodeText(std::string_view bytes, const std::string& encoding, std::string* detected) {
  std::string_view body = bytes;
  if (body.size() >= 3 && body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  if ((encoding == "auto" || encoding == "utf-8") && IsValidUtf8(body)) {
    *detected = "utf-8";
    return std::string(body);
  }
  if (encoding == "utf-8")
    return Status::Error(ErrorKind::kValidation, "import.bad_encoding", "the file is not valid UTF-8",
                         "文件不是有效的 UTF-8 编码", "encoding");
  if (encoding != "auto" && encoding != "gbk")
    return Status::Error(ErrorKind::kValidation, "import.bad_encoding", "encoding is auto, utf-8 or gbk",
                         "编码须为 auto、utf-8 或 gbk", "encoding");
  UErrorCode err = U_ZERO_ERROR;
  UConverter* conv = ucnv_open("GB18030", &err);
  if (U_FAILURE(err)) return Status::Internal("ICU has no GB18030 converter");
  ucnv_setToUCallBack(conv, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &err);
  std::u16string u16(bytes.size() + 1, u'\0');
  int32_t n = ucnv_toUChars(conv, reinterpret_cast<UChar*>(u16.data()), int32_t(u16.size()), bytes.data(),
                            int32_t(bytes.size()), &err);
  ucnv_close(conv);
  if (U_FAILURE(err))
    return Status::Error(ErrorKind::kValidation, "import.bad_encoding",
                         "the file is neither UTF-8 nor GBK text", "文件既不是 UTF-8 也不是 GBK 编码", "encoding");
  u16.resize(size_t(n));
  std::string out;
  out.resize(u16.size() * 3 + 1);
  UErrorCode err2 = U_ZERO_ERROR;
  UConverter* utf8 = ucnv_open("UTF-8", &err2);
  int32_t m = ucnv_fromUChars(utf8, out.data(), int32_t(out.size()), reinterpret_cast<const UChar*>(u16.data()),
                              int32_t(u16.size()), &err2);
  ucnv_close(utf8);
  if (U_FAILURE(err2)) return Status::Internal("UTF-8 conversion failed");
  out.resize(size_t(m));
  *detected = "gbk";
  return out;
}

}  // namespace lf
