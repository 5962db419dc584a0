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

// Server-stamped times (FieldDef::stamp_when): set or cleared by the value written to their trigger.
void ApplyStamps(const TenantSchema::Entity& e, json& values, int64_t now) {
  for (const auto& f : e.fields) {
    if (f.stamp_when.empty() || values.contains(f.name)) continue;
    auto trigger = values.find(f.stamp_when);
    if (trigger == values.end()) continue;
    values[f.name] = trigger->is_string() && trigger->get<std::string>() == f.stamp_value ? json(now) : json(nullptr);
  }
}

// Checks that user and reference values name records of the same tenant, references ones the
// actor can read (no attaching to, or probing for, records outside one's access).
Status CheckReferences(Tx& tx, const Principal& p, const TenantSchema& s, const RowAccess& a,
                       const Entity& e, const json& values) {
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
      const Entity* target = s.Find(f->ref_entity);
      if (!target) continue;
      SqlClause can = a.policy->Predicate(s, *target, Action::kRead, tx.dialect(), a.now);
      std::vector<Value> params{p.tenant_id, it->get<std::string>()};
      params.insert(params.end(), can.params.begin(), can.params.end());
      LF_ASSIGN(auto r, tx.Query("SELECT 1 FROM " + f->ref_entity +
                                     " WHERE tenant_id = ? AND id = ?" +
                                     (can.sql.empty() ? "" : " AND (" + can.sql + ")"),
                                 params));
      if (r.empty())
        return Status::Error(ErrorKind::kValidation, "validation.unknown_reference",
                             "field '" + f->name + "': no such " + f->ref_entity,
                             "字段「" + f->label_zh + "」: 关联记录不存在", f->name);
    }
  }
  return Status::Ok();
}

Status AccessDenied(const Entity& e, Action a) {
  return Status::Error(ErrorKind::kPermissionDenied, "access.forbidden",
                       std::string("your role may not ") + ActionName(a) + " " + e.def->name,
                       std::string("您的角色没有「") + e.def->label_zh + "」的 " + ActionName(a) + " 权限");
}

// Refuses a change of owner to someone outside the actor's scope, and a change of tags that
// access rules depend on by anyone without access.manage (mass assignment).
Status CheckGuardedFields(Tx& tx, const Principal& p, const RowAccess& a, const Entity& e,
                          Action action, const json& changed, const json& old_tags) {
  if (changed.contains("owner_id") && changed["owner_id"].is_string() &&
      changed["owner_id"].get<std::string>() != p.user_id) {
    SqlClause in_scope = a.policy->UserInScope(e.def->name, action, "id");
    std::vector<Value> params{p.tenant_id, changed["owner_id"].get<std::string>()};
    params.insert(params.end(), in_scope.params.begin(), in_scope.params.end());
    LF_ASSIGN(auto r, tx.Query("SELECT 1 FROM users WHERE tenant_id = ? AND id = ?" +
                                   (in_scope.sql.empty() ? "" : " AND (" + in_scope.sql + ")"),
                               params));
    if (r.empty())
      return Status::Error(ErrorKind::kPermissionDenied, "access.owner_out_of_scope",
                           "you may not hand this record to that user", "您无权将记录指派给该用户",
                           "owner_id");
  }
  if (changed.contains("tags") && !a.policy->ProtectedTags().empty() &&
      !p.Can(kPermAccessManage)) {
    std::set<std::string> before, after;
    for (const auto& t : old_tags) if (t.is_string()) before.insert(t.get<std::string>());
    for (const auto& t : changed["tags"]) if (t.is_string()) after.insert(t.get<std::string>());
    for (const auto& tag : a.policy->ProtectedTags())
      if (before.count(tag) != after.count(tag))
        return Status::Error(ErrorKind::kPermissionDenied, "access.protected_tag",
                             "the tag '" + tag + "' controls access; only access managers change it",
                             "标签「" + tag + "」用于访问控制,只有权限管理员可以修改", "tags");
  }
  return Status::Ok();
}

}  // namespace

Result<RowAccess> RecordService::AccessFor(const Principal& p, const TenantSchema& s,
                                           const TenantSchema::Entity& e, Action a) {
  RowAccess out;
  LF_ASSIGN(out.policy, access_.For(p));
  if (!out.policy->Allows(e.def->name, a)) return AccessDenied(e, a);
  out.now = clock_.NowMs();
  out.disjuncts = out.policy->Disjuncts(s, e, a == Action::kCreate ? Action::kRead : a, db_.dialect(), out.now);
  out.predicate = AnyOf(out.disjuncts);
  if (!out.policy->UnmasksAll()) out.hidden = out.policy->Sensitive(e.def->name);
  return out;
}

Status RecordService::LogRevealed(const Principal& p, const RowAccess& a, const std::string& entity,
                                  const std::vector<std::string>& ids,
                                  const std::set<std::string>& revealed) {
  if (revealed.empty() || ids.empty()) return Status::Ok();
  return access_.LogUnmaskedRead(p, entity, ids, revealed,
                                 a.policy->UnmasksAll() ? "permission" : "access_request");
}

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
  LF_ASSIGN(c->access, AccessFor(p, *c->schema, *e, Action::kCreate));
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
  ApplyStamps(*e, values, c->now);
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
  c.record = Render(*e, c.values, c.actor, c.access, nullptr);
  c.event_data = {{"values", std::move(set_values)}};
  for (auto it = c.event_extra.begin(); it != c.event_extra.end(); ++it) c.event_data[it.key()] = *it;
  c.event_text = c.event_data.dump();
}

Status RecordService::ApplyCreate(Tx& tx, const PreparedCreate& c) {
  LF_TRY(CheckReferences(tx, c.actor, *c.schema, c.access, *c.entity, c.values));
  LF_TRY(CheckGuardedFields(tx, c.actor, c.access, *c.entity, Action::kCreate, c.values, json::array()));
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

json RecordService::Render(const TenantSchema::Entity& e, const json& stored, const Principal& p,
                           const RowAccess& access, std::set<std::string>* revealed) {
  json record = StoredToRecord(e, stored, p.zone);
  ApplyRenderHooks(e, stored, p, record);
  const auto& sensitive = access.policy->Sensitive(e.def->name);
  if (sensitive.empty()) return record;
  std::set<std::string> masked =
      access.policy->MaskedFields(e.def->name, stored.value("id", ""), access.now);
  json list = json::array();
  for (const auto& name : sensitive) {
    const FieldDef* f = e.Find(name);
    if (!f || !record.contains(name)) continue;
    if (masked.count(name)) {
      record[name] = MaskValue(*f, record[name]);
      list.push_back(name);
    } else if (revealed && !record[name].is_null()) {
      revealed->insert(name);
    }
  }
  record["_masked"] = std::move(list);
  return record;
}

void RecordService::ApplyRenderHooks(const TenantSchema::Entity& e, const json& stored, const Principal& p,
                                     json& record) const {
  if (auto it = render_hooks_.find(e.def->name); it != render_hooks_.end())
    for (const auto& hook : it->second) hook(stored, p, record);
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

Result<json> RecordService::LoadAs(Connection& c, const Principal& p, const Entity& e,
                                   const RowAccess& access, const std::string& id,
                                   std::set<std::string>* revealed) {
  if (!IsUuid(id)) return RecordNotFound(e);
  std::vector<Value> params{p.tenant_id, id};
  params.insert(params.end(), access.predicate.params.begin(), access.predicate.params.end());
  LF_ASSIGN(auto rows, c.Query("SELECT " + SelectList(e) + " FROM " + e.def->name +
                                   " WHERE tenant_id = ? AND id = ?" + access.AndSql(),
                               params));
  if (rows.empty()) return RecordNotFound(e);
  return Render(e, RowToStored(e, rows.rows[0]), p, access, revealed);
}

Result<json> RecordService::Load(Connection& c, const Principal& p, const std::string& entity,
                                 const std::string& id, std::set<std::string>* revealed) {
  LF_ASSIGN(auto schema, SchemaFor(p));
  LF_ASSIGN(const Entity* e, FindEntity(*schema, entity));
  LF_ASSIGN(RowAccess access, AccessFor(p, *schema, *e, Action::kRead));
  return LoadAs(c, p, *e, access, id, revealed);
}

Result<json> RecordService::Get(const Principal& p, const std::string& entity,
                                const std::string& id) {
  // Schema and policy before the read: no nested reads (they can exhaust the read pool).
  LF_ASSIGN(auto schema, SchemaFor(p));
  LF_ASSIGN(const Entity* e, FindEntity(*schema, entity));
  LF_ASSIGN(RowAccess access, AccessFor(p, *schema, *e, Action::kRead));
  json out;
  std::set<std::string> revealed;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(out, LoadAs(c, p, *e, access, id, &revealed));
    return Status::Ok();
  }));
  LF_TRY(LogRevealed(p, access, e->def->name, {id}, revealed));
  return out;
}

Result<json> RecordService::List(const Principal& p, const std::string& entity,
                                 const QueryParams& query) {
  LF_ASSIGN(auto schema, SchemaFor(p));
  LF_ASSIGN(const Entity* e, FindEntity(*schema, entity));
  LF_ASSIGN(RowAccess access, AccessFor(p, *schema, *e, Action::kRead));
  LF_ASSIGN(ListPlan plan, PlanList(*e, db_.dialect(), p.tenant_id, query, access, clock_.NowMs()));
  json items = json::array();
  std::optional<int64_t> total;
  std::string next_cursor;
  std::set<std::string> revealed;
  std::vector<std::string> ids;
  Status st = db_.Read([&](Connection& c) -> Status {
    // One ordered, limited branch per access disjunct, merged: each branch can walk its own index
    // (owner, pool, granted ids) instead of one scan filtering an OR.
    std::string sql;
    std::vector<Value> params;
    const std::string cols = SelectList(*e);
    auto branch = [&](const SqlClause* d) {
      std::string s = "SELECT " + cols + " FROM " + e->def->name + " WHERE " + plan.base_where +
                      (d && !d->sql.empty() ? " AND (" + d->sql + ")" : "") + plan.page_where +
                      " ORDER BY " + plan.order_by + " LIMIT ?";
      params.insert(params.end(), plan.base_params.begin(), plan.base_params.end());
      if (d) params.insert(params.end(), d->params.begin(), d->params.end());
      params.insert(params.end(), plan.page_params.begin(), plan.page_params.end());
      params.push_back(int64_t(plan.limit + 1));
      return s;
    };
    if (access.disjuncts.size() <= 1) {
      sql = branch(access.disjuncts.empty() ? nullptr : &access.disjuncts[0]);
    } else {
      for (size_t i = 0; i < access.disjuncts.size(); ++i)
        sql += (i ? " UNION SELECT * FROM (" : "SELECT * FROM (") + branch(&access.disjuncts[i]) + ") b" + std::to_string(i);
      sql = "SELECT * FROM (" + sql + ") merged ORDER BY " + plan.order_by + " LIMIT ?";
      params.push_back(int64_t(plan.limit + 1));
    }
    LF_ASSIGN(auto rows, c.Query(sql, params));
    size_t n = std::min(rows.rows.size(), size_t(plan.limit));
    for (size_t i = 0; i < n; ++i) {
      items.push_back(Render(*e, RowToStored(*e, rows.rows[i]), p, access, &revealed));
      ids.push_back(AsText(rows.rows[i][0]));
    }
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
  LF_TRY(LogRevealed(p, access, e->def->name, ids, revealed));
  json out = {{"items", std::move(items)},
              {"next_cursor", next_cursor.empty() ? json(nullptr) : json(next_cursor)}};
  if (total) out["total"] = *total;
  return out;
}

Result<PreparedUpdate> RecordService::PrepareUpdate(const Principal& p, const std::string& entity,
                                                    const std::string& id, const json& body,
                                                    std::optional<int64_t> if_match) {
  PreparedUpdate u;
  u.actor = p;
  LF_ASSIGN(u.schema, SchemaFor(p));
  LF_ASSIGN(u.entity, FindEntity(*u.schema, entity));
  LF_ASSIGN(u.access, AccessFor(p, *u.schema, *u.entity, Action::kUpdate));
  {
    LF_ASSIGN(RowAccess read, AccessFor(p, *u.schema, *u.entity, Action::kRead));
    u.read_access = std::move(read);
  }
  if (!IsUuid(id)) return RecordNotFound(*u.entity);
  u.id = id;
  LF_ASSIGN(u.values, DecodeBody(*u.entity, body, false));
  u.if_match = if_match;
  u.now = clock_.NowMs();
  ApplyStamps(*u.entity, u.values, u.now);
  return u;
}

Result<json> RecordService::Update(const Principal& p, const std::string& entity,
                                   const std::string& id, const json& body,
                                   std::optional<int64_t> if_match) {
  LF_ASSIGN(PreparedUpdate u, PrepareUpdate(p, entity, id, body, if_match));
  return db_.WriteResult<json>([&](Tx& tx) -> Result<json> { return ApplyUpdate(tx, u, nullptr); });
}

Result<json> RecordService::ApplyUpdate(Tx& tx, const PreparedUpdate& u, bool* changed) {
  const Principal& p = u.actor;
  const Entity* e = u.entity;
  const RowAccess& access = u.access;
  const json& values = u.values;
  const std::string& id = u.id;
  const std::optional<int64_t>& if_match = u.if_match;
  int64_t now = u.now;
  if (changed) *changed = false;
  {

    // Readable but not writable → 403; not readable → 404 (existence is not confirmed).
    LF_ASSIGN(auto rows, tx.Query("SELECT " + SelectList(*e) + " FROM " + e->def->name +
                                      " WHERE tenant_id = ? AND id = ?" + access.AndSql(),
                                  [&] {
                                    std::vector<Value> params{p.tenant_id, id};
                                    params.insert(params.end(), access.predicate.params.begin(),
                                                  access.predicate.params.end());
                                    return params;
                                  }()));
    if (rows.empty()) {
      const RowAccess& read = u.read_access;
      std::vector<Value> params{p.tenant_id, id};
      params.insert(params.end(), read.predicate.params.begin(), read.predicate.params.end());
      LF_ASSIGN(auto visible, tx.Query("SELECT 1 FROM " + e->def->name +
                                           " WHERE tenant_id = ? AND id = ?" + read.AndSql(),
                                       params));
      if (visible.empty()) return RecordNotFound(*e);
      return AccessDenied(*e, Action::kUpdate);
    }
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
    if (changes.empty()) return Render(*e, current, p, access, nullptr);
    LF_TRY(CheckReferences(tx, p, *u.schema, access, *e, changed_values));
    LF_TRY(CheckGuardedFields(tx, p, access, *e, Action::kUpdate, changed_values, current["tags"]));
    for (auto it = changed_values.begin(); it != changed_values.end(); ++it)
      if (const FieldDef* f = e->Find(it.key()); !f->changed_by.empty())
        return Status::Error(ErrorKind::kValidation, "validation.changed_by_action",
                             "'" + f->name + "' changes only through the '" + f->changed_by + "' action (POST /api/v1/" +
                                 e->def->name + "/{id}/" + f->changed_by + ")",
                             "「" + f->label_zh + "」只能通过专门操作更改(" + f->changed_by + "),不能直接修改",
                             f->name);
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
                          id, [&] {
                            json data = u.event_extra;
                            data["changes"] = std::move(changes);
                            return data;
                          }())
               .status());
    if (changed) *changed = true;
    return Render(*e, RowToStored(*e, updated.rows[0]), p, access, nullptr);
    }
}

Result<std::optional<json>> RecordService::LoadStored(Connection& c, const Principal& p,
                                                      const std::string& entity,
                                                      const std::string& id) {
  LF_ASSIGN(auto schema, SchemaFor(p));
  LF_ASSIGN(const Entity* e, FindEntity(*schema, entity));
  LF_ASSIGN(RowAccess access, AccessFor(p, *schema, *e, Action::kRead));
  if (!IsUuid(id)) return std::optional<json>();
  std::vector<Value> params{p.tenant_id, id};
  params.insert(params.end(), access.predicate.params.begin(), access.predicate.params.end());
  LF_ASSIGN(auto rows, c.Query("SELECT " + SelectList(*e) + " FROM " + e->def->name +
                                   " WHERE tenant_id = ? AND id = ?" + access.AndSql(),
                               params));
  if (rows.empty()) return std::optional<json>();
  return std::optional<json>(RowToStored(*e, rows.rows[0]));
}

Status RecordService::ScanStored(Connection& c, const Principal& p, const std::string& entity,
                                 int limit, const std::function<bool(const json&)>& fn) {
  LF_ASSIGN(auto schema, SchemaFor(p));
  LF_ASSIGN(const Entity* e, FindEntity(*schema, entity));
  LF_ASSIGN(RowAccess access, AccessFor(p, *schema, *e, Action::kRead));
  std::vector<Value> params{p.tenant_id};
  params.insert(params.end(), access.predicate.params.begin(), access.predicate.params.end());
  params.push_back(int64_t(limit));
  return c.ForEach("SELECT " + SelectList(*e) + " FROM " + e->def->name +
                       " WHERE tenant_id = ? AND archived_at IS NULL" + access.AndSql() +
                       " ORDER BY created_at DESC, id DESC LIMIT ?",
                   params, [&](const std::vector<std::string>&, const Row& r) {
                     return fn(RowToStored(*e, r));
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
  LF_ASSIGN(RowAccess access, AccessFor(p, *schema, *e, Action::kArchive));
  int64_t now = clock_.NowMs();
  auto with_access = [&](std::vector<Value> params) {
    params.insert(params.end(), access.predicate.params.begin(), access.predicate.params.end());
    return params;
  };
  return db_.WriteResult<json>([&](Tx& tx) -> Result<json> {
    LF_ASSIGN(auto rows, tx.Query("UPDATE " + e->def->name +
                                      " SET archived_at = ?, archive_reason = ?, version = version "
                                      "+ 1, updated_at = ?, updated_by = ? WHERE tenant_id = ? AND "
                                      "id = ? AND archived_at IS NULL" + access.AndSql() +
                                      " RETURNING " + SelectList(*e),
                                  with_access({now, reason, now, p.user_id, p.tenant_id, id})));
    if (rows.empty()) {
      LF_ASSIGN(auto exists, tx.Query("SELECT " + SelectList(*e) + " FROM " + e->def->name +
                                          " WHERE tenant_id = ? AND id = ?" + access.AndSql(),
                                      with_access({p.tenant_id, id})));
      if (exists.empty()) return RecordNotFound(*e);
      return Render(*e, RowToStored(*e, exists.rows[0]), p, access, nullptr);  // already archived
    }
    LF_TRY(events_.Append(tx, p.tenant_id, p.user_id, e->def->singular + ".archived", e->def->name,
                          id,
                          {{"reason", reason},
                           {"changes", json::array({{{"field", "archived_at"},
                                                     {"old", nullptr},
                                                     {"new", now}}})}})
               .status());
    return Render(*e, RowToStored(*e, rows.rows[0]), p, access, nullptr);
  });
}

Result<json> RecordService::Unarchive(const Principal& p, const std::string& entity,
                                      const std::string& id) {
  LF_ASSIGN(auto schema, SchemaFor(p));
  LF_ASSIGN(const Entity* e, FindEntity(*schema, entity));
  if (!IsUuid(id)) return RecordNotFound(*e);
  LF_ASSIGN(RowAccess access, AccessFor(p, *schema, *e, Action::kArchive));
  int64_t now = clock_.NowMs();
  return db_.WriteResult<json>([&](Tx& tx) -> Result<json> {
    std::vector<Value> params{p.tenant_id, id};
    params.insert(params.end(), access.predicate.params.begin(), access.predicate.params.end());
    LF_ASSIGN(auto before, tx.Query("SELECT archived_at FROM " + e->def->name +
                                        " WHERE tenant_id = ? AND id = ?" + access.AndSql(),
                                    params));
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
    return Render(*e, RowToStored(*e, rows.rows.at(0)), p, access, nullptr);
  });
}

Result<json> RecordService::History(const Principal& p, const std::string& entity,
                                    const std::string& id) {
  LF_ASSIGN(auto schema, SchemaFor(p));
  LF_ASSIGN(const Entity* e, FindEntity(*schema, entity));
  if (!IsUuid(id)) return RecordNotFound(*e);
  LF_ASSIGN(RowAccess access, AccessFor(p, *schema, *e, Action::kRead));
  std::set<std::string> masked = access.policy->MaskedFields(e->def->name, id, access.now);
  json items = json::array();
  Status st = db_.Read([&](Connection& c) -> Status {
    std::vector<Value> params{p.tenant_id, id};
    params.insert(params.end(), access.predicate.params.begin(), access.predicate.params.end());
    LF_ASSIGN(auto exists, c.Query("SELECT 1 FROM " + e->def->name +
                                       " WHERE tenant_id = ? AND id = ?" + access.AndSql(),
                                   params));
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
      if (!f) return v;
      json shown = StoredToApi(*f, v, p.zone);
      return masked.count(field) ? MaskValue(*f, shown) : shown;
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
      if (ev.data.contains("caused_by") && ev.data["caused_by"].is_object())  // done by a rule
        item["caused_by"] = {{"rule_id", ev.data["caused_by"].value("rule_id", "")},
                             {"rule_name", ev.data["caused_by"].value("rule_name", "")}};
      if (ev.data.contains("intake") && ev.data["intake"].is_object()) {  // came in through an intake source
        const json& in = ev.data["intake"];
        // The raw payload holds what the fields hold: only for a reader who sees every field unmasked.
        item["intake"] = {{"source_id", in.value("source_id", "")}, {"source_name", in.value("source_name", "")},
                          {"raw", masked.empty() ? in.value("raw", json(nullptr)) : json(nullptr)}};
      }
      for (const char* k : {"channel", "first_touch", "via"})  // what a repeat (a touch) came through
        if (ev.type.ends_with(".touched") && ev.data.contains(k)) item[k] = ev.data[k];
      if (ev.data.contains("document_id"))  // <singular>.document_sent / attachment_added
        item["document"] = {{"id", ev.data["document_id"]}, {"name", ev.data.value("name", "")}};
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
