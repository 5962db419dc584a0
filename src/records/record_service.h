// records/: create, read, list, update, archive and audit any entity described by schema metadata
// (MISSION C1, C2). One generic path for every built-in entity and custom field: validation,
// storage mapping, list queries with filters/sort/keyset cursors, events for every change.
// Domain folders (leads/, …) build on it. Depends on base/, storage/, schema/, events/, identity/.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "access/access_service.h"
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

// A response stored under an Idempotency-Key.
struct StoredResponse {
  int status = 201;
  nlohmann::json body;
};

struct CreateResult {
  nlohmann::json record;
  bool replayed = false;  // answered from a stored response of the same Idempotency-Key
};

// What a read or write of one entity runs under: the caller's policy, the row predicate for the
// action, and the fields the caller may not filter, sort or search on (masked sensitive fields).
struct RowAccess {
  std::shared_ptr<const AccessPolicy> policy;
  SqlClause predicate;                // any of `disjuncts`
  std::vector<SqlClause> disjuncts;
  std::set<std::string> hidden;
  int64_t now = 0;
  // " AND (predicate)" or "" — append `predicate.params` after the statement's own.
  std::string AndSql() const { return predicate.sql.empty() ? "" : " AND (" + predicate.sql + ")"; }
};

// A validated create, ready for the writer: values in stored form (defaults and system fields
// filled), and after Finalize() the INSERT, its parameters, the API record and the event payload.
// Domain services may change `values` or add `event_extra` between PrepareCreate and Finalize.
struct PreparedCreate {
  Principal actor;
  RowAccess access;  // the actor's access to the entity (create right checked)
  std::shared_ptr<const TenantSchema> schema;  // keeps `entity` alive
  const TenantSchema::Entity* entity = nullptr;
  std::string id;
  int64_t now = 0;
  nlohmann::json values;                                // field → stored value
  nlohmann::json event_extra = nlohmann::json::object();  // merged into the created event's data
  std::string insert, event_text;
  std::vector<Value> params;
  nlohmann::json record, event_data;
};

// A validated partial update, ready for the writer (RecordService::PrepareUpdate / ApplyUpdate):
// for callers that must make the change in the same transaction as their own rows (rule actions
// record their firing key with the effect). `event_extra` is merged into the updated event's data.
struct PreparedUpdate {
  Principal actor;
  RowAccess access, read_access;
  std::shared_ptr<const TenantSchema> schema;  // keeps `entity` alive
  const TenantSchema::Entity* entity = nullptr;
  std::string id;
  nlohmann::json values;  // field → stored value
  std::optional<int64_t> if_match;
  int64_t now = 0;
  nlohmann::json event_extra = nlohmann::json::object();
};

// Thread-safe: stateless apart from the injected collaborators. Every read and write of a record
// goes through the caller's access policy (access/): rows outside it are "not found", masked
// fields are masked, a missing entity right is 403.
class RecordService {
 public:
  RecordService(Database& db, EventLog& events, SchemaRegistry& schemas, AccessService& access,
                const Clock& clock)
      : db_(db), events_(events), schemas_(schemas), access_(access), clock_(clock) {}

  Result<std::shared_ptr<const TenantSchema>> SchemaFor(const Principal& p);
  // The access `p` has to `e` for `a`; kPermissionDenied "access.forbidden" when the role has no
  // such right on the entity at all.
  Result<RowAccess> AccessFor(const Principal& p, const TenantSchema& s,
                              const TenantSchema::Entity& e, Action a);
  // Logs the sensitive fields a response showed unmasked (P3).
  Status LogRevealed(const Principal& p, const RowAccess& a, const std::string& entity,
                     const std::vector<std::string>& ids, const std::set<std::string>& revealed);
  // The API form of a stored row as `p` may see it: render hooks, masked sensitive fields
  // (listed in "_masked"). Sensitive fields shown unmasked are added to `revealed`.
  nlohmann::json Render(const TenantSchema::Entity& e, const nlohmann::json& stored,
                        const Principal& p, const RowAccess& access,
                        std::set<std::string>* revealed);

  // The create path in parts, for domain services that wrap it in their own write (dedup, quick
  // entry): PrepareCreate validates; Finalize builds the statement; ApplyCreate runs inside a
  // write (reference checks, insert, created event, create hooks).
  Result<std::shared_ptr<PreparedCreate>> PrepareCreate(const Principal& p,
                                                        const std::string& entity,
                                                        const nlohmann::json& body);
  void Finalize(PreparedCreate& c);
  Status ApplyCreate(Tx& tx, const PreparedCreate& c);

  // Runs inside the write of every create of `entity`, after its insert and event; a non-OK
  // Status fails the create. Register at start-up only (not thread-safe against creates).
  using CreateHook = std::function<Status(Tx&, const PreparedCreate&)>;
  void OnCreate(const std::string& entity, CreateHook hook);
  // Adds derived, read-time values to every API record of `entity` (e.g. a lead's waiting time).
  // `stored` is the row in stored form. Register at start-up only.
  using RenderHook = std::function<void(const nlohmann::json& stored, const Principal&, nlohmann::json& record)>;
  void OnRender(const std::string& entity, RenderHook hook);
  // Runs the render hooks of `e` over `record` (for readers that build records themselves, e.g.
  // exports, so they show the same derived values as the API).
  void ApplyRenderHooks(const TenantSchema::Entity& e, const nlohmann::json& stored, const Principal& p,
                        nlohmann::json& record) const;

  // Idempotency-Key handling inside a create's write: claims the key with the response the write
  // is about to give; returns the earlier response when the same request came before (nothing
  // else should be written then), kValidation "idempotency.key_reused" for another request.
  static Result<std::optional<StoredResponse>> ClaimIdempotency(Tx& tx,
                                                                const std::string& tenant_id,
                                                                const IdempotencyKey& idem,
                                                                int status,
                                                                const std::string& body_text,
                                                                int64_t now);
  // Replaces the response stored by ClaimIdempotency (when the write decided differently).
  static Status SetIdempotentResponse(Tx& tx, const std::string& tenant_id,
                                      const IdempotencyKey& idem, int status,
                                      const std::string& body_text);

  Result<CreateResult> Create(const Principal& p, const std::string& entity,
                              const nlohmann::json& body, const IdempotencyKey* idem = nullptr);
  // Non-blocking Create: validates on the caller's thread, then `done` runs once with the result
  // after the write is durable (on a database thread: hand heavy work elsewhere).
  void CreateAsync(const Principal& p, const std::string& entity, const nlohmann::json& body,
                   const IdempotencyKey* idem,
                   std::function<void(Result<CreateResult>)> done);
  Result<nlohmann::json> Get(const Principal& p, const std::string& entity, const std::string& id);
  // Get on a given connection (inside a read or a write); sensitive fields shown unmasked are
  // added to `revealed` (the caller logs them, P3).
  Result<nlohmann::json> Load(Connection& c, const Principal& p, const std::string& entity,
                              const std::string& id, std::set<std::string>* revealed = nullptr);
  // Query parameters as in DESIGN.md / README: field[op]=value, sort, limit, cursor, q,
  // include_archived, with_total.
  Result<nlohmann::json> List(const Principal& p, const std::string& entity,
                              const QueryParams& query);
  // Aggregates over the records `p` may read that match the list filters (D1 dashboards):
  // ?group_by=<field> (enum, user, bool, text, reference, date) and/or ?avg=<number or money field>
  // → {"total", "avg", "groups": [{"value", "label" (Chinese option label or user name), "label_en",
  // "count", "avg"}]} (groups by count, at most 100).
  // Masked fields cannot be grouped or averaged (403 access.masked_field).
  Result<nlohmann::json> Summary(const Principal& p, const std::string& entity, const QueryParams& query);
  // Partial update. `if_match` is the version the client last saw (412 if it moved on).
  Result<nlohmann::json> Update(const Principal& p, const std::string& entity,
                                const std::string& id, const nlohmann::json& body,
                                std::optional<int64_t> if_match);
  // Update in parts: PrepareUpdate validates (outside any write), ApplyUpdate runs inside a write
  // (re-runnable). `*changed` (may be null) tells whether anything changed (no event otherwise).
  Result<PreparedUpdate> PrepareUpdate(const Principal& p, const std::string& entity,
                                       const std::string& id, const nlohmann::json& body,
                                       std::optional<int64_t> if_match);
  Result<nlohmann::json> ApplyUpdate(Tx& tx, const PreparedUpdate& u, bool* changed);
  // The stored form (records/codec.h) of a record `p` may read; nullopt when there is none.
  Result<std::optional<nlohmann::json>> LoadStored(Connection& c, const Principal& p,
                                                   const std::string& entity, const std::string& id);
  // Calls `fn` with the stored form of up to `limit` live records `p` may read, newest first,
  // until it returns false (dry runs). Warm the schema and policy first (no nested reads).
  Status ScanStored(Connection& c, const Principal& p, const std::string& entity, int limit,
                    const std::function<bool(const nlohmann::json&)>& fn);
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
  // Adds an option to an enum / multi_enum field, built-in or custom (admin): {value, label_zh,
  // label_en}. Returns the field.
  Result<nlohmann::json> AddOption(const Principal& p, const std::string& entity,
                                   const std::string& field, const nlohmann::json& body);

 private:
  Result<const TenantSchema::Entity*> FindEntity(const TenantSchema& s, const std::string& entity);
  // Load with the entity and access already resolved.
  Result<nlohmann::json> LoadAs(Connection& c, const Principal& p, const TenantSchema::Entity& e,
                                const RowAccess& access, const std::string& id,
                                std::set<std::string>* revealed);

  Database& db_;
  EventLog& events_;
  SchemaRegistry& schemas_;
  AccessService& access_;
  const Clock& clock_;
  std::map<std::string, std::vector<CreateHook>> create_hooks_;  // set up before serving
  std::map<std::string, std::vector<RenderHook>> render_hooks_;  // set up before serving
};

}  // namespace lf
