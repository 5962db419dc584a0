// Test support (not part of the engine): a TenantSchema built the way SchemaRegistry builds one —
// the built-in entities plus custom fields — without a database.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "schema/metadata.h"

namespace lf::rules::testing {

struct CustomField {
  std::string entity;  // collection name: "leads"
  FieldDef def;        // builtin=false is set for you
};

inline std::shared_ptr<const TenantSchema> MakeSchema(std::vector<CustomField> custom = {}) {
  std::vector<TenantSchema::Entity> entities;
  for (const auto& def : BuiltinEntities()) entities.push_back({&def, def.fields});
  for (auto& c : custom)
    for (auto& e : entities)
      if (e.def->name == c.entity) {
        c.def.builtin = false;
        e.fields.push_back(c.def);
      }
  return std::make_shared<const TenantSchema>(1, std::move(entities));
}

inline FieldDef Field(std::string name, FieldType type, std::vector<std::string> options = {}) {
  FieldDef f;
  f.name = name;
  f.label_zh = name;
  f.label_en = name;
  f.type = type;
  for (auto& o : options) f.options.push_back({o, o, o});
  return f;
}

}  // namespace lf::rules::testing
