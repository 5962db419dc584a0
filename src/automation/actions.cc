// Implements automation/actions.h.
#include "automation/actions.h"

#include "automation/alerts.h"
#include "base/crypto.h"
#include "documents/document_store.h"
#include "rules/rule_def.h"

namespace lf::automation {
namespace {

using json = nlohmann::json;

// The entity's field of type tags (resolved through the schema, not by name).
const FieldDef* TagsField(const TenantSchema::Entity& e) {
  for (const auto& f : e.fields)
    if (f.type == FieldType::kTags) return &f;
  return nullptr;
}

json NewTags(const json& action, const json& current, bool add) {
  json tags = current.is_array() ? current : json::array();
  for (const auto& t : action["tags"]) {
    auto it = std::find(tags.begin(), tags.end(), t);
    if (add && it == tags.end()) tags.push_back(t);
    if (!add && it != tags.end()) tags.erase(it);
  }
  return tags;
}

bool Transient(const Status& s) {
  return s.kind() == ErrorKind::kUnavailable || s.kind() == ErrorKind::kInternal;
}

}  // namespace

json ActionRunner::CausedBy(const ActionCall& call) const {
  return {{"rule_id", call.rule->id}, {"rule_name", call.rule->name}, {"event_seq", call.key_seq},
          {"depth", call.depth}};
}

Status ActionRunner::RecordFiring(Tx& tx, const ActionCall& call, const json& action, const ActionOutcome& o,
                                  bool* inserted) {
  const char* conflict = " ON CONFLICT DO NOTHING";
  std::string jp = tx.dialect().JsonParam();
  LF_ASSIGN(auto n, tx.Exec("INSERT INTO rule_firings (tenant_id, rule_id, event_seq, action_index, entity, "
                            "record_id, action, status, result, at) VALUES (?, ?, ?, ?, ?, ?, " + jp + ", ?, " +
                                jp + ", ?)" + conflict,
                            {call.actor->tenant_id, call.rule->id, call.key_seq, int64_t(call.index), call.entity,
                             call.record_id, action.dump(), o.status, o.result.dump(), clock_.NowMs()}));
  *inserted = n > 0;
  return Status::Ok();
}

Result<std::string> ActionRunner::SupervisorOf(Connection& c, const std::string& tenant_id, const std::string& user_id) {
  LF_ASSIGN(auto u, c.Query("SELECT manager_id, department_id FROM users WHERE tenant_id = ? AND id = ?",
                            {tenant_id, user_id}));
  if (u.empty()) return std::string();
  if (!IsNull(u.rows[0][0]) && AsText(u.rows[0][0]) != user_id) return AsText(u.rows[0][0]);
  std::string dept = AsText(u.rows[0][1]);
  for (int guard = 0; !dept.empty() && guard < 32; ++guard) {
    LF_ASSIGN(auto d, c.Query("SELECT head_user_id, parent_id FROM departments WHERE tenant_id = ? AND id = ?",
                              {tenant_id, dept}));
    if (d.empty()) break;
    if (!IsNull(d.rows[0][0]) && AsText(d.rows[0][0]) != user_id) return AsText(d.rows[0][0]);
    dept = IsNull(d.rows[0][1]) ? "" : AsText(d.rows[0][1]);
  }
  return std::string();
}

Result<PreparedAction> ActionRunner::Prepare(const ActionCall& call) {
  PreparedAction a;
  a.call = call;
  const json& action = call.rule->def.actions[call.index];
  const std::string type = action["type"].get<std::string>();
  const json& stored = *call.stored;
  if (stored.contains("owner_id") && stored["owner_id"].is_string()) a.owner = stored["owner_id"].get<std::string>();
  a.preset = {"done", json::object()};
  Status st = Status::Ok();
  if (call.silent && rules::HeldInSilentPeriod(action)) {
    a.preset = {"suppressed", {{"reason", "silent_period"}, {"silent_until", stored.value("silent_until", json())}}};
  } else if (type == "set_color" || type == "add_tags" || type == "remove_tags" ||
             (type == "assign" && call.entity != "leads")) {
    st = PrepareChange(a);
  } else if (type == "create_task") {
    st = PrepareTask(a);
  } else if (type == "alert" || type == "notify" || type == "escalate" || type == "send_document" ||
             type == "webhook") {
    st = PrepareMessage(a);
  }
  if (!st.ok()) {
    if (Transient(st)) return st;
    a.preset = {"failed", {{"error", st.ToString()}}};
  }
  return a;
}

Status ActionRunner::PrepareChange(PreparedAction& a) {
  const ActionCall& call = a.call;
  const json& action = call.rule->def.actions[call.index];
  const std::string type = action["type"].get<std::string>();
  json body;
  if (type == "set_color") {
    body = {{"color", action["color"]}};
  } else if (type == "assign") {
    body = {{"owner_id", action["user_id"]}};
  } else {
    LF_ASSIGN(auto schema, records_.SchemaFor(*call.actor));
    const auto* e = schema->Find(call.entity);
    a.tags_field = e ? TagsField(*e) : nullptr;
    if (!a.tags_field)
      return Status::Error(ErrorKind::kValidation, "rules.bad_action", "the record has no tags field", "该记录没有标签字段");
    // The final list is computed inside the write from the tags as they are then.
    body = {{a.tags_field->name, NewTags(action, call.stored->value(a.tags_field->name, json()), type == "add_tags")}};
  }
  LF_ASSIGN(a.update, records_.PrepareUpdate(*call.actor, call.entity, call.record_id, body, std::nullopt));
  a.update->event_extra["caused_by"] = CausedBy(call);
  return Status::Ok();
}

namespace {

// A task for `owner` about the record, due after `due` ("2h", "1d"), linked to the record when
// tasks have a reference to its entity.
json TaskBody(const TenantSchema& schema, const ActionCall& call, const std::string& title, const std::string& description,
              const std::string& due, const std::string& owner, int64_t now, int64_t* due_at) {
  int64_t amount = 0;
  char unit = 'h';
  rules::ParseDelay(due, &amount, &unit);
  *due_at = rules::AddDelay(now, amount, unit, call.actor->zone);
  json body = {{"title", title}, {"due_at", FormatRfc3339(*due_at, call.actor->zone)}};
  if (!description.empty()) body["description"] = description;
  if (!owner.empty()) body["owner_id"] = owner;
  const auto* tasks = schema.Find("tasks");
  const FieldDef* link = tasks ? tasks->Find(call.singular + "_id") : nullptr;
  if (link && link->type == FieldType::kReference && link->ref_entity == call.entity) body[link->name] = call.record_id;
  return body;
}

bool HasVariables(const json& action) {
  for (const char* key : {"title", "text", "description"})
    if (action.contains(key) && action[key].get<std::string>().find("{{") != std::string::npos) return true;
  return false;
}

}  // namespace

Status ActionRunner::PrepareTask(PreparedAction& a) {
  const ActionCall& call = a.call;
  const json& action = call.rule->def.actions[call.index];
  LF_ASSIGN(auto schema, records_.SchemaFor(*call.actor));
  std::string title = action["title"].get<std::string>(), description = action.value("description", "");
  if (HasVariables(action)) {
    LF_TRY(PrepareMessage(a));  // renders title (and text ← description) with the record's values
    title = a.title;
    description = a.text;
  }
  int64_t due_at = 0;
  json body = TaskBody(*schema, call, title, description, action["due"].get<std::string>(), a.owner, clock_.NowMs(), &due_at);
  LF_ASSIGN(a.create, records_.PrepareCreate(*call.actor, "tasks", body));
  a.create->event_extra["caused_by"] = CausedBy(call);
  records_.Finalize(*a.create);
  a.preset.result = {{"task_id", a.create->id}, {"due_at", FormatRfc3339(due_at, call.actor->zone)}};
  return Status::Ok();
}

Status ActionRunner::LoadPeople(Connection& c, const Principal& actor, const TenantSchema::Entity& e,
                               const json& stored, const std::string& owner, People* out) {
  if (!owner.empty()) {
    LF_ASSIGN(out->supervisor, SupervisorOf(c, actor.tenant_id, owner));
  }
  if (out->supervisor.empty()) out->supervisor = actor.user_id;  // no one above the owner: the admin
  std::vector<Value> params{actor.tenant_id};
  std::string in;
  auto add = [&](const std::string& id) {
    if (id.empty()) return;
    in += in.empty() ? "?" : ", ?";
    params.push_back(id);
  };
  add(owner);
  add(out->supervisor);
  for (const auto& f : e.fields)
    if (f.type == FieldType::kUser && stored.contains(f.name) && stored[f.name].is_string())
      add(stored[f.name].get<std::string>());
  LF_TRY(c.ForEach("SELECT id, name, email, phone FROM users WHERE tenant_id = ? AND id IN (" + in + ")", params,
                   [&](const std::vector<std::string>&, const Row& r) {
                     out->users[AsText(r[0])] = {AsText(r[1]), AsText(r[2]), AsText(r[3])};
                     return true;
                   }));
  out->loaded = true;
  return Status::Ok();
}

Status ActionRunner::PrepareMessage(PreparedAction& a) {
  const ActionCall& call = a.call;
  const Principal& actor = *call.actor;
  const json& action = call.rule->def.actions[call.index];
  const std::string type = action["type"].get<std::string>();
  const std::string channel = action.value("channel", type == "webhook" ? "webhook" : "in_app");
  LF_ASSIGN(auto schema, records_.SchemaFor(actor));
  const auto* e = schema->Find(call.entity);
  if (!e) return Status::NotFound("entity");
  LF_ASSIGN(RowAccess access, records_.AccessFor(actor, *schema, *e, Action::kRead));
  MessageContext ctx;
  ctx.entity = e;
  ctx.stored = call.stored;
  ctx.sensitive = &access.policy->Sensitive(call.entity);
  ctx.owner_id = a.owner;
  ctx.rule_name = call.rule->name;
  ctx.now_ms = clock_.NowMs();
  ctx.zone = actor.zone;
  if (!public_url_.empty()) ctx.link = public_url_ + "/" + call.entity + "/" + call.record_id;
  std::optional<notify::Channel> target;
  std::optional<std::string> document;
  People local;
  People& people = call.people ? *call.people : local;  // loaded once per firing
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    if (!people.loaded) LF_TRY(LoadPeople(c, actor, *e, *call.stored, a.owner, &people));
    if (type == "webhook" || (type == "notify" && channel != "in_app")) {
      LF_ASSIGN(target, notify::ChannelStore::Resolve(c, actor.tenant_id, channel, action.value("channel_id", "")));
    }
    if (type == "send_document") {
      LF_ASSIGN(document, DocumentStore::NameOf(c, actor.tenant_id, action["document_id"].get<std::string>()));
    }
    return Status::Ok();
  }));
  const std::string& supervisor = people.supervisor;
  ctx.users = people.users;
  std::string to = action.value("to", type == "notify" ? "owner" : "supervisor");
  a.recipient = to == "owner" && !a.owner.empty() ? a.owner : supervisor;
  ctx.recipient_id = a.recipient;
  std::string title = action.value("title", type == "escalate" ? "请主管介入:{{rule.name}} · {{record.name}}" : call.rule->name);
  a.title = RenderMessage(title, ctx);
  if (action.contains("text")) a.text = RenderMessage(action["text"].get<std::string>(), ctx);
  else if (action.contains("description")) a.text = RenderMessage(action["description"].get<std::string>(), ctx);
  if (type == "escalate") {
    // The supervisor gets a task with a countdown and an alert (in Effect).
    a.recipient = supervisor;
    int64_t due_at = 0;
    json body = TaskBody(*schema, call, a.title, "", action.value("due", "24h"), supervisor, ctx.now_ms, &due_at);
    LF_ASSIGN(a.create, records_.PrepareCreate(actor, "tasks", body));
    a.create->event_extra["caused_by"] = CausedBy(call);
    records_.Finalize(*a.create);
    a.preset.result = {{"task_id", a.create->id}, {"supervisor_id", supervisor},
                       {"due_at", FormatRfc3339(due_at, actor.zone)}};
  } else if (type == "send_document") {
    if (!document)
      return Status::Error(ErrorKind::kValidation, "document.not_found", "the document is no longer in the library",
                           "资料库中已没有该资料");
    a.document_id = action["document_id"].get<std::string>();
    a.document_name = *document;
  } else if (type == "webhook" || (type == "notify" && channel != "in_app")) {
    if (!target && type == "notify" && !action.contains("channel_id")) {
      // The tenant has not set this channel up (a template's DingTalk step on a fresh install):
      // recorded, not an error.
      a.preset = {"not_delivered", {{"reason", "no " + channel + " channel configured"}, {"channel", channel}}};
      return Status::Ok();
    }
    if (!target || !target->enabled)
      return Status::Error(ErrorKind::kValidation, "notify.no_channel",
                           "no enabled " + channel + " channel: add one under notification channels",
                           "没有可用的 " + channel + " 通知渠道,请在「通知渠道」中配置");
    notify::NewDelivery d;
    d.tenant_id = actor.tenant_id;
    d.channel_id = target->id;
    d.kind = target->kind;
    d.rule_id = call.rule->id;
    d.rule_name = call.rule->name;
    d.event_seq = call.key_seq;
    d.entity = call.entity;
    d.record_id = call.record_id;
    d.recipient = type == "webhook" ? "webhook" : a.recipient;
    d.title = a.title;
    if (type == "webhook") {
      std::set<std::string> revealed;
      json record = records_.Render(*e, *call.stored, actor, access, &revealed);
      for (const auto& f : *ctx.sensitive)  // outside the app: always masked
        if (const FieldDef* fd = e->Find(f); fd && record.contains(f)) record[f] = MaskValue(*fd, (*call.stored).value(f, json()));
      d.payload = {{"body", {{"type", "rule.fired"}, {"rule", {{"id", call.rule->id}, {"name", call.rule->name}}},
                             {"event_seq", call.key_seq}, {"entity", call.entity}, {"record", record}}}};
    } else {
      if (a.text.empty()) a.text = DefaultMessageText(ctx);
      d.payload = {{"title", a.title}, {"text", a.text}};
      auto it = ctx.users.find(a.recipient);
      if (it != ctx.users.end() && target->kind == "dingtalk" && !it->second.phone.empty())
        d.payload["at_mobiles"] = {it->second.phone};
      if (it != ctx.users.end() && target->kind == "email" && !it->second.email.empty())
        d.payload["to"] = {it->second.email};
    }
    a.delivery = std::move(d);
  }
  return Status::Ok();
}

Result<ActionOutcome> ActionRunner::Effect(Tx& tx, const PreparedAction& a) {
  const ActionCall& call = a.call;
  const json& action = call.rule->def.actions[call.index];
  const std::string type = action["type"].get<std::string>();
  const Principal& actor = *call.actor;
  ActionOutcome o = a.preset;
  if (a.update) {
    PreparedUpdate u = *a.update;
    if (a.tags_field) {  // tags as they are now, not as they were read
      LF_ASSIGN(auto current, records_.LoadStored(tx.conn(), actor, call.entity, call.record_id));
      if (current) u.values[a.tags_field->name] = NewTags(action, current->value(a.tags_field->name, json()), type == "add_tags");
    }
    bool changed = false;
    LF_TRY(records_.ApplyUpdate(tx, u, &changed).status());
    if (!changed) o.status = "unchanged";
    return o;
  }
  if (a.create) LF_TRY(records_.ApplyCreate(tx, *a.create));  // create_task, escalate
  int64_t now = clock_.NowMs();
  if (type == "assign") {
    LF_TRY(assignment_.Apply(tx, actor, call.record_id, action["user_id"].get<std::string>(),
                             {{"kind", "rule"}, {"caused_by", CausedBy(call)}}));
  } else if (type == "alert" || type == "escalate") {
    NewAlert alert{actor.tenant_id, actor.user_id, type == "escalate" ? "escalation" : action["kind"].get<std::string>(),
                   action.value("severity", "warning"), a.title, call.entity, call.record_id, call.rule->id, a.owner,
                   a.recipient, CausedBy(call)};
    LF_ASSIGN(std::string id, RaiseAlert(tx, events_, alert, now));
    o.result["alert_id"] = id;
    o.result["supervisor_id"] = a.recipient;
  } else if (type == "notify" && !a.delivery) {
    json data = {{"title", a.title}, {"entity", call.entity}, {"record_id", call.record_id}, {"caused_by", CausedBy(call)}};
    if (!a.text.empty()) data["text"] = a.text;
    LF_TRY(events_.Append(tx, actor.tenant_id, actor.user_id, "notification.created", "users", a.recipient, data).status());
    o.result = {{"channel", "in_app"}, {"to", a.recipient}};
  } else if (a.delivery) {
    LF_ASSIGN(std::string id, deliveries_.Enqueue(tx, *a.delivery));
    o.result = {{"channel", a.delivery->kind}, {"channel_id", a.delivery->channel_id}, {"delivery_id", id},
                {"to", a.delivery->recipient}};
  } else if (type == "send_document") {
    LF_TRY(events_.Append(tx, actor.tenant_id, actor.user_id, call.singular + ".document_sent", call.entity,
                          call.record_id,
                          {{"document_id", a.document_id}, {"name", a.document_name}, {"caused_by", CausedBy(call)}})
               .status());
    o.result = {{"document_id", a.document_id}, {"name", a.document_name}};
  }
  return o;
}

Result<ActionOutcome> ActionRunner::Apply(Tx& tx, const PreparedAction& a) {
  const ActionCall& call = a.call;
  const json& action = call.rule->def.actions[call.index];
  // Claim the key first: a replay stops here and changes nothing.
  bool inserted = false;
  LF_TRY(RecordFiring(tx, call, action, a.preset, &inserted));
  if (!inserted) return ActionOutcome{"skipped", {{"reason", "already run"}}};
  if (a.preset.status != "done") return a.preset;
  LF_TRY(tx.Exec("SAVEPOINT lf_rule_action").status());
  auto o = Effect(tx, a);
  if (!o.ok() && o.status().kind() == ErrorKind::kUnavailable) return o.status();  // retry the whole write
  ActionOutcome out;
  if (o.ok()) {
    LF_TRY(tx.Exec("RELEASE SAVEPOINT lf_rule_action").status());
    out = std::move(o).value();
  } else {
    // The effect was refused (e.g. an unknown user to assign to): undo it alone, record why.
    LF_TRY(tx.Exec("ROLLBACK TO SAVEPOINT lf_rule_action").status());
    LF_TRY(tx.Exec("RELEASE SAVEPOINT lf_rule_action").status());
    out = {"failed", {{"error", o.status().ToString()}}};
  }
  if (out.status != "done" || out.result != a.preset.result)
    LF_TRY(tx.Exec(std::string("UPDATE rule_firings SET status = ?, result = ") + tx.dialect().JsonParam() +
                       " WHERE tenant_id = ? AND rule_id = ? AND event_seq = ? AND record_id = ? AND action_index = ?",
                   {out.status, out.result.dump(), call.actor->tenant_id, call.rule->id, call.key_seq, call.record_id,
                    int64_t(call.index)})
               .status());
  return out;
}

json ActionRunner::Describe(const json& action, const json& stored, const TenantSchema::Entity& e, bool silent) {
  std::string type = action["type"].get<std::string>();
  json d = action;
  if (silent && rules::HeldInSilentPeriod(action)) {
    d["would"] = "suppressed: silent period";
    return d;
  }
  if (type == "set_color") {
    d["would"] = stored.value("color", json()) == action["color"] ? "unchanged" : "change color";
    d["current"] = stored.value("color", json());
  } else if (type == "add_tags" || type == "remove_tags") {
    const FieldDef* f = TagsField(e);
    json cur = f ? stored.value(f->name, json()) : json();
    json next = NewTags(action, cur, type == "add_tags");
    d["would"] = next == (cur.is_array() ? cur : json::array()) ? "unchanged" : "change tags";
  } else if (type == "notify" && action["channel"] != "in_app") {
    d["would"] = "queue a " + action["channel"].get<std::string>() + " message";
  } else if (type == "escalate") {
    d["would"] = "task and alert for the owner's supervisor";
  } else if (type == "send_document") {
    d["would"] = "put the document on the timeline";
  } else if (type == "webhook") {
    d["would"] = "call the webhook";
  } else {
    d["would"] = "run";
  }
  return d;
}

}  // namespace lf::automation
