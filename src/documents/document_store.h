// DocumentStore: the tenant's document library (see documents/README.md).
// Thread-safety: thread-safe (stateless apart from the injected services).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "events/event_log.h"
#include "identity/identity.h"
#include "storage/database.h"

namespace lf {

inline constexpr const char* kPermDocumentsManage = "documents.manage";

struct DocumentFile {
  std::string name, mime, content;
  std::string entity, record_id;  // set for a record's attachment
};

class DocumentStore {
 public:
  static constexpr size_t kMaxBytes = 20u << 20;
  DocumentStore(Database& db, EventLog& events, const Clock& clock) : db_(db), events_(events), clock_(clock) {}
  // documents.manage. `name` is the file name shown (UTF-8, ≤ 200 characters), `mime` the
  // upload's Content-Type. 413 document.too_large above kMaxBytes.
  Result<nlohmann::json> Upload(const Principal& p, const std::string& name, const std::string& mime,
                                const std::string& content);
  // An attachment of one record (any size ≤ kMaxBytes, any signed-in user): the caller checks that
  // `p` may read the record. Appends "<singular>.attachment_added" on the record. With an empty
  // `entity` the file goes to the library (what Upload does after its permission check).
  Result<nlohmann::json> Attach(const Principal& p, const std::string& entity, const std::string& singular,
                                const std::string& record_id, const std::string& name, const std::string& mime,
                                const std::string& content);
  // The record's attachments, newest first (the caller checks read access).
  Result<nlohmann::json> Attachments(const Principal& p, const std::string& entity, const std::string& record_id);
  // Every live library document of the tenant (not attachments), newest first: {items: [{id, name, mime, size, sha256, created_at}]}.
  Result<nlohmann::json> List(const Principal& p);
  Result<DocumentFile> Content(const Principal& p, const std::string& id);
  // documents.manage. Hidden from the list; events that name it keep its name.
  Result<nlohmann::json> Archive(const Principal& p, const std::string& id);
  // For rule actions: the live document's name, or nullopt.
  static Result<std::optional<std::string>> NameOf(Connection& c, const std::string& tenant_id, const std::string& id);

 private:
  Status RequireManage(const Principal& p);

  Database& db_;
  EventLog& events_;
  const Clock& clock_;
};

}  // namespace lf
