// Implements automation/engine.h.
#include "automation/engine.h"

#include <algorithm>
#include <limits>

#include <spdlog/spdlog.h>

#include "automation/db_facts.h"
#include "base/crypto.h"
#include "rules/cron.h"

namespace lf::automation {
namespace {

using json = nlohmann::json;
constexpr const char* kConsumer = "rules";
constexpr int kBatch = 200;

int64_t DepthOf(const json& data) {
  if (!data.is_object()) return 0;
  auto it = data.find("caused_by");
  if (it == data.end() || !it->is_object()) {
    auto r = data.find("reason");  // lead.assigned carries its cause inside the reason
    if (r != data.end() && r->is_object() && r->contains("caused_by")) return DepthOf(*r);
    return 0;
  }
  return it->value("depth", int64_t(1));
}

std::string CauseRule(const json& data) {
  if (!data.is_object()) return "";
  auto it = data.find("caused_by");
  if (it != data.end() && it->is_object()) return it->value("rule_id", "");
  auto r = data.find("reason");
  if (r != data.end() && r->is_object()) return CauseRule(*r);
  return "";
}

// L5: the record carries the platform's silent-period field and it is in the future.
bool InSilentPeriod(const TenantSchema::Entity& e, const json& stored, int64_t now) {
  const FieldDef* f = e.Find("silent_until");
  if (!f || f->type != FieldType::kDateTime) return false;
  auto it = stored.find("silent_until");
  return it != stored.end() && it->is_number() && it->get<int64_t>() > now;
}

}  // namespace

RuleEngine::RuleEngine(Database& db, EventBus& bus, SchemaRegistry& schemas, IdentityService& identity,
                       RecordService& records, RuleStore& store, ActionRunner& actions, const Clock& clock)
    : db_(db), bus_(bus), schemas_(schemas), identity_(identity), records_(records), store_(store),
      actions_(actions), clock_(clock) {}

RuleEngine::~RuleEngine() {
  if (subscription_) bus_.Unsubscribe(subscription_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void RuleEngine::Start() {
  subscription_ = bus_.Subscribe("", [this](const Event&) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      wake_ = true;
    }
    cv_.notify_one();
  });
  worker_ = std::thread([this] { Loop(); });
}

void RuleEngine::Loop() {
  int64_t wait_ms = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(wait_ms), [this] { return wake_ || stop_; });
      if (stop_) return;
      wake_ = false;
    }
    auto r = RunOnce();
    // Sleep until the earliest pending timer is due, at most 500 ms (cron slots, other instances).
    wait_ms = 500;
    {
      std::lock_guard<std::mutex> run(run_mu_);
      if (more_) wait_ms = 0;
      else if (next_due_ != std::numeric_limits<int64_t>::max())
        wait_ms = std::clamp<int64_t>(next_due_ - clock_.NowMs(), 0, 500);
    }
    if (!r.ok()) {
      spdlog::warn("rules engine: {}", r.status().ToString());
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stop_; });
      if (stop_) return;
    } else if (*r >= kBatch) {
      std::lock_guard<std::mutex> lock(mu_);
      wake_ = true;  // more pending: go again at once
    }
  }
}

Result<std::optional<Principal>> RuleEngine::SystemPrincipal(const std::string& tenant_id) {
  std::string user;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query("SELECT id FROM users WHERE tenant_id = ? AND role = 'admin' AND status = 'active' "
                                 "ORDER BY created_at, id LIMIT 1",
                                 {tenant_id}));
    if (!rows.empty()) user = AsText(rows.rows[0][0]);
    return Status::Ok();
  }));
  if (user.empty()) return std::optional<Principal>();
  LF_ASSIGN(Principal p, identity_.PrincipalFor(tenant_id, user));
  return std::optional<Principal>(std::move(p));
}

Result<int64_t> RuleEngine::RunOnce() {
  std::lock_guard<std::mutex> run(run_mu_);
  next_due_ = std::numeric_limits<int64_t>::max();
  more_ = false;
  std::vector<TenantState> tenants;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    return c.ForEach("SELECT t.id, t.time_zone, t.schema_version, t.rules_version, COALESCE(cp.seq, 0), t.chain_seq "
                     "FROM tenants t LEFT JOIN consumer_checkpoints cp ON cp.tenant_id = t.id AND cp.consumer = ?",
                     {std::string(kConsumer)}, [&](const std::vector<std::string>&, const Row& r) {
                       TenantState t;
                       t.id = AsText(r[0]);
                       auto zone = FindZone(AsText(r[1]));
                       t.zone = zone.ok() ? *zone : nullptr;
                       t.schema_version = AsInt(r[2]);
                       t.rules_version = AsInt(r[3]);
                       t.checkpoint = AsInt(r[4]);
                       t.head = AsInt(r[5]);
                       tenants.push_back(std::move(t));
                       return true;
                     });
  }));
  int64_t done = 0;
  Status first;
  for (const auto& t : tenants) {
    if (!t.zone) continue;
    // One tenant's failure (retried on the next pass) never holds up the others.
    auto n = ProcessTenant(t);
    if (n.ok()) {
      done += *n;
    } else if (first.ok()) {
      first = n.status();
    }
  }
  if (!first.ok() && done == 0) return first;
  if (!first.ok()) spdlog::warn("rules engine: {}", first.ToString());
  return done;
}

Result<int64_t> RuleEngine::ProcessTenant(const TenantState& t) {
  LF_ASSIGN(auto rules, store_.Compiled(t.id, t.rules_version, t.schema_version, t.zone, schemas_));
  bool events_pending = t.head > t.checkpoint;
  bool scheduled = !rules->after_event.empty() || !rules->cron.empty();
  if (!events_pending && !scheduled) return int64_t(0);
  LF_ASSIGN(auto system, SystemPrincipal(t.id));
  if (!system) return int64_t(0);
  int64_t done = 0;
  if (events_pending) {
    LF_ASSIGN(done, ProcessEvents(t, *system, *rules));
  }
  if (scheduled) {
    LF_ASSIGN(int64_t fired, FireTimers(t, *system, *rules));
    if (fired >= 200) more_ = true;  // a full page: more may be due already
    LF_TRY(FireCron(t, *system, *rules));
    if (!rules->after_event.empty()) LF_TRY(NoteNextDue(t.id));
  }
  return done;
}

Result<int64_t> RuleEngine::ProcessEvents(const TenantState& t, const Principal& system, const TenantRules& rules) {
  std::vector<Event> events;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    return c.ForEach("SELECT seq, at, type, entity, entity_id, data FROM events WHERE tenant_id = ? AND seq > ? "
                     "ORDER BY seq LIMIT ?",
                     {t.id, t.checkpoint, int64_t(kBatch)}, [&](const std::vector<std::string>&, const Row& r) {
                       Event e;
                       e.tenant_id = t.id;
                       e.seq = AsInt(r[0]);
                       e.at = AsInt(r[1]);
                       e.type = AsText(r[2]);
                       e.entity = AsText(r[3]);
                       e.entity_id = AsText(r[4]);
                       if (rules.by_event.count(e.type) || rules.after_event.count(e.type))
                         e.data = json::parse(AsText(r[5]), nullptr, false);
                       events.push_back(std::move(e));
                       return true;
                     });
  }));
  int64_t last = t.checkpoint;
  std::deque<json> keep;  // stored records the prepared actions point into
  std::vector<PreparedAction> prepared;
  struct NewTimer {
    std::string id, rule_id, entity, record_id;
    int64_t seq, due;
  };
  std::vector<NewTimer> timers;
  for (const auto& e : events) {
    int64_t depth = DepthOf(e.data);
    std::string cause = CauseRule(e.data);
    if (depth < kMaxDepth) {
      if (auto it = rules.by_event.find(e.type); it != rules.by_event.end()) {
        const auto* ent = rules.schema->Find(e.entity);
        if (ent) {
          // One read per event: the record (stored form) and the RuleSet match over it. Caches are
          // warmed first, so LoadStored reads nothing else (no nested reads).
          std::optional<json> stored;
          std::vector<size_t> hits;
          LF_TRY(records_.SchemaFor(system).status());
          LF_TRY(records_.AccessFor(system, *rules.schema, *ent, Action::kRead).status());
          LF_TRY(db_.Read([&](Connection& c) -> Status {
            LF_ASSIGN(stored, records_.LoadStored(c, system, e.entity, e.entity_id));
            if (!stored) return Status::Ok();
            DbFacts facts(c, *rules.schema, t.id);
            rules::EvalContext ctx(t.zone, &facts);
            ctx.Begin(clock_.NowMs(), e.entity_id);
            hits = it->second.always;
            if (it->second.set) {
              rules::Row row;
              row.Fill(it->second.set->layout(), *stored);
              std::vector<uint32_t> matched;
              LF_TRY(it->second.set->Match(row, ctx, &matched));
              for (uint32_t m : matched) hits.push_back(it->second.set_rules[m]);
            }
            return Status::Ok();
          }));
          std::sort(hits.begin(), hits.end());
          if (stored) {
            keep.push_back(std::move(*stored));
            for (size_t h : hits) {
              const CompiledRule& rule = rules.rules[h];
              if (rule.id == cause || e.seq <= rule.since_seq) continue;  // not its own effects, not history
              LF_TRY(PrepareActions(system, *ent, rule, e.entity_id, keep.back(), e.seq, depth + 1, &prepared));
            }
          }
        }
      }
      if (auto it = rules.after_event.find(e.type); it != rules.after_event.end()) {
        for (size_t i : it->second) {
          const CompiledRule& rule = rules.rules[i];
          if (rule.id == cause || e.seq <= rule.since_seq) continue;
          int64_t amount = 0;
          char unit = 'd';
          rules::ParseDelay(rule.def.trigger.delay, &amount, &unit);
          int64_t due = rules::AddDelay(e.at, amount, unit, t.zone);
          timers.push_back({Sha256Hex(rule.id + "|" + std::to_string(e.seq)).substr(0, 32), rule.id, e.entity,
                            e.entity_id, e.seq, due});
        }
      }
    }
    last = e.seq;
  }
  if (last > t.checkpoint) {
    int64_t now = clock_.NowMs();
    LF_TRY(ApplyAll(prepared, [&](Tx& tx) -> Status {
      for (const auto& tm : timers)
        LF_TRY(tx.Exec("INSERT INTO rule_timers (tenant_id, id, rule_id, event_seq, entity, record_id, due_at, "
                       "state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT DO NOTHING",
                       {t.id, tm.id, tm.rule_id, tm.seq, tm.entity, tm.record_id, tm.due, now})
                   .status());
      LF_ASSIGN(auto n, tx.Exec("UPDATE consumer_checkpoints SET seq = ? WHERE tenant_id = ? AND consumer = ? AND seq < ?",
                                {last, t.id, std::string(kConsumer), last}));
      if (n == 0)
        LF_TRY(tx.Exec("INSERT INTO consumer_checkpoints (tenant_id, consumer, seq) VALUES (?, ?, ?) "
                       "ON CONFLICT DO NOTHING",
                       {t.id, std::string(kConsumer), last})
                   .status());
      return Status::Ok();
    }));
  }
  return int64_t(events.size());
}

Status RuleEngine::PrepareActions(const Principal& system, const TenantSchema::Entity& e, const CompiledRule& rule,
                                  const std::string& record_id, const json& stored, int64_t key_seq, int64_t depth,
                                  std::vector<PreparedAction>* out) {
  bool silent = InSilentPeriod(e, stored, clock_.NowMs());
  People people;  // the supervisor and users the messages name: one read for all the actions
  for (size_t i = 0; i < rule.def.actions.size(); ++i) {
    ActionCall call;
    call.people = &people;
    call.actor = &system;
    call.rule = &rule;
    call.key_seq = key_seq;
    call.entity = e.def->name;
    call.singular = e.def->singular;
    call.record_id = record_id;
    call.stored = &stored;
    call.index = i;
    call.silent = silent;
    call.depth = depth;
    LF_ASSIGN(PreparedAction a, actions_.Prepare(call));
    out->push_back(std::move(a));
  }
  return Status::Ok();
}

Status RuleEngine::ApplyAll(const std::vector<PreparedAction>& actions, const std::function<Status(Tx&)>& also) {
  std::vector<ActionOutcome> outcomes;
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    outcomes.clear();  // the writer may re-run this function
    for (const auto& a : actions) {
      LF_ASSIGN(ActionOutcome o, actions_.Apply(tx, a));
      outcomes.push_back(std::move(o));
    }
    return also(tx);
  }));
  for (size_t i = 0; i < outcomes.size(); ++i)
    if (outcomes[i].status == "failed")
      spdlog::warn("rule {} action {} on {} failed: {}", actions[i].call.rule->id, actions[i].call.index,
                   actions[i].call.record_id, outcomes[i].result.dump());
  return Status::Ok();
}

Status RuleEngine::PrepareTimer(const Principal& system, const TenantRules& rules, const CompiledRule& rule,
                                const std::string& entity, const std::string& record_id, int64_t key_seq,
                                std::deque<json>* keep, std::vector<PreparedAction>* out) {
  const auto* ent = rules.schema->Find(entity);
  if (!ent) return Status::Ok();
  LF_TRY(records_.AccessFor(system, *rules.schema, *ent, Action::kRead).status());
  std::optional<json> stored;
  bool fire = false;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(stored, records_.LoadStored(c, system, entity, record_id));
    if (!stored || !(*stored)["archived_at"].is_null()) return Status::Ok();
    DbFacts facts(c, *rules.schema, system.tenant_id);
    rules::EvalContext ctx(system.zone, &facts);
    ctx.Begin(clock_.NowMs(), record_id);
    fire = true;
    if (rule.condition) {
      LF_ASSIGN(fire, rule.condition->Evaluate(*stored, ctx));
    }
    if (fire && rule.unless) {
      LF_ASSIGN(bool unless, rule.unless->Evaluate(*stored, ctx));
      fire = !unless;
    }
    return Status::Ok();
  }));
  if (!fire) return Status::Ok();
  keep->push_back(std::move(*stored));
  return PrepareActions(system, *ent, rule, record_id, keep->back(), key_seq, 1, out);
}

Result<int64_t> RuleEngine::FireTimers(const TenantState& t, const Principal& system, const TenantRules& rules) {
  struct Due {
    std::string id, rule_id, entity, record_id;
    int64_t seq;
  };
  std::vector<Due> due;
  int64_t now = clock_.NowMs();
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    return c.ForEach("SELECT id, rule_id, entity, record_id, event_seq FROM rule_timers WHERE tenant_id = ? AND "
                     "state = 'pending' AND due_at <= ? ORDER BY due_at LIMIT 200",
                     {t.id, now}, [&](const std::vector<std::string>&, const Row& r) {
                       due.push_back({AsText(r[0]), AsText(r[1]), AsText(r[2]), AsText(r[3]), AsInt(r[4])});
                       return true;
                     });
  }));
  if (due.empty()) return int64_t(0);
  std::deque<json> keep;
  std::vector<PreparedAction> prepared;
  std::vector<std::string> states;
  for (const auto& d : due) {
    const CompiledRule* rule = nullptr;
    for (const auto& r : rules.rules)
      if (r.id == d.rule_id) rule = &r;
    states.push_back(rule ? "fired" : "cancelled");  // cancelled: the rule was disabled or removed
    if (rule) LF_TRY(PrepareTimer(system, rules, *rule, d.entity, d.record_id, d.seq, &keep, &prepared));
  }
  // Fired once: the timers' state moves in the same write as their actions.
  LF_TRY(ApplyAll(prepared, [&](Tx& tx) -> Status {
    int64_t fired_at = clock_.NowMs();
    for (size_t i = 0; i < due.size(); ++i)
      LF_TRY(tx.Exec("UPDATE rule_timers SET state = ?, fired_at = ? WHERE tenant_id = ? AND id = ? AND state = 'pending'",
                     {states[i], fired_at, t.id, due[i].id})
                 .status());
    return Status::Ok();
  }));
  return int64_t(due.size());
}

Status RuleEngine::NoteNextDue(const std::string& tenant_id) {
  return db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query("SELECT MIN(due_at) FROM rule_timers WHERE tenant_id = ? AND state = 'pending'",
                                 {tenant_id}));
    if (!rows.empty() && !IsNull(rows.rows[0][0])) next_due_ = std::min(next_due_, AsInt(rows.rows[0][0]));
    return Status::Ok();
  });
}

Status RuleEngine::FireCron(const TenantState& t, const Principal& system, const TenantRules& rules) {
  int64_t now = clock_.NowMs();
  for (size_t i : rules.cron) {
    const CompiledRule& rule = rules.rules[i];
    auto spec = rules::CronSpec::Parse(rule.def.trigger.cron);
    if (!spec.ok()) continue;
    std::optional<int64_t> next;
    LF_TRY(db_.Read([&](Connection& c) -> Status {
      LF_ASSIGN(auto rows, c.Query("SELECT next_at FROM rule_cron_slots WHERE tenant_id = ? AND rule_id = ?",
                                   {t.id, rule.id}));
      if (!rows.empty()) next = AsInt(rows.rows[0][0]);
      return Status::Ok();
    }));
    if (!next) {  // first look: the next slot from now on (no back-fill of slots before the rule)
      int64_t first = spec->Next(now, t.zone);
      LF_TRY(db_.Write([&](Tx& tx) -> Status {
        return tx.Exec("INSERT INTO rule_cron_slots (tenant_id, rule_id, next_at) VALUES (?, ?, ?) "
                       "ON CONFLICT DO NOTHING",
                       {t.id, rule.id, first})
            .status();
      }));
      continue;
    }
    if (*next > now) continue;
    // The slot is due: every live record of the rule's entity, once per (slot, record, action).
    const auto* ent = rules.schema->Find(rule.def.trigger.entity);
    if (!ent) continue;
    LF_TRY(records_.AccessFor(system, *rules.schema, *ent, Action::kRead).status());
    std::deque<json> matched;
    LF_TRY(db_.Read([&](Connection& c) -> Status {
      DbFacts facts(c, *rules.schema, t.id);
      rules::EvalContext ctx(t.zone, &facts);
      Status inner;
      LF_TRY(records_.ScanStored(c, system, rule.def.trigger.entity, 5000, [&](const json& stored) {
        ctx.Begin(now, stored["id"].get<std::string>());
        bool hit = true;
        if (rule.condition) {
          auto r = rule.condition->Evaluate(stored, ctx);
          if (!r.ok()) {
            inner = r.status();
            return false;
          }
          hit = *r;
        }
        if (hit) matched.push_back(stored);
        return true;
      }));
      return inner;
    }));
    std::vector<PreparedAction> prepared;
    for (const auto& stored : matched)
      LF_TRY(PrepareActions(system, *ent, rule, stored["id"].get<std::string>(), stored, *next, 1, &prepared));
    int64_t following = spec->Next(now, t.zone);
    // The slot's actions and the move to the next slot commit together: a slot fires once.
    LF_TRY(ApplyAll(prepared, [&](Tx& tx) -> Status {
      return tx.Exec("UPDATE rule_cron_slots SET next_at = ? WHERE tenant_id = ? AND rule_id = ? AND next_at = ?",
                     {following, t.id, rule.id, *next})
          .status();
    }));
  }
  return Status::Ok();
}

}  // namespace lf::automation
