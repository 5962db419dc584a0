// records/: create, read, list, update, archive and audit any entity described by schema metadata
// (MISSION C1, C2). One generic path for every built-in entity and custom field: validation,
// storage mapping, list queries with filters/sort/keyset cursors, events for every change.
// Domain folders (leads/, …) build on it. Depends on base/, storage/, schema/, events/, identity/.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "events/event_log.h"
#include "identity/identity.h"
#include "schema/metadata.h"
#include "storage/database.h"

namespace lf {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// An Idempotency-Key with the hash of the request it came with.
struct IdempotencyKey {
  std::string key, request_hash;
};

struct CreateResult {
  nlohmann::json record;
  bool replayed = false;  // answered from a stored response of the same Idempotency-Key
};

// Thread-safe: stateless apart from the injected collaborators.
class RecordService {
 public:
  RecordService(Database& db, EventLog& events, SchemaRegistry& schemas, const Clock& clock)
      : db_(db), events_(events), schemas_(schemas), clock_(clock) {}

  Result<std::shared_ptr<const TenantSchema>> SchemaFor(const Principal& p);

  Result<CreateResult> Create(const Principal& p, const std::string& entity,
                              const nlohmann::json& body, const IdempotencyKey* idem = nullptr);
  // Non-blocking Create: validates on the caller's thread, then `done` runs once with the result
  // after the write is durable (on a database thread: hand heavy work elsewhere).
  void CreateAsync(const Principal& p, const std::string& entity, const nlohmann::json& body,
                   const IdempotencyKey* idem,
                   std::function<void(Result<CreateResult>)> done);
  Result<nlohmann::json> Get(const Principal& p, const std::string& entity, const std::string& id);
  // Query parameters as in DESIGN.md / README: field[op]=value, sort, limit, cursor, q,
  // include_archived, with_total.
  Result<nlohmann::json> List(const Principal& p, const std::string& entity,
                              const QueryParams& query);
  // Partial update. `if_match` is the version the client last saw (412 if it moved on).
  Result<nlohmann::json> Update(const Principal& p, const std::string& entity,
                                const std::string& id, const nlohmann::json& body,
                                std::optional<int64_t> if_match);
  Result<nlohmann::json> Archive(const Principal& p, const std::string& entity,
                                 const std::string& id, const std::string& reason);
  Result<nlohmann::json> Unarchive(const Principal& p, const std::string& entity,
                                   const std::string& id);
  // Who changed which field from what to what, when.
  Result<nlohmann::json> History(const Principal& p, const std::string& entity,
                                 const std::string& id);
  // Adds a custom field (admin). Visible to the next request on every instance.
  Result<nlohmann::json> AddField(const Principal& p, const std::string& entity,
                                  const nlohmann::json& body);

 private:
  Result<const TenantSchema::Entity*> FindEntity(const TenantSchema& s, const std::string& entity);

  Database& db_;
  EventLog& events_;
  SchemaRegistry& schemas_;
  const Clock& clock_;
};

}  // namespace lf
