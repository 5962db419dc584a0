// Implements schema/metadata.h: lookups, the per-tenant cache, table generation and JSON forms.
#include "schema/metadata.h"

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "storage/migrations.h"

namespace lf {
namespace {

struct TypeName {
  FieldType type;
  const char* name;
};
constexpr TypeName kTypeNames[] = {
    {FieldType::kText, "text"},       {FieldType::kNumber, "number"},
    {FieldType::kMoney, "money"},     {FieldType::kDate, "date"},
    {FieldType::kDateTime, "datetime"}, {FieldType::kEnum, "enum"},
    {FieldType::kMultiEnum, "multi_enum"}, {FieldType::kPhone, "phone"},
    {FieldType::kEmail, "email"},     {FieldType::kUser, "user"},
    {FieldType::kReference, "reference"}, {FieldType::kBool, "bool"},
    {FieldType::kTags, "tags"},
};

std::string ColumnType(const FieldDef& f, Engine e) {
  if (f.name == "version") return "BIGINT NOT NULL DEFAULT 1";
  if (f.name == "id") return "TEXT NOT NULL";
  if (f.name == "created_at" || f.name == "updated_at") return "BIGINT NOT NULL";
  switch (f.type) {
    case FieldType::kNumber: return "DOUBLE PRECISION";
    case FieldType::kMoney:
    case FieldType::kDateTime:
    case FieldType::kBool: return "BIGINT";
    case FieldType::kMultiEnum: return SqlJsonType(e);
    case FieldType::kTags: return SqlJsonType(e) + " NOT NULL DEFAULT '[]'";
    default: return "TEXT";
  }
}

Status Invalid(const std::string& field, const std::string& en, const std::string& zh,
               const std::string& code = "validation.bad_field_definition") {
  return Status::Error(ErrorKind::kValidation, code, en, zh, field);
}

}  // namespace

std::string FieldSqlExpr(const FieldDef& f, const Dialect& d) {
  if (f.builtin) return f.name;
  switch (f.type) {
    case FieldType::kNumber: return d.JsonNumber("custom", f.name);
    case FieldType::kMoney:
    case FieldType::kDateTime:
    case FieldType::kBool: return d.JsonInt("custom", f.name);
    case FieldType::kMultiEnum: return d.engine() == Engine::kPostgres ? "(custom->'" + f.name + "')"
                                                                      : "json_extract(custom,'$." + f.name + "')";
    default: return d.JsonText("custom", f.name);
  }
}

const char* FieldTypeName(FieldType t) {
  for (const auto& tn : kTypeNames)
    if (tn.type == t) return tn.name;
  return "text";
}

std::optional<FieldType> ParseFieldType(std::string_view name) {
  for (const auto& tn : kTypeNames)
    if (name == tn.name && tn.type != FieldType::kTags) return tn.type;
  // accept the hyphenated spelling used in the catalog
  if (name == "multi-enum") return FieldType::kMultiEnum;
  return std::nullopt;
}

bool FieldDef::HasOption(std::string_view v) const {
  for (const auto& o : options)
    if (o.value == v) return true;
  return false;
}

const FieldDef* TenantSchema::Entity::Find(std::string_view name) const {
  for (const auto& f : fields)
    if (f.name == name) return &f;
  return nullptr;
}

const TenantSchema::Entity* TenantSchema::Find(std::string_view entity) const {
  for (const auto& e : entities_)
    if (e.def->name == entity) return &e;
  return nullptr;
}

Result<std::shared_ptr<const TenantSchema>> SchemaRegistry::Get(const std::string& tenant_id,
                                                                int64_t version) {
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(tenant_id);
    if (it != cache_.end() && it->second->version() >= version) return it->second;
  }
  std::vector<TenantSchema::Entity> entities;
  for (const auto& def : BuiltinEntities()) entities.push_back({&def, def.fields});
  int64_t loaded_version = version;
  Status st = db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto v, c.Query("SELECT schema_version FROM tenants WHERE id = ?", {tenant_id}));
    if (!v.empty()) loaded_version = AsInt(v.rows[0][0]);
    LF_ASSIGN(auto rows, c.Query("SELECT entity, name, label_zh, label_en, type, required, options, "
                                 "ref_entity FROM custom_fields WHERE tenant_id = ? "
                                 "ORDER BY position",
                                 {tenant_id}));
    for (const auto& r : rows.rows) {
      FieldDef f;
      f.name = AsText(r[1]);
      f.label_zh = AsText(r[2]);
      f.label_en = AsText(r[3]);
      f.type = ParseFieldType(AsText(r[4])).value_or(FieldType::kText);
      f.required = AsInt(r[5]) != 0;
      f.builtin = false;
      f.ref_entity = AsText(r[7]);
      if (!IsNull(r[6])) {
        auto opts = nlohmann::json::parse(AsText(r[6]), nullptr, false);
        if (opts.is_array())
          for (const auto& o : opts)
            f.options.push_back({o.value("value", ""), o.value("label_zh", ""),
                                 o.value("label_en", "")});
      }
      for (auto& e : entities)
        if (e.def->name == AsText(r[0])) e.fields.push_back(std::move(f));
    }
    // Options admins added to enum fields (built-in ones too: a custom channel, a first-touch action).
    LF_ASSIGN(auto opts, c.Query("SELECT entity, field, value, label_zh, label_en FROM field_options "
                                 "WHERE tenant_id = ? ORDER BY position",
                                 {tenant_id}));
    for (const auto& r : opts.rows)
      for (auto& e : entities)
        if (e.def->name == AsText(r[0]))
          for (auto& f : e.fields)
            if (f.name == AsText(r[1]) && !f.HasOption(AsText(r[2])))
              f.options.push_back({AsText(r[2]), AsText(r[3]), AsText(r[4])});
    return Status::Ok();
  });
  if (!st.ok()) return st;
  auto schema = std::make_shared<const TenantSchema>(loaded_version, std::move(entities));
  std::lock_guard lock(mu_);
  auto& slot = cache_[tenant_id];
  if (!slot || slot->version() <= schema->version()) slot = schema;
  return slot;
}

Status EnsureEntityTables(Database& db) {
  Engine e = db.dialect().engine();
  return db.Write([&](Tx& tx) -> Status {
    if (e == Engine::kPostgres) LF_TRY(tx.Exec("SELECT pg_advisory_xact_lock(7405002)").status());
    for (const auto& ent : BuiltinEntities()) {
      std::string ddl = "CREATE TABLE IF NOT EXISTS " + ent.name + " (tenant_id TEXT NOT NULL";
      for (const auto& f : ent.fields) ddl += ", " + f.name + " " + ColumnType(f, e);
      ddl += ", custom " + SqlJsonType(e) + " NOT NULL DEFAULT '{}', PRIMARY KEY (tenant_id, id))";
      LF_TRY(tx.conn().ExecScript(ddl));
      std::set<std::string> have;
      if (e == Engine::kPostgres) {
        LF_ASSIGN(auto cols, tx.Query("SELECT column_name FROM information_schema.columns WHERE "
                                      "table_name = ? AND table_schema = current_schema()",
                                      {ent.name}));
        for (auto& r : cols.rows) have.insert(AsText(r[0]));
      } else {
        LF_ASSIGN(auto cols, tx.Query("SELECT name FROM pragma_table_info(?)", {ent.name}));
        for (auto& r : cols.rows) have.insert(AsText(r[0]));
      }
      for (const auto& f : ent.fields) {
        if (have.count(f.name)) continue;
        std::string type = ColumnType(f, e);
        // ADD COLUMN cannot add NOT NULL without a default; built-ins added later are nullable.
        if (type.find("NOT NULL") != std::string::npos && type.find("DEFAULT") == std::string::npos)
          type = type.substr(0, type.find(" NOT NULL"));
        LF_TRY(tx.conn().ExecScript("ALTER TABLE " + ent.name + " ADD COLUMN " + f.name + " " + type));
      }
      for (const auto& idx : ent.indexes) {
        std::string name = ent.name + "_by";
        std::string cols = "tenant_id";
        for (const auto& c : idx) {
          name += "_" + c;
          cols += ", " + c;
        }
        LF_TRY(tx.conn().ExecScript("CREATE INDEX IF NOT EXISTS " + name + " ON " + ent.name + " (" +
                                    cols + ")"));
      }
    }
    return Status::Ok();
  });
}

Result<NewField> ParseNewField(const nlohmann::json& body) {
  if (!body.is_object())
    return Status::Error(ErrorKind::kInvalidArgument, "request.body_not_object",
                         "request body must be a JSON object", "请求体必须是 JSON 对象");
  static const std::set<std::string> kAllowed = {"name",     "label_zh", "label_en", "type",
                                                 "required", "options",  "ref_entity"};
  for (auto it = body.begin(); it != body.end(); ++it)
    if (!kAllowed.count(it.key()))
      return Invalid(it.key(), "unknown field '" + it.key() + "'", "未知字段 '" + it.key() + "'",
                     "validation.unknown_field");
  NewField nf;
  auto str = [&](const char* key, std::string* out, bool required) -> Status {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) {
      if (required)
        return Invalid(key, std::string(key) + " is required", std::string(key) + " 为必填项",
                       "validation.required");
      return Status::Ok();
    }
    if (!it->is_string())
      return Invalid(key, std::string(key) + " must be a string", std::string(key) + " 必须是字符串",
                     "validation.wrong_type");
    *out = it->get<std::string>();
    return Status::Ok();
  };
  LF_TRY(str("name", &nf.name, true));
  LF_TRY(str("label_zh", &nf.label_zh, true));
  LF_TRY(str("label_en", &nf.label_en, false));
  LF_TRY(str("type", &nf.type, true));
  LF_TRY(str("ref_entity", &nf.ref_entity, false));
  if (nf.label_en.empty()) nf.label_en = nf.name;
  static const std::regex kName("^[a-z][a-z0-9_]{0,62}$");
  if (!std::regex_match(nf.name, kName))
    return Invalid("name",
                   "field name must be lower-case letters, digits and '_', starting with a letter",
                   "字段名只能包含小写字母、数字和下划线,且以字母开头");
  if (nf.label_zh.empty() || nf.label_zh.size() > 200 || nf.label_en.size() > 200)
    return Invalid("label_zh", "labels must be 1–200 bytes", "显示名称长度须为 1–200");
  auto type = ParseFieldType(nf.type);
  if (!type)
    return Invalid("type", "unknown field type '" + nf.type + "'", "未知字段类型 '" + nf.type + "'");
  nf.type = FieldTypeName(*type);
  if (auto it = body.find("required"); it != body.end() && !it->is_null()) {
    if (!it->is_boolean())
      return Invalid("required", "required must be a boolean", "required 必须是布尔值",
                     "validation.wrong_type");
    nf.required = it->get<bool>();
  }
  bool is_enum = *type == FieldType::kEnum || *type == FieldType::kMultiEnum;
  if (auto it = body.find("options"); it != body.end() && !it->is_null()) {
    if (!is_enum)
      return Invalid("options", "options are only for enum and multi_enum fields",
                     "只有单选/多选字段可以设置选项");
    if (!it->is_array() || it->empty() || it->size() > 500)
      return Invalid("options", "options must be a non-empty array (at most 500)",
                     "选项必须是非空数组(最多 500 个)");
    std::set<std::string> seen;
    for (const auto& o : *it) {
      EnumOption opt;
      if (o.is_string()) {
        opt.value = opt.label_zh = opt.label_en = o.get<std::string>();
      } else if (o.is_object() && o.contains("value") && o["value"].is_string()) {
        opt.value = o["value"].get<std::string>();
        opt.label_zh = o.value("label_zh", opt.value);
        opt.label_en = o.value("label_en", opt.value);
      } else {
        return Invalid("options", "each option is a string or {value, label_zh, label_en}",
                       "选项须为字符串或 {value, label_zh, label_en}");
      }
      if (opt.value.empty() || opt.value.size() > 100 || !seen.insert(opt.value).second)
        return Invalid("options", "option values must be unique, 1–100 bytes",
                       "选项值须唯一且长度为 1–100");
      nf.options.push_back(std::move(opt));
    }
  } else if (is_enum) {
    return Invalid("options", "enum fields need options", "单选/多选字段需要设置选项");
  }
  if (*type == FieldType::kReference) {
    if (!FindBuiltinEntity(nf.ref_entity))
      return Invalid("ref_entity", "reference fields need ref_entity naming an entity",
                     "关联字段需要指定关联实体 ref_entity");
  } else if (!nf.ref_entity.empty()) {
    return Invalid("ref_entity", "ref_entity is only for reference fields",
                   "只有关联字段可以设置 ref_entity");
  }
  return nf;
}

nlohmann::json FieldToJson(const FieldDef& f) {
  nlohmann::json j = {{"name", f.name},         {"label_zh", f.label_zh},
                      {"label_en", f.label_en}, {"type", FieldTypeName(f.type)},
                      {"required", f.required}, {"readonly", f.readonly},
                      {"builtin", f.builtin},   {"system", f.system},
                      {"sortable", f.sortable()}};
  if (!f.options.empty()) {
    auto& opts = j["options"] = nlohmann::json::array();
    for (const auto& o : f.options)
      opts.push_back({{"value", o.value}, {"label_zh", o.label_zh}, {"label_en", o.label_en}});
  }
  if (!f.ref_entity.empty()) j["ref_entity"] = f.ref_entity;
  if (!f.default_value.empty()) j["default"] = f.default_value;  // "$me", "$now" or a literal
  if (!f.changed_by.empty()) j["changed_by"] = f.changed_by;      // the action that changes it
  if (!f.pending_since.empty()) j["pending_since"] = f.pending_since;
  if (f.type == FieldType::kText) j["max_length"] = f.max_length;
  return j;
}

nlohmann::json SchemaToJson(const TenantSchema& s) {
  nlohmann::json entities = nlohmann::json::array();
  for (const auto& e : s.entities()) {
    nlohmann::json fields = nlohmann::json::array();
    for (const auto& f : e.fields) fields.push_back(FieldToJson(f));
    entities.push_back({{"name", e.def->name},
                        {"label_zh", e.def->label_zh},
                        {"label_en", e.def->label_en},
                        {"fields", std::move(fields)}});
  }
  return {{"version", s.version()}, {"entities", std::move(entities)}};
}

}  // namespace lf
