// Implements documents/document_store.h.
#include "documents/document_store.h"

#include <algorithm>

#include "base/crypto.h"
#include "base/strings.h"
#include "base/time.h"

namespace lf {
namespace {

using json = nlohmann::json;

Status NotFound() {
  return Status::Error(ErrorKind::kNotFound, "document.not_found", "document not found", "资料不存在");
}

json RowJson(const Row& r, const TimeZone* zone) {
  return {{"id", AsText(r[0])},   {"name", AsText(r[1])},     {"mime", AsText(r[2])},
          {"size", AsInt(r[3])},  {"sha256", AsText(r[4])},   {"created_at", FormatRfc3339(AsInt(r[5]), zone)},
          {"created_by", AsText(r[6])}};
}

constexpr const char* kColumns = "id, name, mime, size, sha256, created_at, created_by";

// A media type as sent ("application/pdf; charset=…" → "application/pdf"), or the default.
std::string MediaType(const std::string& content_type) {
  std::string t = AsciiLower(Trim(content_type.substr(0, content_type.find(';'))));
  bool ok = !t.empty() && t.size() <= 100 && t.find('/') != std::string::npos &&
            std::all_of(t.begin(), t.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("/.+-_").find(c) != std::string_view::npos; });
  return ok ? t : "application/octet-stream";
}

}  // namespace

Status DocumentStore::RequireManage(const Principal& p) {
  if (p.Can(kPermDocumentsManage)) return Status::Ok();
  return Status::Error(ErrorKind::kPermissionDenied, "access.forbidden",
                       "managing the document library needs the documents.manage permission",
                       "管理资料库需要 documents.manage 权限");
}

Result<json> DocumentStore::Upload(const Principal& p, const std::string& name, const std::string& mime,
                                   const std::string& content) {
  LF_TRY(RequireManage(p));
  return Attach(p, "", "", "", name, mime, content);
}

Result<json> DocumentStore::Attach(const Principal& p, const std::string& entity, const std::string& singular,
                                   const std::string& record_id, const std::string& name, const std::string& mime,
                                   const std::string& content) {
  std::string n = Trim(name);
  if (n.empty() || !IsValidUtf8(n) || Utf8Length(n) > 200 || n.find_first_of("/\\\r\n") != std::string::npos)
    return Status::Error(ErrorKind::kValidation, "validation.required",
                         "name (the file name, at most 200 characters, no slashes) is required",
                         "需要文件名(最多 200 字,不含斜杠)", "name");
  if (content.empty())
    return Status::Error(ErrorKind::kInvalidArgument, "request.empty_body", "upload the file as the request body",
                         "请将文件作为请求体上传");
  if (content.size() > kMaxBytes)
    return Status::Error(ErrorKind::kTooLarge, "document.too_large", "a file may be at most 20 MiB",
                         "文件最大 20 MiB");
  int64_t now = clock_.NowMs();
  std::string id = UuidV7(now), type = MediaType(mime), sha = Sha256Hex(content), encoded = Base64Encode(content);
  auto opt = [](const std::string& v) { return v.empty() ? Value(nullptr) : Value(v); };
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_TRY(tx.Exec("INSERT INTO documents (tenant_id, id, name, mime, size, sha256, created_at, created_by, entity, "
                   "record_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   {p.tenant_id, id, n, type, int64_t(content.size()), sha, now, p.user_id, opt(entity), opt(record_id)})
               .status());
    LF_TRY(tx.Exec("INSERT INTO document_contents (tenant_id, document_id, content_base64) VALUES (?, ?, ?)",
                   {p.tenant_id, id, encoded})
               .status());
    if (entity.empty())
      return events_.Append(tx, p.tenant_id, p.user_id, "document.created", "documents", id,
                            {{"name", n}, {"size", content.size()}})
          .status();
    return events_.Append(tx, p.tenant_id, p.user_id, singular + ".attachment_added", entity, record_id,
                          {{"document_id", id}, {"name", n}, {"size", content.size()}})
        .status();
  }));
  return json{{"id", id}, {"name", n}, {"mime", type}, {"size", content.size()}, {"sha256", sha},
              {"created_at", FormatRfc3339(now, p.zone)}, {"created_by", p.user_id}};
}

Result<json> DocumentStore::Attachments(const Principal& p, const std::string& entity, const std::string& record_id) {
  json items = json::array();
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    return c.ForEach(std::string("SELECT ") + kColumns +
                         " FROM documents WHERE tenant_id = ? AND entity = ? AND record_id = ? AND archived_at IS NULL "
                         "ORDER BY created_at DESC, id DESC LIMIT 500",
                     {p.tenant_id, entity, record_id}, [&](const std::vector<std::string>&, const Row& r) {
                       items.push_back(RowJson(r, p.zone));
                       return true;
                     });
  }));
  return json{{"items", std::move(items)}};
}

Result<json> DocumentStore::List(const Principal& p) {
  json items = json::array();
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    return c.ForEach(std::string("SELECT ") + kColumns +
                         " FROM documents WHERE tenant_id = ? AND entity IS NULL AND archived_at IS NULL ORDER BY created_at DESC, "
                         "id DESC LIMIT 500",
                     {p.tenant_id}, [&](const std::vector<std::string>&, const Row& r) {
                       items.push_back(RowJson(r, p.zone));
                       return true;
                     });
  }));
  return json{{"items", std::move(items)}};
}

Result<DocumentFile> DocumentStore::Content(const Principal& p, const std::string& id) {
  DocumentFile f;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query("SELECT d.name, d.mime, x.content_base64, d.entity, d.record_id FROM documents d "
                                 "JOIN document_contents x "
                                 "ON x.tenant_id = d.tenant_id AND x.document_id = d.id WHERE d.tenant_id = ? AND d.id = ?",
                                 {p.tenant_id, id}));
    if (rows.empty()) return NotFound();
    f.name = AsText(rows.rows[0][0]);
    f.mime = AsText(rows.rows[0][1]);
    if (!Base64Decode(AsText(rows.rows[0][2]), &f.content)) return Status::Internal("document content is corrupt");
    f.entity = AsText(rows.rows[0][3]);
    f.record_id = AsText(rows.rows[0][4]);
    return Status::Ok();
  }));
  return f;
}

Result<json> DocumentStore::Archive(const Principal& p, const std::string& id) {
  LF_TRY(RequireManage(p));
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_ASSIGN(auto n, tx.Exec("UPDATE documents SET archived_at = ? WHERE tenant_id = ? AND id = ? AND archived_at IS NULL",
                              {clock_.NowMs(), p.tenant_id, id}));
    if (n == 0) return NotFound();
    return events_.Append(tx, p.tenant_id, p.user_id, "document.archived", "documents", id, json::object()).status();
  }));
  return json{{"id", id}, {"archived", true}};
}

Result<std::optional<std::string>> DocumentStore::NameOf(Connection& c, const std::string& tenant_id, const std::string& id) {
  LF_ASSIGN(auto rows, c.Query("SELECT name FROM documents WHERE tenant_id = ? AND id = ? AND entity IS NULL AND "
                               "archived_at IS NULL",
                               {tenant_id, id}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(AsText(rows.rows[0][0]));
}

}  // namespace lf
