// Implements automation/actions.h.
#include "automation/actions.h"

#include "base/crypto.h"
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

Result<std::string> ActionRunner::SupervisorOf(Tx& tx, const std::string& tenant_id, const std::string& user_id) {
  LF_ASSIGN(auto u, tx.Query("SELECT manager_id, department_id FROM users WHERE tenant_id = ? AND id = ?",
                             {tenant_id, user_id}));
  if (u.empty()) return std::string();
  if (!IsNull(u.rows[0][0]) && AsText(u.rows[0][0]) != user_id) return AsText(u.rows[0][0]);
  std::string dept = AsText(u.rows[0][1]);
  for (int guard = 0; !dept.empty() && guard < 32; ++guard) {
    LF_ASSIGN(auto d, tx.Query("SELECT head_user_id, parent_id FROM departments WHERE tenant_id = ? AND id = ?",
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
  const Principal& actor = *call.actor;
  const json& stored = *call.stored;
  if (stored.contains("owner_id") && stored["owner_id"].is_string()) a.owner = stored["owner_id"].get<std::string>();
  a.preset = {"done", json::object()};
  if (call.silent && rules::HeldInSilentPeriod(action)) {
    a.preset = {"suppressed", {{"reason", "silent_period"}, {"silent_until", stored.value("silent_until", json())}}};
  } else if (type == "set_color" || type == "add_tags" || type == "remove_tags" ||
             (type == "assign" && call.entity != "leads")) {
    json body;
    if (type == "set_color") {
      body = {{"color", action["color"]}};
    } else if (type == "assign") {
      body = {{"owner_id", action["user_id"]}};
    } else {
      LF_ASSIGN(auto schema, records_.SchemaFor(actor));
      const auto* e = schema->Find(call.entity);
      a.tags_field = e ? TagsField(*e) : nullptr;
      if (!a.tags_field) {
        a.preset = {"failed", {{"error", "the record has no tags field"}}};
        return a;
      }
      // The final list is computed inside the write from the tags as they are then.
      body = {{a.tags_field->name, NewTags(action, stored.value(a.tags_field->name, json()), type == "add_tags")}};
    }
    auto prepared = records_.PrepareUpdate(actor, call.entity, call.record_id, body, std::nullopt);
    if (!prepared.ok()) {
      if (Transient(prepared.status())) return prepared.status();
      a.preset = {"failed", {{"error", prepared.status().ToString()}}};
    } else {
      a.update = std::move(prepared).value();
      a.update->event_extra["caused_by"] = CausedBy(call);
    }
  } else if (type == "create_task") {
    int64_t amount = 0;
    char unit = 'h';
    rules::ParseDelay(action["due"].get<std::string>(), &amount, &unit);
    int64_t due = rules::AddDelay(clock_.NowMs(), amount, unit, actor.zone);
    json body = {{"title", action["title"]}, {"due_at", FormatRfc3339(due, actor.zone)}};
    if (action.contains("description")) body["description"] = action["description"];
    if (!a.owner.empty()) body["owner_id"] = a.owner;
    LF_ASSIGN(auto schema, records_.SchemaFor(actor));
    const auto* tasks = schema->Find("tasks");
    const FieldDef* link = tasks ? tasks->Find(call.singular + "_id") : nullptr;
    if (link && link->type == FieldType::kReference && link->ref_entity == call.entity) body[link->name] = call.record_id;
    auto prepared = records_.PrepareCreate(actor, "tasks", body);
    if (!prepared.ok()) {
      if (Transient(prepared.status())) return prepared.status();
      a.preset = {"failed", {{"error", prepared.status().ToString()}}};
    } else {
      a.create = *prepared;
      a.create->event_extra["caused_by"] = CausedBy(call);
      records_.Finalize(*a.create);
      a.preset.result = {{"task_id", a.create->id}, {"due_at", FormatRfc3339(due, actor.zone)}};
    }
  } else if (type == "notify" && action["channel"] != "in_app") {
    a.preset = {"not_delivered", {{"reason", "channel " + action["channel"].get<std::string>() + " is not delivered yet"}}};
  }
  return a;
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
  } else if (a.create) {
    LF_TRY(records_.ApplyCreate(tx, *a.create));
  } else if (type == "assign") {
    LF_TRY(assignment_.Apply(tx, actor, call.record_id, action["user_id"].get<std::string>(),
                             {{"kind", "rule"}, {"caused_by", CausedBy(call)}}));
  } else if (type == "alert" || type == "notify") {
    const std::string& owner = a.owner;
    std::string to = action.value("to", type == "alert" ? "supervisor" : "owner");
    LF_ASSIGN(std::string supervisor, owner.empty() ? Result<std::string>(std::string())
                                                    : SupervisorOf(tx, actor.tenant_id, owner));
    if (supervisor.empty()) supervisor = actor.user_id;  // no one above the owner: the admin
    std::string recipient = to == "owner" && !owner.empty() ? owner : supervisor;
    std::string title = action.value("title", call.rule->name);
    int64_t now = clock_.NowMs();
    json data = {{"title", title}, {"entity", call.entity}, {"record_id", call.record_id}, {"caused_by", CausedBy(call)}};
    if (type == "alert") {
      std::string id = UuidV7(now);
      LF_TRY(tx.Exec("INSERT INTO alerts (tenant_id, id, kind, severity, title, entity, record_id, rule_id, "
                     "owner_id, supervisor_id, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)",
                     {actor.tenant_id, id, action["kind"].get<std::string>(), action.value("severity", "warning"),
                      title, call.entity, call.record_id, call.rule->id, owner.empty() ? Value(nullptr) : Value(owner),
                      supervisor, now})
                 .status());
      data["alert_id"] = id;
      data["severity"] = action.value("severity", "warning");
      o.result = {{"alert_id", id}, {"supervisor_id", supervisor}};
      // Live: the supervisor's (and the owner's) open browsers get the alert at once.
      LF_TRY(events_.Append(tx, actor.tenant_id, actor.user_id, "alert.raised", "users", supervisor, data).status());
      if (!owner.empty() && owner != supervisor)
        LF_TRY(events_.Append(tx, actor.tenant_id, actor.user_id, "alert.raised", "users", owner, data).status());
    } else {
      if (action.contains("text")) data["text"] = action["text"];
      LF_TRY(events_.Append(tx, actor.tenant_id, actor.user_id, "notification.created", "users", recipient, data)
                 .status());
      o.result = {{"channel", "in_app"}, {"to", recipient}};
    }
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
    d["would"] = "not delivered yet (channel not built)";
  } else {
    d["would"] = "run";
  }
  return d;
}

}  // namespace lf::automation
