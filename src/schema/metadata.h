// schema/: entity and field metadata (MISSION C1). Built-in entities and their fields are data in
// builtin_entities.cc; custom fields are rows in custom_fields, added at runtime. Everything that
// reads or writes records (records/, imports, rules, reports, the UI) goes through this metadata.
// Depends on base/ and storage/.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/status.h"
#include "storage/database.h"

namespace lf {

enum class FieldType {
  kText, kNumber, kMoney, kDate, kDateTime, kEnum, kMultiEnum, kPhone, kEmail, kUser, kReference,
  kBool,
  kTags,  // built-in only: the record's free-form tag list
};

const char* FieldTypeName(FieldType t);
std::optional<FieldType> ParseFieldType(std::string_view name);

struct EnumOption {
  std::string value, label_zh, label_en;
};

struct FieldDef {
  std::string name, label_zh, label_en;
  FieldType type = FieldType::kText;
  bool required = false;
  bool readonly = false;  // computed or system-maintained; rejected in request bodies
  bool builtin = true;    // a real column; false → stored in the `custom` JSON column
  bool system = false;    // id, created_at, …: present on every entity
  std::vector<EnumOption> options;
  std::string ref_entity;  // for kReference
  int max_length = 2000;   // for text-like fields, in code points
  // Value a create takes when the body omits the field: "" (none), "$me" (the acting user), "$now",
  // or a literal (an enum option).
  std::string default_value;
  // A time stamped by the server (e.g. a task's 完成时间): set to now when the field `stamp_when`
  // is written with `stamp_value`, cleared when it is written with another value — unless the same
  // request sets this field itself.
  std::string stamp_when, stamp_value;
  // Set on create, then changed only through the named action (e.g. a lead's owner_id: "assign",
  // which records the reason and starts the silent period); an update that changes it is refused.
  std::string changed_by;
  // While the field is null it reads as the hours since this other field (a waiting lead's
  // 响应时效 so far, since created_at): list filters, sorts and averages use that value.
  std::string pending_since;

  bool sortable() const { return type != FieldType::kMultiEnum && type != FieldType::kTags; }
  bool HasOption(std::string_view v) const;
};

struct EntityDef {
  std::string name;      // collection name, as in the URL: "leads"
  std::string singular;  // event prefix: "lead"
  std::string label_zh, label_en;
  std::vector<FieldDef> fields;               // built-in fields (system fields included)
  std::vector<std::string> search_fields;     // fields `q=` searches
  std::vector<std::vector<std::string>> indexes;  // extra indexes, each a column list after tenant_id
};

// The built-in entities, in a stable order. Lives for the whole process.
const std::vector<EntityDef>& BuiltinEntities();
const EntityDef* FindBuiltinEntity(std::string_view name);

// The SQL expression that reads a field of a row: its column, or a typed read of the `custom`
// JSON column for custom fields.
std::string FieldSqlExpr(const FieldDef& f, const Dialect& d);

// One tenant's view of the schema: built-in entities plus its custom fields. Immutable once built;
// shared by requests through shared_ptr.
class TenantSchema {
 public:
  struct Entity {
    const EntityDef* def;
    std::vector<FieldDef> fields;  // built-in fields then custom fields in creation order
    const FieldDef* Find(std::string_view name) const;
  };
  TenantSchema(int64_t version, std::vector<Entity> entities)
      : version_(version), entities_(std::move(entities)) {}
  int64_t version() const { return version_; }
  const Entity* Find(std::string_view entity) const;
  const std::vector<Entity>& entities() const { return entities_; }

 private:
  int64_t version_;
  std::vector<Entity> entities_;
};

// Caches TenantSchema per tenant, keyed by the tenant's schema_version. Thread-safe.
class SchemaRegistry {
 public:
  explicit SchemaRegistry(Database& db) : db_(db) {}
  // Returns the schema for `tenant_id` at `version` (loads custom fields when the cache is older).
  Result<std::shared_ptr<const TenantSchema>> Get(const std::string& tenant_id, int64_t version);

 private:
  Database& db_;
  std::mutex mu_;  // guards cache_
  std::map<std::string, std::shared_ptr<const TenantSchema>> cache_;
};

// Creates or extends the table of every built-in entity from its metadata (CREATE TABLE IF NOT
// EXISTS, ADD COLUMN for built-in fields added in later releases, indexes). Idempotent.
Status EnsureEntityTables(Database& db);

// A new custom field, as posted by an admin. Validates and stores it, bumps schema_version and
// appends a schema.field_added event.
struct NewField {
  std::string name, label_zh, label_en, type, ref_entity;
  bool required = false;
  std::vector<EnumOption> options;
};
Result<NewField> ParseNewField(const nlohmann::json& body);

// JSON description of a field / the whole schema, as served by GET /api/v1/schema.
nlohmann::json FieldToJson(const FieldDef& f);
nlohmann::json SchemaToJson(const TenantSchema& s);

}  // namespace lf
