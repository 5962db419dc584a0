// Implements automation/rule_store.h.
#include "automation/rule_store.h"

#include <spdlog/spdlog.h>

#include "automation/templates.h"
#include "base/crypto.h"
#include "base/strings.h"
#include "documents/document_store.h"
#include "notify/channels.h"

namespace lf::automation {
namespace {

using json = nlohmann::json;

constexpr const char* kColumns =
    "id, name, enabled, definition, template_id, version, created_at, updated_at, created_by, since_seq";

const char* KindName(rules::TriggerKind k) {
  switch (k) {
    case rules::TriggerKind::kEvent: return "event";
    case rules::TriggerKind::kCron: return "cron";
    case rules::TriggerKind::kAfter: return "after";
  }
  return "event";
}

Status RuleNotFound() {
  return Status::Error(ErrorKind::kNotFound, "rule.not_found", "rule not found", "规则不存在");
}

Status BumpRulesVersion(Tx& tx, const std::string& tenant_id) {
  return tx.Exec("UPDATE tenants SET rules_version = rules_version + 1 WHERE id = ?", {tenant_id}).status();
}

}  // namespace

json RuleRowJson(const Row& r, const TimeZone* zone) {
  json def = json::parse(AsText(r[3]), nullptr, false);
  json out = def.is_object() ? def : json::object();
  out["id"] = AsText(r[0]);
  out["name"] = AsText(r[1]);
  out["enabled"] = AsInt(r[2]) != 0;
  out["template_id"] = IsNull(r[4]) ? json(nullptr) : json(AsText(r[4]));
  out["revision"] = AsInt(r[5]);
  out["created_at"] = FormatRfc3339(AsInt(r[6]), zone);
  out["updated_at"] = FormatRfc3339(AsInt(r[7]), zone);
  out["created_by"] = AsText(r[8]);
  return out;
}

Status RuleStore::RequireManage(const Principal& p) {
  if (p.Can(kPermRulesManage)) return Status::Ok();
  return Status::Error(ErrorKind::kPermissionDenied, "access.forbidden",
                       "managing rules needs the rules.manage permission", "管理规则需要 rules.manage 权限");
}

Result<json> RuleStore::List(const Principal& p) {
  LF_TRY(RequireManage(p));
  json items = json::array();
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    return c.ForEach(std::string("SELECT ") + kColumns + " FROM rules WHERE tenant_id = ? ORDER BY created_at, id",
                     {p.tenant_id}, [&](const std::vector<std::string>&, const Row& r) {
                       items.push_back(RuleRowJson(r, p.zone));
                       return true;
                     });
  }));
  return json{{"items", std::move(items)}};
}

Result<json> RuleStore::Get(const Principal& p, const std::string& id) {
  LF_TRY(RequireManage(p));
  std::optional<json> out;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query(std::string("SELECT ") + kColumns + " FROM rules WHERE tenant_id = ? AND id = ?",
                                 {p.tenant_id, id}));
    if (!rows.empty()) out = RuleRowJson(rows.rows[0], p.zone);
    return Status::Ok();
  }));
  if (!out) return RuleNotFound();
  return *out;
}

Result<json> RuleStore::Insert(const Principal& p, const rules::RuleDef& def, const std::string& template_id) {
  int64_t now = clock_.NowMs();
  std::string id = UuidV7(now);
  json stored = rules::RuleToJson(def);
  std::string text = stored.dump();
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    // The rule acts on events after its own creation only (never on history).
    LF_ASSIGN(int64_t since, events_.Append(tx, p.tenant_id, p.user_id, "rule.created", "rules", id, {{"name", def.name}}));
    LF_TRY(tx.Exec(std::string("INSERT INTO rules (tenant_id, id, name, enabled, trigger_kind, trigger_event, "
                               "entity, definition, template_id, version, since_seq, created_at, updated_at, "
                               "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ") +
                       tx.dialect().JsonParam() + ", ?, 1, ?, ?, ?, ?)",
                   {p.tenant_id, id, def.name, int64_t(def.enabled), std::string(KindName(def.trigger.kind)),
                    def.trigger.event.empty() ? Value(nullptr) : Value(def.trigger.event), def.trigger.entity,
                    text, template_id.empty() ? Value(nullptr) : Value(template_id), since, now, now, p.user_id})
               .status());
    return BumpRulesVersion(tx, p.tenant_id);
  }));
  json out = stored;
  out["id"] = id;
  out["template_id"] = template_id.empty() ? json(nullptr) : json(template_id);
  out["revision"] = 1;
  out["created_at"] = out["updated_at"] = FormatRfc3339(now, p.zone);
  out["created_by"] = p.user_id;
  return out;
}

Status RuleStore::CheckTargets(const Principal& p, const rules::RuleDef& def) {
  return db_.Read([&](Connection& c) -> Status {
    for (size_t i = 0; i < def.actions.size(); ++i) {
      const json& a = def.actions[i];
      std::string where = "actions[" + std::to_string(i) + "]", type = a["type"].get<std::string>();
      if (a.contains("channel_id")) {
        std::string kind = type == "webhook" ? "webhook" : a.value("channel", "");
        LF_ASSIGN(auto ch, notify::ChannelStore::Resolve(c, p.tenant_id, kind, a["channel_id"].get<std::string>()));
        if (!ch)
          return Status::Error(ErrorKind::kValidation, "rules.unknown_channel",
                               "no " + kind + " notification channel with this id", "没有该 " + kind + " 通知渠道",
                               where + ".channel_id");
      }
      if (type == "send_document") {
        LF_ASSIGN(auto name, DocumentStore::NameOf(c, p.tenant_id, a["document_id"].get<std::string>()));
        if (!name)
          return Status::Error(ErrorKind::kValidation, "rules.unknown_document", "no such document in the library",
                               "资料库中没有该资料", where + ".document_id");
      }
    }
    return Status::Ok();
  });
}

Result<json> RuleStore::Create(const Principal& p, const json& body, const std::string& template_id) {
  LF_TRY(RequireManage(p));
  LF_ASSIGN(auto schema, records_.SchemaFor(p));
  LF_ASSIGN(rules::RuleDef def, rules::ParseRule(body, *schema, p.zone));
  LF_TRY(CheckTargets(p, def));
  return Insert(p, def, template_id);
}

Result<rules::RuleDef> RuleStore::Definition(const Principal& p, const std::string& id, const json& overrides) {
  LF_ASSIGN(json current, Get(p, id));
  if (!overrides.is_object())
    return Status::Error(ErrorKind::kInvalidArgument, "request.body_not_object", "the body must be a JSON object",
                         "请求体必须是 JSON 对象");
  json merged = json::object();
  for (const char* k : {"name", "enabled", "trigger", "condition", "actions"})
    if (current.contains(k)) merged[k] = current[k];
  for (auto it = overrides.begin(); it != overrides.end(); ++it) merged[it.key()] = *it;
  LF_ASSIGN(auto schema, records_.SchemaFor(p));
  LF_ASSIGN(rules::RuleDef def, rules::ParseRule(merged, *schema, p.zone));
  LF_TRY(CheckTargets(p, def));
  return def;
}

Result<json> RuleStore::Update(const Principal& p, const std::string& id, const json& body) {
  LF_TRY(RequireManage(p));
  LF_ASSIGN(rules::RuleDef def, Definition(p, id, body));
  int64_t now = clock_.NowMs();
  std::string text = rules::RuleToJson(def).dump();
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_ASSIGN(auto n, tx.Exec(std::string("UPDATE rules SET name = ?, enabled = ?, trigger_kind = ?, trigger_event = ?, "
                                          "entity = ?, definition = ") +
                                  tx.dialect().JsonParam() +
                                  ", version = version + 1, updated_at = ? WHERE tenant_id = ? AND id = ?",
                              {def.name, int64_t(def.enabled), std::string(KindName(def.trigger.kind)),
                               def.trigger.event.empty() ? Value(nullptr) : Value(def.trigger.event),
                               def.trigger.entity, text, now, p.tenant_id, id}));
    if (n == 0) return RuleNotFound();
    LF_TRY(BumpRulesVersion(tx, p.tenant_id));
    // A cron rule recomputes its next slot from its new schedule.
    LF_TRY(tx.Exec("DELETE FROM rule_cron_slots WHERE tenant_id = ? AND rule_id = ?", {p.tenant_id, id}).status());
    return events_.Append(tx, p.tenant_id, p.user_id, "rule.updated", "rules", id,
                          {{"name", def.name}, {"enabled", def.enabled}})
        .status();
  }));
  return Get(p, id);
}

Result<json> RuleStore::Firings(const Principal& p, const std::string& entity, const std::string& record_id,
                                const std::string& rule_id, const std::string& cursor, const std::string& limit) {
  std::string where, order;
  std::vector<Value> params{p.tenant_id};
  int64_t page = 500;
  const bool by_rule = entity.empty() && record_id.empty() && !rule_id.empty();
  if (by_rule) {
    LF_TRY(Get(p, rule_id).status());  // rules.manage; 404 for another tenant's rule
    where = "f.rule_id = ?";
    params.push_back(rule_id);
    page = 100;
    if (!limit.empty()) {
      char* end = nullptr;
      page = std::strtoll(limit.c_str(), &end, 10);
      if (*end || page < 1 || page > 500)
        return Status::Error(ErrorKind::kInvalidArgument, "query.bad_limit", "limit must be 1–500",
                             "limit 必须在 1–500 之间", "limit");
    }
    if (!cursor.empty()) {
      // The cursor is the last item's key [at, event_seq, action_index, record_id], base64url JSON
      // as the record lists' cursors (records/list_query.cc).
      std::string raw;
      json key;
      if (Base64UrlDecode(cursor, &raw)) key = json::parse(raw, nullptr, false);
      if (!key.is_array() || key.size() != 4 || !key[0].is_number_integer() || !key[1].is_number_integer() ||
          !key[2].is_number_integer() || !key[3].is_string())
        return Status::Error(ErrorKind::kInvalidArgument, "query.bad_cursor", "the cursor is invalid",
                             "分页游标无效", "cursor");
      where += " AND (f.at, f.event_seq, f.action_index, f.record_id) < (?, ?, ?, ?)";
      for (const auto& k : key) params.push_back(k.is_string() ? Value(k.get<std::string>()) : Value(k.get<int64_t>()));
    }
    order = "f.at DESC, f.event_seq DESC, f.action_index DESC, f.record_id DESC";
  } else {
    LF_TRY(records_.Get(p, entity, record_id).status());  // 404 unless the caller may read the record
    where = "f.entity = ? AND f.record_id = ?";
    params.push_back(entity);
    params.push_back(record_id);
    order = "f.at DESC, f.event_seq DESC, f.action_index";
  }
  json items = json::array();
  std::string next;
  int64_t last_at = 0;  // the last item's `at` in ms (items carry it formatted)
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    return c.ForEach("SELECT f.rule_id, r.name, f.event_seq, f.action_index, f.action, f.status, f.result, f.at, "
                     "f.entity, f.record_id "
                     "FROM rule_firings f LEFT JOIN rules r ON r.tenant_id = f.tenant_id AND r.id = f.rule_id "
                     "WHERE f.tenant_id = ? AND " + where + " ORDER BY " + order + " LIMIT " +
                         std::to_string(page + (by_rule ? 1 : 0)),
                     params, [&](const std::vector<std::string>&, const Row& r) {
                       if (int64_t(items.size()) == page) {  // one row more than the page: there is a next
                         const json& last = items.back();
                         next = Base64UrlEncode(json::array({last_at, last["event_seq"], last["action_index"],
                                                             last["record_id"]}).dump());
                         return false;
                       }
                       last_at = AsInt(r[7]);
                       items.push_back({{"rule_id", AsText(r[0])}, {"rule_name", IsNull(r[1]) ? json(nullptr) : json(AsText(r[1]))},
                                        {"entity", AsText(r[8])}, {"record_id", AsText(r[9])},
                                        {"event_seq", AsInt(r[2])}, {"action_index", AsInt(r[3])},
                                        {"action", json::parse(AsText(r[4]), nullptr, false)}, {"status", AsText(r[5])},
                                        {"result", json::parse(AsText(r[6]), nullptr, false)},
                                        {"at", FormatRfc3339(AsInt(r[7]), p.zone)}});
                       return true;
                     });
  }));
  json out = {{"items", std::move(items)}};
  if (by_rule) out["next_cursor"] = next.empty() ? json(nullptr) : json(next);
  return out;
}

Result<json> RuleStore::ListTemplates(const Principal& p) {
  LF_TRY(RequireManage(p));
  return json{{"items", RuleTemplates()}};
}

Result<json> RuleStore::InstallTemplate(const Principal& p, const std::string& template_id) {
  LF_TRY(RequireManage(p));
  const json* tpl = nullptr;
  for (const auto& t : RuleTemplates())
    if (t["id"] == template_id) tpl = &t;
  if (!tpl)
    return Status::Error(ErrorKind::kNotFound, "rule_template.not_found", "no such rule template",
                         "规则模板不存在");
  LF_ASSIGN(auto schema, records_.SchemaFor(p));
  std::vector<rules::RuleDef> defs;
  for (const auto& body : (*tpl)["rules"]) {
    LF_ASSIGN(rules::RuleDef def, rules::ParseRule(body, *schema, p.zone));
    defs.push_back(std::move(def));
  }
  json items = json::array();
  for (const auto& def : defs) {
    LF_ASSIGN(json r, Insert(p, def, template_id));
    items.push_back(std::move(r));
  }
  return json{{"template", (*tpl)["id"]}, {"needs_scheduler", (*tpl)["needs_scheduler"]}, {"items", std::move(items)}};
}

Result<std::shared_ptr<const TenantRules>> RuleStore::Compiled(const std::string& tenant_id, int64_t rules_version,
                                                               int64_t schema_version, const TimeZone* zone,
                                                               SchemaRegistry& schemas) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(tenant_id);
    if (it != cache_.end() && it->second->rules_version == rules_version &&
        it->second->schema_version == schema_version)
      return it->second;
  }
  LF_ASSIGN(auto schema, schemas.Get(tenant_id, schema_version));
  std::vector<Row> rows;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto r, c.Query(std::string("SELECT ") + kColumns +
                                  " FROM rules WHERE tenant_id = ? AND enabled = 1 ORDER BY created_at, id",
                              {tenant_id}));
    rows = std::move(r.rows);
    return Status::Ok();
  }));
  auto out = std::make_shared<TenantRules>();
  out->rules_version = rules_version;
  out->schema_version = schema_version;
  out->schema = schema;
  for (const auto& r : rows) {
    json def_json = json::parse(AsText(r[3]), nullptr, false);
    def_json["enabled"] = true;
    auto def = rules::ParseRule(def_json, *schema, zone);
    if (!def.ok()) {  // e.g. a field the rule names was removed: skip it, loudly
      spdlog::warn("rule {} of tenant {} no longer compiles: {}", AsText(r[0]), tenant_id, def.status().ToString());
      continue;
    }
    CompiledRule cr;
    cr.id = AsText(r[0]);
    cr.name = AsText(r[1]);
    cr.revision = AsInt(r[5]);
    cr.since_seq = AsInt(r[9]);
    cr.def = std::move(def).value();
    rules::ExprEnv env{schema.get(), cr.def.subject, {}, zone, false};
    if (!cr.def.condition.empty()) {
      auto e = rules::Expr::Compile(cr.def.condition, env);
      if (!e.ok()) continue;
      cr.condition.emplace(std::move(e).value());
    }
    if (!cr.def.trigger.unless.empty()) {
      auto e = rules::Expr::Compile(cr.def.trigger.unless, env);
      if (!e.ok()) continue;
      cr.unless.emplace(std::move(e).value());
    }
    size_t index = out->rules.size();
    out->rules.push_back(std::move(cr));
    const CompiledRule& added = out->rules.back();
    switch (added.def.trigger.kind) {
      case rules::TriggerKind::kEvent: {
        auto& ev = out->by_event[added.def.trigger.event];
        if (added.def.condition.empty()) {
          ev.always.push_back(index);
          break;
        }
        if (!ev.set) {
          auto set = rules::RuleSet::Create(env);
          if (!set.ok()) return set.status();
          ev.set = std::make_shared<rules::RuleSet>(std::move(set).value());
        }
        auto added_index = ev.set->Add(added.id, added.def.condition);
        if (added_index.ok()) ev.set_rules.push_back(index);
        break;
      }
      case rules::TriggerKind::kAfter: out->after_event[added.def.trigger.event].push_back(index); break;
      case rules::TriggerKind::kCron: out->cron.push_back(index); break;
    }
  }
  for (auto& [type, ev] : out->by_event)
    if (ev.set) ev.set->Build();
  std::shared_ptr<const TenantRules> shared = std::move(out);
  std::lock_guard<std::mutex> lock(mu_);
  cache_[tenant_id] = shared;
  return shared;
}

}  // namespace lf::automation
