// Implements records/record_service.h.
#include "records/record_service.h"

#include <future>
#include <set>

#include "base/crypto.h"
#include "base/strings.h"
#include "records/codec.h"
#include "records/list_query.h"

namespace lf {
namespace {

using json = nlohmann::json;
using Entity = TenantSchema::Entity;

Status BodyNotObject() {
  return Status::Error(ErrorKind::kInvalidArgument, "request.body_not_object",
                       "request body must be a JSON object", "请求体必须是 JSON 对象");
}

Status RecordNotFound(const Entity& e) {
  return Status::Error(ErrorKind::kNotFound, "record.not_found", e.def->singular + " not found",
                       e.def->label_zh + "不存在");
}

// The columns every select reads, in field order, then `custom`.
std::string SelectList(const Entity& e) {
  std::string cols;
  for (const auto& f : e.def->fields) cols += f.name + ", ";
  return cols + "custom";
}

// Stored JSON of a row: {field: stored value} for built-ins and custom fields.
json RowToStored(const Entity& e, const Row& r) {
  json out = json::object();
  const auto& fields = e.def->fields;
  for (size_t i = 0; i < fields.size(); ++i) out[fields[i].name] = ColumnToStored(fields[i], r[i]);
  auto custom = json::parse(AsText(r[fields.size()]), nullptr, false);
  for (const auto& f : e.fields) {
    if (f.builtin) continue;
    auto it = custom.is_object() ? custom.find(f.name) : custom.end();
    out[f.name] = (custom.is_object() && it != custom.end()) ? *it : json(nullptr);
  }
  return out;
}

json StoredToRecord(const Entity& e, const json& stored, const TimeZone* zone) {
  json out = json::object();
  for (const auto& f : e.fields) {
    auto it = stored.find(f.name);
    out[f.name] = it == stored.end() ? json(nullptr) : StoredToApi(f, *it, zone);
  }
  return out;
}

// Validates a body against the entity's fields. Returns {field: stored value} for present fields.
Result<json> DecodeBody(const Entity& e, const json& body, bool creating) {
  if (!body.is_object()) return BodyNotObject();
  json values = json::object();
  for (auto it = body.begin(); it != body.end(); ++it) {
    const FieldDef* f = e.Find(it.key());
    if (!f)
      return Status::Error(ErrorKind::kValidation, "validation.unknown_field",
                           "unknown field '" + it.key() + "' for " + e.def->name,
                           "「" + e.def->label_zh + "」没有字段 '" + it.key() + "'", it.key());
    if (f->readonly)
      return Status::Error(ErrorKind::kValidation, "validation.read_only",
                           "field '" + f->name + "' is read-only",
                           "字段「" + f->label_zh + "」为只读,不能写入", f->name);
    LF_ASSIGN(json stored, DecodeInput(*f, *it));
    if (stored.is_null() && f->required)
      return Status::Error(ErrorKind::kValidation, "validation.required",
                           "field '" + f->name + "' is required",
                           "字段「" + f->label_zh + "」为必填项", f->name);
    values[f->name] = std::move(stored);
  }
  if (creating)
    for (const auto& f : e.fields)
      if (f.required && !values.contains(f.name))
        return Status::Error(ErrorKind::kValidation, "validation.required",
                             "field '" + f.name + "' is required",
                             "字段「" + f.label_zh + "」为必填项", f.name);
  return values;
}

// Checks that user and reference values name live records of the same tenant.
Status CheckReferences(Tx& tx, const Principal& p, const Entity& e, const json& values) {
  for (auto it = values.begin(); it != values.end(); ++it) {
    if (!it->is_string()) continue;
    const FieldDef* f = e.Find(it.key());
    if (!f || f->system) continue;
    if (f->type == FieldType::kUser) {
      if (it->get<std::string>() == p.user_id) continue;  // the actor exists
      LF_ASSIGN(auto r, tx.Query("SELECT 1 FROM users WHERE tenant_id = ? AND id = ?",
                                 {p.tenant_id, it->get<std::string>()}));
      if (r.empty())
        return Status::Error(ErrorKind::kValidation, "validation.unknown_user",
                             "field '" + f->name + "': no such user",
                             "字段「" + f->label_zh + "」: 用户不存在", f->name);
    } else if (f->type == FieldType::kReference && FindBuiltinEntity(f->ref_entity)) {
      LF_ASSIGN(auto r, tx.Query("SELECT 1 FROM " + f->ref_entity +
                                     " WHERE tenant_id = ? AND id = ?",
                                 {p.tenant_id, it->get<std::string>()}));
      if (r.empty())
        return Status::Error(ErrorKind::kValidation, "validation.unknown_reference",
                             "field '" + f->name + "': no such " + f->ref_entity,
                             "字段「" + f->label_zh + "」: 关联记录不存在", f->name);
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::shared_ptr<const TenantSchema>> RecordService::SchemaFor(const Principal& p) {
  return schemas_.Get(p.tenant_id, p.schema_version);
}

Result<const TenantSchema::Entity*> RecordService::FindEntity(const TenantSchema& s,
                                                              const std::string& entity) {
  const auto* e = s.Find(entity);
  if (!e)
    return Status::Error(ErrorKind::kNotFound, "schema.unknown_entity",
                         "no entity '" + entity + "'", "没有实体 '" + entity + "'");
  return e;
}

Result<CreateResult> RecordService::Create(const Principal& p, const std::string& entity,
                                           const json& body, const IdempotencyKey* idem) {
  std::promise<Result<CreateResult>> promise;
  auto fut = promise.get_future();
  CreateAsync(p, entity, body, idem,
              [&promise](Result<CreateResult> r) { promise.set_value(std::move(r)); });
  return fut.get();
}

Result<std::shared_ptr<PreparedCreate>> RecordService::PrepareCreate(const Principal& p,
                                                                    const std::string& entity,
                                                                    const json& body) {
  auto c = std::make_shared<PreparedCreate>();
  LF_ASSIGN(c->schema, SchemaFor(p));
  LF_ASSIGN(c->entity, FindEntity(*c->schema, entity));
  const Entity* e = c->entity;
  LF_ASSIGN(c->values, DecodeBody(*e, body, true));
  json& values = c->values;
  c->now = clock_.NowMs();
  c->id = UuidV7(c->now);
  // Defaults from metadata for omitted fields.
  for (const auto& f : e->fields) {
    if (values.contains(f.name) || f.default_value.empty()) continue;
    if (f.default_value == "$me") values[f.name] = p.user_id;
    else if (f.default_value == "$now") values[f.name] = c->now;
    else values[f.name] = f.default_value;
  }
  values["id"] = c->id;
  values["created_at"] = values["updated_at"] = c->now;
  values["created_by"] = values["updated_by"] = p.user_id;
  values["version"] = 1;
  if (!values.contains("tags") || values["tags"].is_null()) values["tags"] = json::array();
  c->actor = p;
  return c;
}

void RecordService::Finalize(PreparedCreate& c) {
  const Entity* e = c.entity;
  std::string cols = "tenant_id", marks = "?";
  c.params.clear();
  c.params.push_back(c.actor.tenant_id);
  json custom = json::object();
  for (const auto& f : e->fields) {
    auto it = c.values.find(f.name);
    if (it == c.values.end() || it->is_null()) continue;
    if (f.builtin) {
      cols += ", " + f.name;
      marks += f.type == FieldType::kTags || f.type == FieldType::kMultiEnum
                   ? std::string(", ") + db_.dialect().JsonParam()
                   : std::string(", ?");
      c.params.push_back(StoredToColumn(f, *it));
    } else {
      custom[f.name] = *it;
    }
  }
  cols += ", custom";
  marks += std::string(", ") + db_.dialect().JsonParam();
  c.params.push_back(custom.dump());
  c.insert = "INSERT INTO " + e->def->name + " (" + cols + ") VALUES (" + marks + ")";
  json set_values = json::object();
  for (auto it = c.values.begin(); it != c.values.end(); ++it)
    if (!it->is_null()) set_values[it.key()] = *it;
  c.record = Render(*e, c.values, c.actor);
  c.event_data = {{"values", std::move(set_values)}};
  for (auto it = c.event_extra.begin(); it != c.event_extra.end(); ++it) c.event_data[it.key()] = *it;
  c.event_text = c.event_data.dump();
}

Status RecordService::ApplyCreate(Tx& tx, const PreparedCreate& c) {
  LF_TRY(CheckReferences(tx, c.actor, *c.entity, c.values));
  LF_TRY(tx.Exec(c.insert, c.params).status());
  LF_TRY(events_
             .Append(tx, c.actor.tenant_id, c.actor.user_id, c.entity->def->singular + ".created",
                     c.entity->def->name, c.id, c.event_data, c.event_text)
             .status());
  if (auto it = create_hooks_.find(c.entity->def->name); it != create_hooks_.end())
    for (const auto& hook : it->second) LF_TRY(hook(tx, c));
  return Status::Ok();
}

Result<std::optional<StoredResponse>> RecordService::ClaimIdempotency(
    Tx& tx, const std::string& tenant_id, const IdempotencyKey& idem, int status,
    const std::string& body_text, int64_t now) {
  // Claim first: on PostgreSQL a concurrent claim of the same key waits here for the winner.
  LF_ASSIGN(int64_t claimed,
            tx.Exec("INSERT INTO idempotency_keys (tenant_id, key, request_hash, status, body, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    {tenant_id, idem.key, idem.request_hash, int64_t(status), body_text, now}));
  if (claimed == 1) return std::optional<StoredResponse>();
  LF_ASSIGN(auto prior, tx.Query("SELECT request_hash, status, body FROM idempotency_keys WHERE "
                                 "tenant_id = ? AND key = ?",
                                 {tenant_id, idem.key}));
  if (prior.empty() || AsText(prior.rows[0][0]) != idem.request_hash)
    return Status::Error(ErrorKind::kValidation, "idempotency.key_reused",
                         "this Idempotency-Key was used with a different request",
                         "该 Idempotency-Key 已用于另一个不同的请求");
  return std::optional<StoredResponse>(StoredResponse{
      int(AsInt(prior.rows[0][1])), json::parse(AsText(prior.rows[0][2]), nullptr, false)});
}

Status RecordService::SetIdempotentResponse(Tx& tx, const std::string& tenant_id,
                                            const IdempotencyKey& idem, int status,
                                            const std::string& body_text) {
  return tx.Exec("UPDATE idempotency_keys SET status = ?, body = ? WHERE tenant_id = ? AND key = ?",
                 {int64_t(status), body_text, tenant_id, idem.key})
      .status();
}

Result<json> RecordService::AddOption(const Principal& p, const std::string& entity,
                                      const std::string& field, const json& body) {
  if (!p.Can(kPermSchemaManage))
    return Status::Error(ErrorKind::kPermissionDenied, "access.forbidden",
                         "adding options needs the permission 'schema.manage'",
                         "添加选项需要 'schema.manage' 权限");
  LF_ASSIGN(auto schema, SchemaFor(p));
  LF_ASSIGN(const Entity* e, FindEntity(*schema, entity));
  const FieldDef* f = e->Find(field);
  if (!f)
    return Status::Error(ErrorKind::kNotFound, "schema.unknown_field", "no field '" + field + "'",
                         "没有字段 '" + field + "'");
  if (f->type != FieldType::kEnum && f->type != FieldType::kMultiEnum)
    return Status::Error(ErrorKind::kValidation, "schema.not_an_enum",
                         "only enum and multi_enum fields have options", "只有单选/多选字段可以添加选项",
                         "field");
  if (!body.is_object())
    return Status::Error(ErrorKind::kInvalidArgument, "request.body_not_object",
                         "request body must be a JSON object", "请求体必须是 JSON 对象");
  for (auto it = body.begin(); it != body.end(); ++it)
    if ((it.key() != "value" && it.key() != "label_zh" && it.key() != "label_en") || !it->is_string())
      return Status::Error(ErrorKind::kValidation, "validation.unknown_field",
                           "only string value, label_zh and label_en are accepted",
                           "只接受字符串 value、label_zh、label_en", it.key());
  std::string value = body.value("value", ""), zh = body.value("label_zh", ""),
              en = body.value("label_en", "");
  static const auto valid_value = [](const std::string& v) {
    if (v.empty() || v.size() > 64 || !(v[0] >= 'a' && v[0] <= 'z')) return false;
    for (char ch : v)
      if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) return false;
    return true;
  };
  if (!valid_value(value))
    return Status::Error(ErrorKind::kValidation, "validation.invalid_value",
                         "option values are lower-case letters, digits and '_'",
                         "选项值只能包含小写字母、数字和下划线", "value");
  if (zh.empty() || Utf8Length(zh) > 50 || Utf8Length(en) > 50)
    return Status::Error(ErrorKind::kValidation, "validation.invalid_value",
                         "label_zh is required (at most 50 characters)", "请填写中文名称(最多 50 字)",
                         "label_zh");
  if (f->HasOption(value))
    return Status::Error(ErrorKind::kConflict, "schema.option_exists",
                         "option '" + value + "' already exists", "选项 '" + value + "' 已存在", "value");
  int64_t now = clock_.NowMs();
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_ASSIGN(auto n, tx.Query("SELECT COUNT(*) FROM field_options WHERE tenant_id = ? AND entity = ? AND field = ?",
                               {p.tenant_id, entity, field}));
    LF_TRY(tx.Exec("INSERT INTO field_options (tenant_id, entity, field, value, label_zh, label_en, position, "
                   "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   {p.tenant_id, entity, field, value, zh, en.empty() ? value : en, AsInt(n.rows[0][0]) + 1, now})
               .status());
    LF_TRY(tx.Exec("UPDATE tenants SET schema_version = schema_version + 1 WHERE id = ?", {p.tenant_id}).status());
    return events_
        .Append(tx, p.tenant_id, p.user_id, "schema.option_added", "schema", entity,
                {{"field", field}, {"value", value}, {"label_zh", zh}})
        .status();
  }));
  FieldDef updated = *f;
  updated.options.push_back({value, zh, en.empty() ? value : en});
  return FieldToJson(updated);
}

json RecordService::Render(const TenantSchema::Entity& e, const json& stored, const Principal& p) {
  json record = StoredToRecord(e, stored, p.zone);
  if (auto it = render_hooks_.find(e.def->name); it != render_hooks_.end())
    for (const auto& hook : it->second) hook(stored, p, record);
  return record;
}

void RecordService::OnRender(const std::string& entity, RenderHook hook) {
  render_hooks_[entity].push_back(std::move(hook));
}

void RecordService::OnCreate(const std::string& entity, CreateHook hook) {
  create_hooks_[entity].push_back(std::move(hook));
}

void RecordService::CreateAsync(const Principal& p, const std::string& entity, const json& body,
                                const IdempotencyKey* idem,
                                std::function<void(Result<CreateResult>)> done) {
  // Everything that does not need the database runs here, on the caller's thread; the write
  // function is a few prepared statements for the single writer.
  auto prepared = PrepareCreate(p, entity, body);
  if (!prepared.ok()) return done(prepared.status());
  std::shared_ptr<PreparedCreate> c = *prepared;
  Finalize(*c);
  struct State {
    std::optional<IdempotencyKey> idem;
    std::string record_text;
    CreateResult out;
  };
  auto st = std::make_shared<State>();
  if (idem) {
    st->idem = *idem;
    st->record_text = c->record.dump();
  }
  db_.WriteAsync(
      [this, st, c](Tx& tx) -> Status {
        st->out.replayed = false;
        if (st->idem) {
          LF_ASSIGN(auto prior, ClaimIdempotency(tx, c->actor.tenant_id, *st->idem, 201,
                                                 st->record_text, c->now));
          if (prior) {
            st->out.record = std::move(prior->body);
            st->out.replayed = true;
            return Status::Ok();
          }
        }
        return ApplyCreate(tx, *c);
      },
      [st, c, done = std::move(done)](Status status) {
        if (!status.ok()) return done(status);
        if (!st->out.replayed) st->out.record = c->record;
        done(std::move(st->out));
      });
}

Result<json> RecordService::Load(Connection& c, const Principal& p, const std::string& entity,
                                 const std::string& id) {
  LF_ASSIGN(auto schema, SchemaFor(p));
  LF_ASSIGN(const Entity* e, FindEntity(*schema, entity));
  if (!IsUuid(id)) return RecordNotFound(*e);
  LF_ASSIGN(auto rows, c.Query("SELECT " + SelectList(*e) + " FROM " + e->def->name +
                                   " WHERE tenant_id = ? AND id = ?",
                               {p.tenant_id, id}));
  if (rows.empty()) return RecordNotFound(*e);
  return Render(*e, RowToStored(*e, rows.rows[0]), p);
}

Result<json> RecordService::Get(const Principal& p, const std::string& entity,
                                const std::string& id) {
  json out;
  Status st = db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(out, Load(c, p, entity, id));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<json> RecordService::List(const Principal& p, const std::string& entity,
                                 const QueryParams& query) {
  LF_ASSIGN(auto schema, SchemaFor(p));
  LF_ASSIGN(const Entity* e, FindEntity(*schema, entity));
  LF_ASSIGN(ListPlan plan, PlanList(*e, db_.dialect(), p.tenant_id, query));
  json items = json::array();
  std::optional<int64_t> total;
  std::string next_cursor;
  Status st = db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query("SELECT " + SelectList(*e) + " FROM " + e->def->name + " WHERE " +
                                     plan.where + plan.page_where + " ORDER BY " + plan.order_by +
                                     " LIMIT ?",
                                 [&] {
                                   auto params = plan.params;
                                   params.insert(params.end(), plan.page_params.begin(),
                                                 plan.page_params.end());
                                   params.push_back(int64_t(plan.limit + 1));
                                   return params;
                                 }()));
    size_t n = std::min(rows.rows.size(), size_t(plan.limit));
    for (size_t i = 0; i < n; ++i)
      items.push_back(Render(*e, RowToStored(*e, rows.rows[i]), p));
    if (rows.rows.size() > size_t(plan.limit))
      next_cursor = EncodeCursor(plan, *e, rows.rows[n - 1]);
    if (plan.with_total) {
      LF_ASSIGN(auto cnt, c.Query("SELECT COUNT(*) FROM " + e->def->name + " WHERE " + plan.where,
                                  plan.params));
      total = AsInt(cnt.rows[0][0]);
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  json out = {{"items", std::move(items)},
              {"next_cursor", next_cursor.empty() ? json(nullptr) : json(next_cursor)}};
  if (total) out["total"] = *total;
  return out;
}

Result<json> RecordService::Update(const Principal& p, const std::string& entity,
                                   const std::string& id, const json& body,
                                   std::optional<int64_t> if_match) {
  LF_ASSIGN(auto schema, SchemaFor(p));
  LF_ASSIGN(const Entity* e, FindEntity(*schema, entity));
  if (!IsUuid(id)) return RecordNotFound(*e);
  LF_ASSIGN(json values, DecodeBody(*e, body, false));
  int64_t now = clock_.NowMs();
  return db_.WriteResult<json>([&](Tx& tx) -> Result<json> {
    LF_ASSIGN(auto rows, tx.Query("SELECT " + SelectList(*e) + " FROM " + e->def->name +
                                      " WHERE tenant_id = ? AND id = ?",
                                  {p.tenant_id, id}));
    if (rows.empty()) return RecordNotFound(*e);
    json current = RowToStored(*e, rows.rows[0]);
    int64_t version = current["version"].get<int64_t>();
    if (if_match && *if_match != version)
      return Status::Error(ErrorKind::kPreconditionFailed, "precondition.version_mismatch",
                           "the record changed since you read it (version " +
                               std::to_string(*if_match) + ", now " + std::to_string(version) + ")",
                           "记录已被他人修改(您读取的是版本 " + std::to_string(*if_match) +
                               ",当前为 " + std::to_string(version) + "),请刷新后重试");
    if (!current["archived_at"].is_null())
      return Status::Error(ErrorKind::kConflict, "record.archived",
                           "the record is archived; unarchive it first", "记录已归档,请先恢复");
    json changes = json::array();
    json changed_values = json::object();
    for (auto it = values.begin(); it != values.end(); ++it) {
      if (current[it.key()] == *it) continue;
      changes.push_back({{"field", it.key()}, {"old", current[it.key()]}, {"new", *it}});
      changed_values[it.key()] = *it;
    }
    if (changes.empty()) return Render(*e, current, p);
    LF_TRY(CheckReferences(tx, p, *e, changed_values));
    std::string sets = "version = version + 1, updated_at = ?, updated_by = ?";
    std::vector<Value> params{now, p.user_id};
    json custom = json::object();
    bool custom_changed = false;
    for (const auto& f : e->fields)
      if (!f.builtin && !current[f.name].is_null()) custom[f.name] = current[f.name];
    for (auto it = changed_values.begin(); it != changed_values.end(); ++it) {
      const FieldDef* f = e->Find(it.key());
      if (f->builtin) {
        bool is_json = f->type == FieldType::kTags || f->type == FieldType::kMultiEnum;
        sets += ", " + f->name + " = " + (is_json ? db_.dialect().JsonParam() : "?");
        params.push_back(StoredToColumn(*f, *it));
      } else {
        custom_changed = true;
        if (it->is_null()) custom.erase(f->name);
        else custom[f->name] = *it;
      }
    }
    if (custom_changed) {
      sets += std::string(", custom = ") + db_.dialect().JsonParam();
      params.push_back(custom.dump());
    }
    params.insert(params.end(), {p.tenant_id, id, version});
    LF_ASSIGN(auto updated, tx.Query("UPDATE " + e->def->name + " SET " + sets +
                                         " WHERE tenant_id = ? AND id = ? AND version = ? "
                                         "RETURNING " + SelectList(*e),
                                     params));
    if (updated.empty())
      return Status::Error(ErrorKind::kPreconditionFailed, "precondition.version_mismatch",
                           "the record changed concurrently", "记录已被他人同时修改,请刷新后重试");
    LF_TRY(events_.Append(tx, p.tenant_id, p.user_id, e->def->singular + ".updated", e->def->name,
                          id, {{"changes", std::move(changes)}})
               .status());
    return Render(*e, RowToStored(*e, updated.rows[0]), p);
  });
}

Result<json> RecordService::Archive(const Principal& p, const std::string& entity,
                                    const std::string& id, const std::string& reason) {
  LF_ASSIGN(auto schema, SchemaFor(p));
  LF_ASSIGN(const Entity* e, FindEntity(*schema, entity));
  if (!IsUuid(id)) return RecordNotFound(*e);
  if (Utf8Length(reason) > 500)
    return Status::Error(ErrorKind::kValidation, "validation.too_long",
                         "reason is longer than 500 characters", "归档原因超过 500 字", "reason");
  int64_t now = clock_.NowMs();
  return db_.WriteResult<json>([&](Tx& tx) -> Result<json> {
    LF_ASSIGN(auto rows, tx.Query("UPDATE " + e->def->name +
                                      " SET archived_at = ?, archive_reason = ?, version = version "
                                      "+ 1, updated_at = ?, updated_by = ? WHERE tenant_id = ? AND "
                                      "id = ? AND archived_at IS NULL RETURNING " + SelectList(*e),
                                  {now, reason, now, p.user_id, p.tenant_id, id}));
    if (rows.empty()) {
      LF_ASSIGN(auto exists, tx.Query("SELECT " + SelectList(*e) + " FROM " + e->def->name +
                                          " WHERE tenant_id = ? AND id = ?",
                                      {p.tenant_id, id}));
      if (exists.empty()) return RecordNotFound(*e);
      return Render(*e, RowToStored(*e, exists.rows[0]), p);  // already archived
    }
    LF_TRY(events_.Append(tx, p.tenant_id, p.user_id, e->def->singular + ".archived", e->def->name,
                          id,
                          {{"reason", reason},
                           {"changes", json::array({{{"field", "archived_at"},
                                                     {"old", nullptr},
                                                     {"new", now}}})}})
               .status());
    return Render(*e, RowToStored(*e, rows.rows[0]), p);
  });
}

Result<json> RecordService::Unarchive(const Principal& p, const std::string& entity,
                                      const std::string& id) {
  LF_ASSIGN(auto schema, SchemaFor(p));
  LF_ASSIGN(const Entity* e, FindEntity(*schema, entity));
  if (!IsUuid(id)) return RecordNotFound(*e);
  int64_t now = clock_.NowMs();
  return db_.WriteResult<json>([&](Tx& tx) -> Result<json> {
    LF_ASSIGN(auto before, tx.Query("SELECT archived_at FROM " + e->def->name +
                                        " WHERE tenant_id = ? AND id = ?",
                                    {p.tenant_id, id}));
    if (before.empty()) return RecordNotFound(*e);
    LF_ASSIGN(auto rows, tx.Query("UPDATE " + e->def->name +
                                      " SET archived_at = NULL, archive_reason = NULL, version = "
                                      "version + 1, updated_at = ?, updated_by = ? WHERE tenant_id "
                                      "= ? AND id = ? RETURNING " + SelectList(*e),
                                  {now, p.user_id, p.tenant_id, id}));
    if (!IsNull(before.rows[0][0]))
      LF_TRY(events_.Append(tx, p.tenant_id, p.user_id, e->def->singular + ".unarchived",
                            e->def->name, id,
                            {{"changes", json::array({{{"field", "archived_at"},
                                                       {"old", before.rows[0][0] == Value(nullptr)
                                                                   ? json(nullptr)
                                                                   : json(AsInt(before.rows[0][0]))},
                                                       {"new", nullptr}}})}})
                 .status());
    return Render(*e, RowToStored(*e, rows.rows.at(0)), p);
  });
}

Result<json> RecordService::History(const Principal& p, const std::string& entity,
                                    const std::string& id) {
  LF_ASSIGN(auto schema, SchemaFor(p));
  LF_ASSIGN(const Entity* e, FindEntity(*schema, entity));
  if (!IsUuid(id)) return RecordNotFound(*e);
  json items = json::array();
  Status st = db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto exists, c.Query("SELECT 1 FROM " + e->def->name +
                                       " WHERE tenant_id = ? AND id = ?",
                                   {p.tenant_id, id}));
    if (exists.empty()) return RecordNotFound(*e);
    LF_ASSIGN(auto events, EventLog::ForRecord(c, p.tenant_id, e->def->name, id));
    LF_ASSIGN(auto users, c.Query("SELECT id, name FROM users WHERE tenant_id = ? AND id IN "
                                  "(SELECT DISTINCT actor_id FROM events WHERE tenant_id = ? AND "
                                  "entity = ? AND entity_id = ?)",
                                  {p.tenant_id, p.tenant_id, e->def->name, id}));
    std::map<std::string, std::string> names;
    for (auto& u : users.rows) names[AsText(u[0])] = AsText(u[1]);
    auto render = [&](const std::string& field, const json& v) -> json {
      const FieldDef* f = e->Find(field);
      return f ? StoredToApi(*f, v, p.zone) : v;
    };
    for (auto& ev : events) {
      json changes = json::array();
      if (ev.data.contains("values")) {
        for (auto it = ev.data["values"].begin(); it != ev.data["values"].end(); ++it) {
          const FieldDef* f = e->Find(it.key());
          if (!f || f->system) continue;
          changes.push_back({{"field", it.key()}, {"old", nullptr}, {"new", render(it.key(), *it)}});
        }
      } else if (ev.data.contains("changes")) {
        for (const auto& ch : ev.data["changes"]) {
          std::string field = ch.value("field", "");
          changes.push_back({{"field", field},
                             {"old", render(field, ch.value("old", json(nullptr)))},
                             {"new", render(field, ch.value("new", json(nullptr)))}});
        }
      }
      json item = {{"seq", ev.seq},
                   {"at", FormatRfc3339(ev.at, p.zone)},
                   {"type", ev.type},
                   {"actor", ev.actor_id.empty()
                                 ? json(nullptr)
                                 : json{{"id", ev.actor_id}, {"name", names[ev.actor_id]}}},
                   {"changes", std::move(changes)}};
      if (ev.data.contains("reason")) item["reason"] = ev.data["reason"];
      items.push_back(std::move(item));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return json{{"items", std::move(items)}};
}

Result<json> RecordService::AddField(const Principal& p, const std::string& entity,
                                     const json& body) {
  if (!p.Can(kPermSchemaManage))
    return Status::Error(ErrorKind::kPermissionDenied, "access.forbidden",
                         "adding fields needs the permission 'schema.manage'",
                         "添加字段需要 'schema.manage' 权限");
  LF_ASSIGN(auto schema, SchemaFor(p));
  LF_ASSIGN(const Entity* e, FindEntity(*schema, entity));
  LF_ASSIGN(NewField nf, ParseNewField(body));
  if (e->Find(nf.name) || nf.name == "custom" || nf.name == "tenant_id")
    return Status::Error(ErrorKind::kConflict, "schema.field_exists",
                         "field '" + nf.name + "' already exists on " + entity,
                         "字段 '" + nf.name + "' 已存在", "name");
  json options = nullptr;
  if (!nf.options.empty()) {
    options = json::array();
    for (const auto& o : nf.options)
      options.push_back({{"value", o.value}, {"label_zh", o.label_zh}, {"label_en", o.label_en}});
  }
  int64_t now = clock_.NowMs();
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_ASSIGN(auto pos, tx.Query("SELECT COUNT(*) FROM custom_fields WHERE tenant_id = ? AND "
                                 "entity = ?",
                                 {p.tenant_id, entity}));
    LF_ASSIGN(auto dup, tx.Query("SELECT 1 FROM custom_fields WHERE tenant_id = ? AND entity = ? "
                                 "AND name = ?",
                                 {p.tenant_id, entity, nf.name}));
    if (!dup.empty())
      return Status::Error(ErrorKind::kConflict, "schema.field_exists",
                           "field '" + nf.name + "' already exists on " + entity,
                           "字段 '" + nf.name + "' 已存在", "name");
    LF_TRY(tx.Exec(std::string("INSERT INTO custom_fields (tenant_id, entity, name, label_zh, "
                               "label_en, type, required, options, ref_entity, position, "
                               "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ") +
                       tx.dialect().JsonParam() + ", ?, ?, ?, ?)",
                   {p.tenant_id, entity, nf.name, nf.label_zh, nf.label_en, nf.type,
                    int64_t(nf.required), options.is_null() ? Value(nullptr) : Value(options.dump()),
                    nf.ref_entity.empty() ? Value(nullptr) : Value(nf.ref_entity),
                    AsInt(pos.rows[0][0]) + 1, now, p.user_id})
               .status());
    LF_TRY(tx.Exec("UPDATE tenants SET schema_version = schema_version + 1 WHERE id = ?",
                   {p.tenant_id})
               .status());
    return events_
        .Append(tx, p.tenant_id, p.user_id, "schema.field_added", "schema", entity,
                {{"field", nf.name}, {"type", nf.type}, {"label_zh", nf.label_zh}})
        .status();
  }));
  FieldDef f;
  f.name = nf.name;
  f.label_zh = nf.label_zh;
  f.label_en = nf.label_en;
  f.type = *ParseFieldType(nf.type);
  f.required = nf.required;
  f.builtin = false;
  f.options = nf.options;
  f.ref_entity = nf.ref_entity;
  return FieldToJson(f);
}

}  // namespace lf
