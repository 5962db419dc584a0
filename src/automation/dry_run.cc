// Implements Automation::DryRun (automation/automation.h).
#include "automation/automation.h"
#include "automation/db_facts.h"

namespace lf::automation {

using json = nlohmann::json;

Result<json> Automation::DryRun(const Principal& p, const std::string& rule_id, const json& overrides) {
  LF_ASSIGN(rules::RuleDef def, store_.Definition(p, rule_id, overrides));
  LF_ASSIGN(auto schema, records_.SchemaFor(p));
  const auto* e = schema->Find(def.trigger.entity);
  if (!e) return Status::NotFound("entity");
  LF_TRY(records_.AccessFor(p, *schema, *e, Action::kRead).status());
  rules::ExprEnv env{schema.get(), def.subject, {}, p.zone};
  std::optional<rules::Expr> cond, unless;
  if (!def.condition.empty()) {
    LF_ASSIGN(rules::Expr c, rules::Expr::Compile(def.condition, env));
    cond.emplace(std::move(c));
  }
  if (!def.trigger.unless.empty()) {
    LF_ASSIGN(rules::Expr u, rules::Expr::Compile(def.trigger.unless, env));
    unless.emplace(std::move(u));
  }
  int64_t now = clock_.NowMs();
  json items = json::array();
  int64_t scanned = 0, matched = 0;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    DbFacts facts(c, *schema, p.tenant_id);
    rules::EvalContext ctx(p.zone, &facts);
    Status inner;
    LF_TRY(records_.ScanStored(c, p, def.trigger.entity, 1000, [&](const json& stored) {
      ++scanned;
      ctx.Begin(now, stored["id"].get<std::string>());
      bool hit = true;
      if (cond) {
        auto r = cond->Evaluate(stored, ctx);
        if (!r.ok()) {
          inner = r.status();
          return false;
        }
        hit = *r;
      }
      if (!hit) return true;
      ++matched;
      if (items.size() >= 200) return true;
      const FieldDef* silent_f = e->Find("silent_until");
      bool silent = silent_f && stored.contains("silent_until") && stored["silent_until"].is_number() &&
                    stored["silent_until"].get<int64_t>() > now;
      // An `after` rule: whether its `unless` holds now (the timer would then fire nothing).
      bool held_back = false;
      if (unless) {
        auto u = unless->Evaluate(stored, ctx);
        if (!u.ok()) {
          inner = u.status();
          return false;
        }
        held_back = *u;
      }
      json actions = json::array();
      for (const auto& a : def.actions) {
        json d = ActionRunner::Describe(a, stored, *e, silent);
        if (held_back) d["would"] = "nothing: unless holds now";
        actions.push_back(std::move(d));
      }
      json item = {{"id", stored["id"]}, {"actions", std::move(actions)}};
      if (unless) item["unless_holds"] = held_back;
      for (const char* k : {"name", "title"})
        if (stored.contains(k)) item[k] = stored[k];
      items.push_back(std::move(item));
      return true;
    }));
    return inner;
  }));
  return json{{"rule_id", rule_id}, {"scanned", scanned}, {"matched", matched}, {"items", std::move(items)}};
}

}  // namespace lf::automation
