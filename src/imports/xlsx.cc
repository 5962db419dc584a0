// Implements imports/xlsx.h.
#include "imports/xlsx.h"

#include <zip.h>

#include <memory>
#include <pugixml.hpp>

namespace lf {
namespace {

Status Bad(const std::string& what) {
  return Status::Error(ErrorKind::kValidation, "import.bad_xlsx", "not a readable .xlsx file: " + what,
                       "无法读取 .xlsx 文件: " + what);
}

// Reads one member of the package; empty optional when absent.
Result<std::string> ReadMember(zip_t* z, const char* name, bool required) {
  zip_stat_t st;
  if (zip_stat(z, name, 0, &st) != 0) {
    if (required) return Bad(std::string("missing ") + name);
    return std::string();
  }
  if (st.size > (256u << 20)) return Bad("member too large");
  std::unique_ptr<zip_file_t, decltype(&zip_fclose)> f(zip_fopen(z, name, 0), &zip_fclose);
  if (!f) return Bad(std::string("cannot open ") + name);
  std::string out(st.size, '\0');
  if (zip_fread(f.get(), out.data(), st.size) != zip_int64_t(st.size)) return Bad(std::string("cannot read ") + name);
  return out;
}

// "BC12" → column index 54 (0-based).
size_t ColumnOf(const char* ref) {
  size_t col = 0;
  for (; *ref >= 'A' && *ref <= 'Z'; ++ref) col = col * 26 + size_t(*ref - 'A' + 1);
  return col == 0 ? 0 : col - 1;
}

std::string TextOf(const pugi::xml_node& si) {
  std::string s;
  for (auto t : si.select_nodes(".//t")) s += t.node().text().get();
  return s;
}

}  // namespace

bool LooksLikeXlsx(std::string_view bytes) { return bytes.size() > 4 && bytes.substr(0, 4) == "PK\x03\x04"; }

Result<std::vector<CsvRow>> ReadXlsx(std::string_view bytes, size_t max_rows) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  if (!src) return Bad("buffer");
  zip_t* raw = zip_open_from_source(src, ZIP_RDONLY, &err);
  if (!raw) {
    zip_source_free(src);
    return Bad("not a zip package");
  }
  std::unique_ptr<zip_t, decltype(&zip_discard)> z(raw, &zip_discard);
  LF_ASSIGN(std::string shared_xml, ReadMember(z.get(), "xl/sharedStrings.xml", false));
  LF_ASSIGN(std::string sheet_xml, ReadMember(z.get(), "xl/worksheets/sheet1.xml", true));
  std::vector<std::string> shared;
  if (!shared_xml.empty()) {
    pugi::xml_document doc;
    if (!doc.load_buffer(shared_xml.data(), shared_xml.size())) return Bad("sharedStrings.xml");
    for (auto si : doc.child("sst").children("si")) shared.push_back(TextOf(si));
  }
  pugi::xml_document sheet;
  if (!sheet.load_buffer(sheet_xml.data(), sheet_xml.size())) return Bad("sheet1.xml");
  std::vector<CsvRow> rows;
  for (auto row : sheet.child("worksheet").child("sheetData").children("row")) {
    if (rows.size() >= max_rows)
      return Status::Error(ErrorKind::kTooLarge, "import.too_many_rows", "too many rows", "行数过多");
    // Rows Excel leaves out (empty ones) come back as blank rows, so row numbers stay the sheet's.
    if (size_t r = row.attribute("r").as_ullong(); r > rows.size() + 1 && r <= max_rows + 1) rows.resize(r - 1);
    CsvRow out;
    for (auto c : row.children("c")) {
      size_t col = c.attribute("r") ? ColumnOf(c.attribute("r").value()) : out.size();
      if (col > 1000) return Bad("too many columns");
      if (out.size() <= col) out.resize(col + 1);
      std::string type = c.attribute("t").value();
      std::string value;
      if (type == "s") {
        size_t i = size_t(c.child("v").text().as_ullong());
        value = i < shared.size() ? shared[i] : std::string();
      } else if (type == "inlineStr") {
        value = TextOf(c.child("is"));
      } else if (type == "b") {
        value = c.child("v").text().as_int() ? "true" : "false";
      } else {
        value = c.child("v").text().get();
      }
      out[col] = std::move(value);
    }
    rows.push_back(std::move(out));
  }
  return rows;
}

std::string ToCsv(const std::vector<CsvRow>& rows) {
  std::string out;
  for (const auto& r : rows) {
    for (size_t i = 0; i < r.size(); ++i) {
      if (i) out += ',';
      if (r[i].find_first_of(",\"\r\n") == std::string::npos) {
        out += r[i];
      } else {
        out += '"';
        for (char c : r[i]) out += c == '"' ? std::string("\"\"") : std::string(1, c);
        out += '"';
      }
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace lf
