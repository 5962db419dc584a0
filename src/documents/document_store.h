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
};

class DocumentStore {
 public:
  static constexpr size_t kMaxBytes = 20u << 20;
  DocumentStore(Database& db, EventLog& events, const Clock& clock) : db_(db), events_(events), clock_(clock) {}
  // documents.manage. `name` is the file name shown (UTF-8, ≤ 200 characters), `mime` the
  // upload's Content-Type. 413 document.too_large above kMaxBytes.
  Result<nlohmann::json> Upload(const Principal& p, const std::string& name, const std::string& mime,
                                const std::string& content);
  // Every live document of the tenant, newest first: {items: [{id, name, mime, size, sha256, created_at}]}.
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
