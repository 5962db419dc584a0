// Implements leads/lead_service.h.
#include "leads/lead_service.h"

#include <algorithm>
#include <cmath>
#include <future>
#include <set>

#include "base/crypto.h"
#include "base/phone.h"
#include "base/strings.h"
#include "leads/pools.h"

namespace lf {
namespace {

using json = nlohmann::json;

constexpr const char* kDedupWindowKey = "leads.dedup_window_hours";
constexpr int64_t kDefaultDedupWindowHours = 24;
constexpr const char* kSilentKey = "leads.silent_period_hours";
constexpr int64_t kDefaultSilentHours = 24;

Result<int64_t> SettingInt(Connection& c, const std::string& tenant_id, const char* key, int64_t dflt) {
  LF_ASSIGN(auto rows, c.Query("SELECT value FROM tenant_settings WHERE tenant_id = ? AND key = ?",
                               {tenant_id, std::string(key)}));
  return rows.empty() ? dflt : AsInt(rows.rows[0][0]);
}
constexpr int64_t kHourMs = 3600 * 1000;

Status Forbidden(const char* perm) {
  return Status::Error(ErrorKind::kPermissionDenied, "access.forbidden",
                       std::string("this needs the permission '") + perm + "'",
                       std::string("需要权限 '") + perm + "'");
}

Status Invalid(const std::string& field, const std::string& en, const std::string& zh,
               const std::string& code = "validation.invalid_value") {
  return Status::Error(ErrorKind::kValidation, code, en, zh, field);
}

Status UnknownField(const std::string& key) {
  return Invalid(key, "unknown field '" + key + "'", "未知字段 '" + key + "'",
                 "validation.unknown_field");
}


json IntakeSourceJson(const Row& r) {
  return {{"id", AsText(r[0])},          {"name", AsText(r[1])},
          {"channel", AsText(r[2])},     {"first_touch", IsNull(r[3]) ? json(nullptr) : json(AsText(r[3]))},
          {"key_hint", AsText(r[4])},    {"enabled", AsInt(r[5]) != 0},
          {"pool_id", IsNull(r[6]) ? json(nullptr) : json(AsText(r[6]))},
          {"intake_url", "/api/v1/intake/" + AsText(r[0])}};
}

constexpr const char* kIntakeColumns = "id, name, channel, first_touch, key_hint, enabled, pool_id";

// An intake source's 目标公海 must be one of the tenant's pools (null: the default pool).
Status CheckSourcePool(Tx& tx, const std::string& tenant_id, const json& pool_id) {
  if (pool_id.is_null()) return Status::Ok();
  LF_ASSIGN(auto rows, tx.Query("SELECT 1 FROM pools WHERE tenant_id = ? AND id = ?",
                                {tenant_id, pool_id.get<std::string>()}));
  if (rows.empty()) return Invalid("pool_id", "no pool has this id", "公海不存在");
  return Status::Ok();
}

// The answer when a person enters a phone that is a recent lead they cannot see: who owns it
// (as the duplicate check tells), nothing written.
Status DuplicateOfOthers(Tx& tx, const Principal& p, const std::string& lead_id) {
  LF_ASSIGN(auto rows, tx.Query("SELECT u.name FROM leads l LEFT JOIN users u ON u.tenant_id = l.tenant_id "
                                "AND u.id = l.owner_id WHERE l.tenant_id = ? AND l.id = ?",
                                {p.tenant_id, lead_id}));
  std::string owner = rows.empty() || IsNull(rows.rows[0][0]) ? "" : AsText(rows.rows[0][0]);
  return Status::Error(ErrorKind::kConflict, "lead.duplicate_of_others",
                       owner.empty() ? "this phone is already a lead in the public pool"
                                     : "this phone is already a lead of " + owner,
                       owner.empty() ? "该号码已是公海中的线索" : "该号码已是「" + owner + "」的线索,请勿撞单",
                       "phone");
}

}  // namespace

LeadService::LeadService(Database& db, EventLog& events, RecordService& records, const Clock& clock)
    : db_(db), events_(events), records_(records), clock_(clock),
      assignment_(db, events, records, clock) {
  records_.OnCreate("activities",
                    [this](Tx& tx, const PreparedCreate& c) { return OnActivityCreated(tx, c); });
  // 响应时效 of a lead still waiting for its first follow-up is its age so far, marked pending.
  records_.OnRender("leads", [this](const json& stored, const Principal&, json& record) {
    bool pending = stored.value("first_followup_at", json(nullptr)).is_null();
    record["response_pending"] = pending;
    if (pending && stored.contains("created_at") && stored["created_at"].is_number()) {
      int64_t age = std::max<int64_t>(0, clock_.NowMs() - stored["created_at"].get<int64_t>());
      record["response_hours"] = std::round(double(age) / double(kHourMs) * 100) / 100;
    }
  });
}

Result<std::optional<std::string>> LeadService::FindRecentDuplicate(Tx& tx,
                                                                    const std::string& tenant_id,
                                                                    const std::string& phone,
                                                                    int64_t now, int64_t window_h) {
  // The decision is serialised per phone: the single writer does it on SQLite; on PostgreSQL
  // (several instances) a transaction-scoped advisory lock on (tenant, phone) does.
  if (tx.dialect().engine() == Engine::kPostgres)
    LF_TRY(tx.Query("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", {tenant_id + "|" + phone})
               .status());
  // Equality on (tenant_id, phone) only, so every planner walks the phone index: a time range in
  // SQL invited SQLite (without statistics) to scan the newest leads instead — quadratic in an
  // import, where every lead is new. The few leads of one phone are filtered here.
  LF_ASSIGN(auto rows, tx.Query("SELECT id, created_at FROM leads WHERE tenant_id = ? AND phone = ? AND "
                                "archived_at IS NULL",
                                {tenant_id, phone}));
  std::optional<std::string> newest;
  int64_t newest_at = now - window_h * kHourMs - 1;
  for (const auto& r : rows.rows)
    if (AsInt(r[1]) > newest_at) {
      newest_at = AsInt(r[1]);
      newest = AsText(r[0]);
    }
  return newest;
}

Status LeadService::Touch(Tx& tx, const Principal& p, const std::string& lead_id, int64_t now,
                          const json& touch) {
  LF_ASSIGN(auto before, tx.Query("SELECT touch_count, last_touch_at FROM leads WHERE tenant_id = ? "
                                  "AND id = ?",
                                  {p.tenant_id, lead_id}));
  if (before.empty()) return Status::NotFound("lead");
  int64_t count = IsNull(before.rows[0][0]) ? 1 : AsInt(before.rows[0][0]);
  LF_TRY(tx.Exec("UPDATE leads SET touch_count = ?, last_touch_at = ?, version = version + 1, "
                 "updated_at = ?, updated_by = ? WHERE tenant_id = ? AND id = ?",
                 {count + 1, now, now, p.user_id, p.tenant_id, lead_id})
             .status());
  json data = touch;
  data["changes"] = json::array(
      {{{"field", "touch_count"}, {"old", count}, {"new", count + 1}},
       {{"field", "last_touch_at"},
        {"old", IsNull(before.rows[0][1]) ? json(nullptr) : json(AsInt(before.rows[0][1]))},
        {"new", now}}});
  return events_.Append(tx, p.tenant_id, p.user_id, "lead.touched", "leads", lead_id, data).status();
}

void LeadService::CreateAsync(const Principal& p, const json& body, const IdempotencyKey* idem,
                              const IntakeSource* intake, const json& raw,
                              std::function<void(Result<LeadResult>)> done) {
  std::string home_pool_id;
  json without_pool;  // the body less home_pool_id (a read-only field only ManualEntryPool sets)
  if (!intake) {
    auto pool = ManualEntryPool(p, body);
    if (!pool.ok()) return done(pool.status());
    home_pool_id = std::move(pool).value();
    if (body.contains("home_pool_id")) {
      without_pool = body;
      without_pool.erase("home_pool_id");
    }
  }
  auto prepared = PrepareLead(p, without_pool.is_null() ? body : without_pool, intake, raw, home_pool_id);
  if (!prepared.ok()) return done(prepared.status());
  std::shared_ptr<PreparedLead> lead = *prepared;
  std::shared_ptr<PreparedCreate> c = lead->create;
  struct State {
    std::optional<IdempotencyKey> idem;
    std::string record_text;
    LeadResult out;
  };
  auto st = std::make_shared<State>();
  if (idem) {
    st->idem = *idem;
    st->record_text = c->record.dump();
  }
  // Intake answers with the id alone: the writer does not re-read an assigned lead for it.
  const bool reread_placed = intake == nullptr;
  db_.WriteAsync(
      [this, lead, c, st, reread_placed](Tx& tx) -> Status {
        st->out = LeadResult{};
        if (st->idem) {
          LF_ASSIGN(auto prior, RecordService::ClaimIdempotency(tx, c->actor.tenant_id, *st->idem,
                                                                201, st->record_text, c->now));
          if (prior) {
            st->out.lead = std::move(prior->body);
            st->out.replayed = true;
            st->out.deduplicated = prior->status == 200;
            return Status::Ok();
          }
        }
        bool placed = false;
        LF_ASSIGN(std::string id, CreateInTx(tx, *lead, &st->out.deduplicated, &placed));
        if (st->out.deduplicated || (placed && reread_placed)) {
          auto loaded = records_.Load(tx.conn(), c->actor, "leads", id);
          if (!loaded.ok() && st->out.deduplicated && loaded.status().kind() == ErrorKind::kNotFound)
            return DuplicateOfOthers(tx, c->actor, id);
          if (!loaded.ok()) return loaded.status();
          st->out.lead = std::move(loaded).value();
        }
        if (st->idem && st->out.deduplicated)
          LF_TRY(RecordService::SetIdempotentResponse(tx, c->actor.tenant_id, *st->idem, 200,
                                                      st->out.lead.dump()));
        return Status::Ok();
      },
      [c, st, done = std::move(done)](Status status) {
        if (!status.ok()) return done(status);
        if (!st->out.deduplicated && !st->out.replayed && st->out.lead.is_null())
          st->out.lead = c->record;
        done(std::move(st->out));
      });
}

Result<std::shared_ptr<PreparedLead>> LeadService::PrepareLead(const Principal& p, const json& body,
                                                              const IntakeSource* intake, const json& raw,
                                                              const std::string& home_pool_id) {
  LF_ASSIGN(std::shared_ptr<PreparedCreate> c, records_.PrepareCreate(p, "leads", body));
  if (!home_pool_id.empty()) c->values["home_pool_id"] = home_pool_id;
  auto lead = std::make_shared<PreparedLead>();
  lead->create = c;
  json touch = {{"channel", c->values.value("channel", json(nullptr))},
                {"first_touch", c->values.value("first_touch", json(nullptr))}};
  if (intake) {
    c->values["channel"] = intake->channel;
    c->values["intake_source_id"] = intake->id;
    if (!intake->pool_id.empty()) c->values["home_pool_id"] = intake->pool_id;
    if (!c->values.contains("first_touch") && !intake->first_touch.empty())
      c->values["first_touch"] = intake->first_touch;
    json in = {{"source_id", intake->id}, {"source_name", intake->name}, {"raw", raw}};
    c->event_extra["intake"] = in;
    touch["channel"] = intake->channel;
    touch["intake"] = in;
  }
  c->values["touch_count"] = 1;
  c->values["last_touch_at"] = c->now;
  // Intake leads, and leads posted with "owner_id": null, are distributed by the assignment rules;
  // one no rule takes waits in its home pool (公海; the default pool) rather than falling to whoever
  // created it — unowned and outside every pool only while the tenant has no pool.
  const bool distribute =
      intake != nullptr || (body.is_object() && body.contains("owner_id") && body["owner_id"].is_null());
  if (distribute) c->values["owner_id"] = nullptr;
  LF_TRY(StampOwner(p, *c));
  records_.Finalize(*c);
  lead->phone = c->values.contains("phone") && c->values["phone"].is_string()
                    ? c->values["phone"].get<std::string>()
                    : std::string();
  lead->touch = std::move(touch);
  lead->distribute = distribute;
  LF_ASSIGN(CachedSettings settings, SettingsFor(p));
  lead->dedup_window_hours = settings.dedup_window_hours;
  if (distribute) {
    auto home = c->values.find("home_pool_id");
    lead->waiting_pool_id = home != c->values.end() && home->is_string() ? home->get<std::string>()
                                                                         : settings.default_pool_id;
  }
  return lead;
}

Result<std::string> LeadService::CreateInTx(Tx& tx, const PreparedLead& lead, bool* deduplicated,
                                            bool* placed) {
  const PreparedCreate& c = *lead.create;
  *deduplicated = *placed = false;
  if (!lead.phone.empty()) {
    LF_ASSIGN(auto dup, FindRecentDuplicate(tx, c.actor.tenant_id, lead.phone, c.now, lead.dedup_window_hours));
    if (dup) {
      LF_TRY(Touch(tx, c.actor, *dup, c.now, lead.touch));
      *deduplicated = true;
      return *dup;
    }
  }
  json pick = nullptr;
  if (lead.distribute) {
    LF_ASSIGN(pick, assignment_.Pick(tx, c.actor, c.values));
  }
  if (lead.distribute && pick.is_null() && !lead.waiting_pool_id.empty()) {
    // No rule takes it: it waits in its pool (公海) to be claimed, never unowned and unseen.
    PreparedCreate pooled = c;  // a copy: the write may run twice
    pooled.values["pool_id"] = lead.waiting_pool_id;
    pooled.values["pooled_at"] = c.now;
    pooled.event_extra["pooled"] = {{"pool_id", lead.waiting_pool_id}, {"reason", "no_matching_assignment_rule"}};
    records_.Finalize(pooled);
    LF_TRY(records_.ApplyCreate(tx, pooled));
    *placed = true;
    return c.id;
  }
  LF_TRY(records_.ApplyCreate(tx, c));
  if (!pick.is_null()) {
    LF_TRY(assignment_.Apply(tx, c.actor, c.id, pick["owner_id"].get<std::string>(),
                             {{"kind", "rule"}, {"rule_id", pick["rule_id"]},
                              {"rule_name", pick["rule_name"]}, {"strategy", pick["strategy"]},
                              {"open_leads_before", pick["load_before"]}}));
    *placed = true;
  }
  return c.id;
}

Status LeadService::ManualEntryDisabled(const std::string& pool_name) {
  return Status::Error(ErrorKind::kPermissionDenied, "leads.manual_entry_disabled",
                       "the pool '" + pool_name + "' takes no manual entry: its leads come in through intake sources",
                       "「" + pool_name + "」已关闭手工录入,线索只能通过进线入口进入");
}

Result<std::string> LeadService::ManualEntryPool(const Principal& p, const json& body) {
  LF_ASSIGN(CachedSettings s, SettingsFor(p));
  std::string id;
  if (body.is_object() && body.contains("home_pool_id")) {
    const json& v = body["home_pool_id"];
    if (!v.is_string() && !v.is_null())
      return Invalid("home_pool_id", "home_pool_id must be a pool id", "归属公海须为公海 ID", "validation.wrong_type");
    if (v.is_string()) id = v.get<std::string>();
  }
  const std::string& chosen = id.empty() ? s.default_pool_id : id;
  if (chosen.empty()) return id;  // no pools yet: nothing to switch off
  auto pool = s.pools->find(chosen);
  if (!id.empty() && (pool == s.pools->end() || !pool->second.enabled))
    return Invalid("home_pool_id", "no enabled pool has this id", "公海不存在或已停用");
  if (pool == s.pools->end()) return id;
  if (!pool->second.manual_entry) return ManualEntryDisabled(pool->second.name);
  return id;
}

Result<LeadService::CachedSettings> LeadService::ReadSettings(const std::string& tenant_id) {
  CachedSettings s;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(s.dedup_window_hours, SettingInt(c, tenant_id, kDedupWindowKey, kDefaultDedupWindowHours));
    LF_ASSIGN(s.silent_period_hours, SettingInt(c, tenant_id, kSilentKey, kDefaultSilentHours));
    LF_ASSIGN(auto rows, c.Query("SELECT id, name, is_default, enabled, rules FROM pools WHERE tenant_id = ?",
                                 {tenant_id}));
    auto pools = std::make_shared<std::map<std::string, PoolEntry>>();
    for (const auto& r : rows.rows) {
      (*pools)[AsText(r[0])] = PoolEntry{AsText(r[1]), AsInt(r[3]) != 0,
                                         TakesManualEntry(json::parse(AsText(r[4]), nullptr, false))};
      if (AsInt(r[2]) != 0) s.default_pool_id = AsText(r[0]);
    }
    s.pools = std::move(pools);
    return Status::Ok();
  }));
  return s;
}

Result<LeadService::CachedSettings> LeadService::SettingsFor(const Principal& p) {
  {
    std::lock_guard lock(settings_mu_);
    auto it = settings_.find(p.tenant_id);
    if (it != settings_.end() && it->second.version >= p.schema_version) return it->second;
  }
  LF_ASSIGN(CachedSettings s, ReadSettings(p.tenant_id));
  s.version = p.schema_version;
  std::lock_guard lock(settings_mu_);
  auto& slot = settings_[p.tenant_id];
  if (slot.version <= s.version) slot = s;
  return s;
}

Status LeadService::StampOwner(const Principal& p, PreparedCreate& c) {
  auto owner = c.values.find("owner_id");
  if (owner == c.values.end() || owner->is_null()) return Status::Ok();
  LF_ASSIGN(CachedSettings settings, SettingsFor(p));
  int64_t hours = settings.silent_period_hours;
  c.values["assigned_at"] = c.now;
  c.values["silent_until"] = c.now + hours * kHourMs;
  return Status::Ok();
}

Result<LeadResult> LeadService::Create(const Principal& p, const json& body,
                                       const IdempotencyKey* idem) {
  std::promise<Result<LeadResult>> promise;
  auto fut = promise.get_future();
  CreateAsync(p, body, idem, nullptr, nullptr,
              [&promise](Result<LeadResult> r) { promise.set_value(std::move(r)); });
  return fut.get();
}

Status LeadService::OnActivityCreated(Tx& tx, const PreparedCreate& c) {
  auto it = c.values.find("lead_id");
  if (it == c.values.end() || !it->is_string()) return Status::Ok();
  std::string lead_id = it->get<std::string>();
  LF_ASSIGN(auto rows, tx.Query("SELECT created_at, first_followup_at, last_followup_at FROM leads "
                                "WHERE tenant_id = ? AND id = ?",
                                {c.actor.tenant_id, lead_id}));
  if (rows.empty()) return Status::Ok();  // references were checked before: cannot happen
  int64_t created = AsInt(rows.rows[0][0]);
  // A follow-up counts when it is logged: a typed occurred_at may date it back (never forward) for
  // the last follow-up, but 响应时效 is computed from the logging time, never typed.
  const int64_t at = c.now;
  auto occ = c.values.find("occurred_at");
  int64_t last = occ != c.values.end() && occ->is_number() ? std::min(occ->get<int64_t>(), at) : at;
  // last_followup_at is derived bookkeeping (pool reclaim, follow-up gaps): no version bump.
  if (IsNull(rows.rows[0][2]) || last > AsInt(rows.rows[0][2]))
    LF_TRY(tx.Exec("UPDATE leads SET last_followup_at = ? WHERE tenant_id = ? AND id = ?",
                   {last, c.actor.tenant_id, lead_id})
               .status());
  if (!IsNull(rows.rows[0][1])) return Status::Ok();  // already answered
  // 响应时效: hours from the lead's creation to its first follow-up.
  double hours = std::round(double(std::max<int64_t>(0, at - created)) / double(kHourMs) * 100) / 100;
  LF_TRY(tx.Exec("UPDATE leads SET first_followup_at = ?, response_hours = ?, version = version + 1, "
                 "updated_at = ? WHERE tenant_id = ? AND id = ?",
                 {at, hours, c.now, c.actor.tenant_id, lead_id})
             .status());
  return events_
      .Append(tx, c.actor.tenant_id, c.actor.user_id, "lead.updated", "leads", lead_id,
              {{"changes", json::array({{{"field", "first_followup_at"}, {"old", nullptr}, {"new", at}},
                                        {{"field", "response_hours"}, {"old", nullptr}, {"new", hours}}})},
               {"cause", {{"activity_id", c.id}}}})
      .status();
}

Result<json> LeadService::QuickEntry(const Principal& p, const json& body) {
  if (!body.is_object())
    return Status::Error(ErrorKind::kInvalidArgument, "request.body_not_object",
                         "request body must be a JSON object", "请求体必须是 JSON 对象");
  static const std::set<std::string> kKeys = {"phone",   "wechat",      "salutation",
                                              "company", "core_need",   "next_action",
                                              "next_action_at", "channel", "first_touch", "home_pool_id"};
  for (auto it = body.begin(); it != body.end(); ++it)
    if (!kKeys.count(it.key())) return UnknownField(it.key());
  auto str = [&](const char* k) {
    return body.contains(k) && body[k].is_string() ? body[k].get<std::string>() : std::string();
  };
  if (str("phone").empty() && str("wechat").empty())
    return Invalid("phone", "a phone number or a WeChat ID is needed", "请填写手机号或微信号",
                   "validation.required");
  if (str("salutation").empty())
    return Invalid("salutation", "salutation is required", "请填写称呼", "validation.required");
  json lead = {{"name", str("salutation")}, {"salutation", str("salutation")},
               {"channel", str("channel").empty() ? "manual" : str("channel")}};
  for (const char* k : {"phone", "wechat", "company", "core_need", "first_touch"})
    if (body.contains(k)) lead[k] = body[k];
  LF_ASSIGN(CachedSettings settings, SettingsFor(p));
  LF_ASSIGN(std::string home_pool_id, ManualEntryPool(p, body));
  LF_ASSIGN(auto c, records_.PrepareCreate(p, "leads", lead));
  if (!home_pool_id.empty()) c->values["home_pool_id"] = home_pool_id;
  c->values["touch_count"] = 1;
  c->values["last_touch_at"] = c->now;
  LF_TRY(StampOwner(p, *c));
  records_.Finalize(*c);
  std::shared_ptr<PreparedCreate> activity, task;
  if (!str("core_need").empty()) {
    LF_ASSIGN(activity, records_.PrepareCreate(p, "activities",
                                               {{"kind", "note"}, {"content", str("core_need")},
                                                {"lead_id", c->id}}));
  }
  if (!str("next_action").empty() || body.contains("next_action_at")) {
    json t = {{"title", str("next_action").empty() ? "跟进" : str("next_action")}, {"lead_id", c->id}};
    if (body.contains("next_action_at")) t["due_at"] = body["next_action_at"];
    auto prepared = records_.PrepareCreate(p, "tasks", t);
    if (!prepared.ok()) {
      Status s = prepared.status();
      return Status::Error(s.kind(), s.code(), s.detail_en(), s.detail_zh(),
                           s.field() == "due_at" ? "next_action_at" : s.field() == "title" ? "next_action" : s.field());
    }
    task = *prepared;
  }
  std::string phone = c->values.contains("phone") && c->values["phone"].is_string()
                          ? c->values["phone"].get<std::string>()
                          : std::string();
  LeadResult out;
  json touch = {{"channel", c->values["channel"]}, {"via", "quick_entry"}};
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    out = LeadResult{};
    std::string lead_id = c->id;
    if (!phone.empty()) {
      LF_ASSIGN(auto dup, FindRecentDuplicate(tx, p.tenant_id, phone, c->now, settings.dedup_window_hours));
      if (dup) {
        auto visible = records_.Load(tx.conn(), p, "leads", *dup);
        if (!visible.ok() && visible.status().kind() == ErrorKind::kNotFound)
          return DuplicateOfOthers(tx, p, *dup);
        LF_TRY(Touch(tx, p, *dup, c->now, touch));
        lead_id = *dup;
        out.deduplicated = true;
      }
    }
    if (!out.deduplicated) LF_TRY(records_.ApplyCreate(tx, *c));
    for (const auto& part : {activity, task}) {
      if (!part) continue;
      PreparedCreate copy = *part;  // re-runnable: the write may run twice
      copy.values["lead_id"] = lead_id;
      records_.Finalize(copy);
      LF_TRY(records_.ApplyCreate(tx, copy));
    }
    LF_ASSIGN(out.lead, records_.Load(tx.conn(), p, "leads", lead_id));
    return Status::Ok();
  }));
  json result = {{"lead", out.lead}, {"deduplicated", out.deduplicated}};
  if (activity) result["activity_id"] = activity->id;
  if (task) result["task_id"] = task->id;
  return result;
}

Result<json> LeadService::DuplicateCheck(const Principal& p, const std::string& phone_in,
                                         const std::string& wechat, const std::string& company) {
  std::string phone;
  if (!phone_in.empty()) {
    auto e164 = NormalizePhone(phone_in);
    if (!e164.ok())
      return Status::Error(ErrorKind::kInvalidArgument, "query.bad_phone", e164.status().detail_en(),
                           e164.status().detail_zh(), "phone");
    phone = *e164;
  }
  if (phone.empty() && wechat.empty() && company.empty())
    return Status::Error(ErrorKind::kInvalidArgument, "query.nothing_to_check",
                         "give phone, wechat or company", "请提供手机号、微信号或公司名称");
  json matches = json::array();
  Status st = db_.Read([&](Connection& conn) -> Status {
    struct Probe {
      const char* entity;
      const char* column;
      const std::string* value;
    };
    const Probe probes[] = {{"leads", "phone", &phone},      {"leads", "wechat", &wechat},
                            {"leads", "company", &company},  {"customers", "phone", &phone},
                            {"customers", "name", &company}, {"contacts", "phone", &phone},
                            {"contacts", "wechat", &wechat}};
    for (const auto& pr : probes) {
      if (pr.value->empty()) continue;
      LF_ASSIGN(auto rows,
                conn.Query(std::string("SELECT x.owner_id, u.name, x.archived_at FROM ") + pr.entity +
                               " x LEFT JOIN users u ON u.tenant_id = x.tenant_id AND u.id = "
                               "x.owner_id WHERE x.tenant_id = ? AND x." + pr.column +
                               " = ? LIMIT 10",  // no ORDER BY: it let SQLite walk created_at
                           {p.tenant_id, *pr.value}));
      for (const auto& r : rows.rows) {
        json owner = IsNull(r[0]) ? json(nullptr) : json{{"id", AsText(r[0])}, {"name", AsText(r[1])}};
        matches.push_back({{"entity", pr.entity},
                           {"field", std::string(pr.entity) == "customers" && std::string(pr.column) == "name"
                                         ? "company" : pr.column},
                           {"owner", owner},
                           {"mine", !IsNull(r[0]) && AsText(r[0]) == p.user_id},
                           {"in_pool", IsNull(r[0])},
                           {"archived", !IsNull(r[2])}});
      }
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return json{{"duplicate", !matches.empty()}, {"matches", std::move(matches)}};
}

Result<json> LeadService::CreateIntakeSource(const Principal& p, const json& body) {
  if (!p.Can("intake.manage")) return Forbidden("intake.manage");
  if (!body.is_object())
    return Status::Error(ErrorKind::kInvalidArgument, "request.body_not_object",
                         "request body must be a JSON object", "请求体必须是 JSON 对象");
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (it.key() != "name" && it.key() != "channel" && it.key() != "first_touch" && it.key() != "pool_id")
      return UnknownField(it.key());
    if (!it->is_string() && !(it->is_null() && it.key() == "pool_id"))
      return Invalid(it.key(), it.key() + " must be a string", it.key() + " 必须是字符串", "validation.wrong_type");
  }
  const json pool_id = body.value("pool_id", json(nullptr));
  std::string name = body.value("name", ""), channel = body.value("channel", ""),
              first_touch = body.value("first_touch", "");
  if (name.empty() || Utf8Length(name) > 100)
    return Invalid("name", "name must be 1–100 characters", "名称长度须为 1–100", "validation.required");
  LF_ASSIGN(auto schema, records_.SchemaFor(p));
  const auto* leads = schema->Find("leads");
  if (!leads->Find("channel")->HasOption(channel))
    return Invalid("channel", "'" + channel + "' is not a lead channel", "'" + channel + "' 不是有效的来源渠道",
                   "validation.not_an_option");
  if (!first_touch.empty() && !leads->Find("first_touch")->HasOption(first_touch))
    return Invalid("first_touch", "'" + first_touch + "' is not a first-touch action",
                   "'" + first_touch + "' 不是有效的首触动作", "validation.not_an_option");
  int64_t now = clock_.NowMs();
  std::string id = UuidV7(now), key = RandomToken(24);
  json out;
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_TRY(CheckSourcePool(tx, p.tenant_id, pool_id));
    LF_TRY(tx.Exec("INSERT INTO intake_sources (tenant_id, id, name, channel, first_touch, key_hash, "
                   "key_hint, enabled, created_at, created_by, pool_id) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
                   {p.tenant_id, id, name, channel, first_touch.empty() ? Value(nullptr) : Value(first_touch),
                    Sha256Hex(key), key.substr(key.size() - 4), now, p.user_id,
                    pool_id.is_string() ? Value(pool_id.get<std::string>()) : Value(nullptr)})
               .status());
    LF_ASSIGN(auto rows, tx.Query(std::string("SELECT ") + kIntakeColumns +
                                      " FROM intake_sources WHERE tenant_id = ? AND id = ?",
                                  {p.tenant_id, id}));
    out = IntakeSourceJson(rows.rows.at(0));
    return events_.Append(tx, p.tenant_id, p.user_id, "intake_source.created", "intake_sources", id, out)
        .status();
  }));
  out["key"] = key;  // shown once
  return out;
}

Result<json> LeadService::ListIntakeSources(const Principal& p) {
  if (!p.Can("intake.manage")) return Forbidden("intake.manage");
  json items = json::array();
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query(std::string("SELECT ") + kIntakeColumns +
                                     " FROM intake_sources WHERE tenant_id = ? ORDER BY created_at",
                                 {p.tenant_id}));
    for (auto& r : rows.rows) items.push_back(IntakeSourceJson(r));
    return Status::Ok();
  }));
  return json{{"items", std::move(items)}};
}

Result<json> LeadService::RotateIntakeKey(const Principal& p, const std::string& id) {
  if (!p.Can("intake.manage")) return Forbidden("intake.manage");
  std::string key = RandomToken(24);
  json out;
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    LF_ASSIGN(int64_t n, tx.Exec("UPDATE intake_sources SET key_hash = ?, key_hint = ? WHERE tenant_id = ? "
                                 "AND id = ?",
                                 {Sha256Hex(key), key.substr(key.size() - 4), p.tenant_id, id}));
    if (n == 0)
      return Status::Error(ErrorKind::kNotFound, "record.not_found", "intake source not found",
                           "进线入口不存在");
    LF_ASSIGN(auto rows, tx.Query(std::string("SELECT ") + kIntakeColumns +
                                      " FROM intake_sources WHERE tenant_id = ? AND id = ?",
                                  {p.tenant_id, id}));
    out = IntakeSourceJson(rows.rows.at(0));
    return events_.Append(tx, p.tenant_id, p.user_id, "intake_source.key_rotated", "intake_sources", id,
                          json::object())
        .status();
  }));
  out["key"] = key;
  return out;
}

Result<json> LeadService::UpdateIntakeSource(const Principal& p, const std::string& id, const json& body) {
  if (!p.Can("intake.manage")) return Forbidden("intake.manage");
  if (!body.is_object())
    return Status::Error(ErrorKind::kInvalidArgument, "request.body_not_object",
                         "request body must be a JSON object", "请求体必须是 JSON 对象");
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (it.key() != "name" && it.key() != "first_touch" && it.key() != "enabled" && it.key() != "pool_id")
      return UnknownField(it.key());
    if (it.key() == "enabled" ? !it->is_boolean() : !(it->is_string() || (it->is_null() && it.key() != "name")))
      return Invalid(it.key(), it.key() + " has the wrong type", it.key() + " 类型错误", "validation.wrong_type");
  }
  if (body.contains("name") && (body["name"].get<std::string>().empty() || Utf8Length(body["name"].get<std::string>()) > 100))
    return Invalid("name", "name must be 1–100 characters", "名称长度须为 1–100", "validation.required");
  if (body.contains("first_touch") && body["first_touch"].is_string()) {
    LF_ASSIGN(auto schema, records_.SchemaFor(p));
    if (!schema->Find("leads")->Find("first_touch")->HasOption(body["first_touch"].get<std::string>()))
      return Invalid("first_touch", "not a first-touch action", "不是有效的首触动作", "validation.not_an_option");
  }
  if (!IsUuid(id)) return Status::Error(ErrorKind::kNotFound, "record.not_found", "intake source not found", "进线入口不存在");
  return db_.WriteResult<json>([&](Tx& tx) -> Result<json> {
    LF_ASSIGN(auto rows, tx.Query(std::string("SELECT ") + kIntakeColumns +
                                      " FROM intake_sources WHERE tenant_id = ? AND id = ?",
                                  {p.tenant_id, id}));
    if (rows.empty())
      return Status::Error(ErrorKind::kNotFound, "record.not_found", "intake source not found", "进线入口不存在");
    json before = IntakeSourceJson(rows.rows[0]);
    json after = before;
    for (auto it = body.begin(); it != body.end(); ++it) after[it.key()] = *it;
    if (body.contains("pool_id")) LF_TRY(CheckSourcePool(tx, p.tenant_id, after["pool_id"]));
    auto text_or_null = [](const json& v) { return v.is_string() ? Value(v.get<std::string>()) : Value(nullptr); };
    LF_TRY(tx.Exec("UPDATE intake_sources SET name = ?, first_touch = ?, enabled = ?, pool_id = ? WHERE "
                   "tenant_id = ? AND id = ?",
                   {after["name"].get<std::string>(), text_or_null(after["first_touch"]),
                    int64_t(after["enabled"].get<bool>()), text_or_null(after["pool_id"]), p.tenant_id, id})
               .status());
    LF_TRY(events_.Append(tx, p.tenant_id, p.user_id, "intake_source.updated", "intake_sources", id,
                          {{"before", before}, {"after", after}})
               .status());
    return after;
  });
}

Result<IntakeSource> LeadService::AuthenticateIntake(const std::string& source_id,
                                                     const std::string& key) {
  auto denied = Status::Error(ErrorKind::kUnauthenticated, "intake.bad_key",
                              "unknown intake source or wrong key", "进线入口不存在或密钥错误");
  if (!IsUuid(source_id) || key.empty() || key.size() > 200) return denied;
  IntakeSource s;
  std::string hash;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, c.Query("SELECT tenant_id, id, name, channel, first_touch, created_by, "
                                 "enabled, key_hash, pool_id FROM intake_sources WHERE id = ?",
                                 {source_id}));
    if (rows.empty()) return Status::Ok();
    const Row& r = rows.rows[0];
    s = {AsText(r[0]), AsText(r[1]), AsText(r[2]), AsText(r[3]), AsText(r[4]), AsText(r[5]),
         IsNull(r[8]) ? std::string() : AsText(r[8]), AsInt(r[6]) != 0};
    hash = AsText(r[7]);
    return Status::Ok();
  }));
  if (hash.empty() || !ConstantTimeEquals(hash, Sha256Hex(key))) return denied;
  if (!s.enabled)
    return Status::Error(ErrorKind::kPermissionDenied, "intake.disabled", "this intake source is disabled",
                         "该进线入口已停用");
  return s;
}

Result<json> LeadService::IntakeBody(const Principal& p, const IntakeSource& source,
                                     const json& payload) {
  if (!payload.is_object())
    return Status::Error(ErrorKind::kInvalidArgument, "request.body_not_object",
                         "request body must be a JSON object", "请求体必须是 JSON 对象");
  static const std::map<std::string, std::string> kAliases = {
      {"keyword", "ad_keyword"},          {"search_keyword", "ad_keyword"}, {"bd_vid", "ad_bd_vid"},
      {"campaign", "ad_campaign"},        {"plan", "ad_campaign"},          {"unit", "ad_unit"},
      {"promotion_id", "ad_promotion_id"}, {"mobile", "phone"},            {"tel", "phone"},
      {"weixin", "wechat"},               {"wx", "wechat"},                 {"company_name", "company"}};
  LF_ASSIGN(auto schema, records_.SchemaFor(p));
  const auto* leads = schema->Find("leads");
  json body = json::object();
  for (auto it = payload.begin(); it != payload.end(); ++it) {
    std::string key = it.key();
    if (auto a = kAliases.find(key); a != kAliases.end()) key = a->second;
    const FieldDef* f = leads->Find(key);
    if (!f || f->readonly || f->system || key == "channel" || key == "owner_id") continue;
    if (it->is_null()) continue;
    json v = *it;
    if (v.is_number() && f->type == FieldType::kText) v = v.dump();  // ids sent as numbers
    if (f->type == FieldType::kEnum && v.is_string() && !f->HasOption(v.get<std::string>())) {
      // A form may send the label (预约演示); an option we do not know never loses the lead — it
      // stays in the raw payload.
      auto o = std::find_if(f->options.begin(), f->options.end(),
                            [&](const EnumOption& x) { return x.label_zh == v || x.label_en == v; });
      if (o == f->options.end()) continue;
      v = o->value;
    }
    body[key] = v;
  }
  if (!body.contains("name")) {
    std::string label;
    for (const auto& o : leads->Find("channel")->options)
      if (o.value == source.channel) label = o.label_zh;
    body["name"] = body.contains("salutation") ? body["salutation"] : json((label.empty() ? source.name : label) + "线索");
  }
  return body;
}

Result<json> LeadService::Settings(const Principal& p) {
  // Straight from the database: the principal's version may predate a change this request made.
  LF_ASSIGN(CachedSettings st, ReadSettings(p.tenant_id));
  return json{{"dedup_window_hours", st.dedup_window_hours}, {"silent_period_hours", st.silent_period_hours}};
}

Result<json> LeadService::UpdateSettings(const Principal& p, const json& body) {
  if (!p.Can("settings.manage")) return Forbidden("settings.manage");
  if (!body.is_object() || body.empty())
    return Status::Error(ErrorKind::kInvalidArgument, "request.body_not_object",
                         "request body must be a non-empty JSON object", "请求体必须是非空 JSON 对象");
  // setting → (storage key, min, max); both are hours.
  static const std::map<std::string, std::tuple<const char*, int64_t, int64_t>> kSettings = {
      {"dedup_window_hours", {kDedupWindowKey, 1, 720}},
      {"silent_period_hours", {kSilentKey, 0, 720}}};
  for (auto it = body.begin(); it != body.end(); ++it) {
    auto s = kSettings.find(it.key());
    if (s == kSettings.end()) return UnknownField(it.key());
    auto [key, lo, hi] = s->second;
    if (!it->is_number_integer() || it->get<int64_t>() < lo || it->get<int64_t>() > hi)
      return Invalid(it.key(), it.key() + " must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi),
                     it.key() + " 须为 " + std::to_string(lo) + "–" + std::to_string(hi) + " 的整数(小时)",
                     "validation.out_of_range");
  }
  int64_t now = clock_.NowMs();
  LF_TRY(db_.Write([&](Tx& tx) -> Status {
    for (auto it = body.begin(); it != body.end(); ++it)
      LF_TRY(tx.Exec("INSERT INTO tenant_settings (tenant_id, key, value, updated_at) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT (tenant_id, key) DO UPDATE SET value = excluded.value, updated_at = "
                     "excluded.updated_at",
                     {p.tenant_id, std::string(std::get<0>(kSettings.at(it.key()))),
                      std::to_string(it->get<int64_t>()), now})
                 .status());
    // Bumping the version makes every instance's settings cache reload on the next request.
    LF_TRY(tx.Exec("UPDATE tenants SET schema_version = schema_version + 1 WHERE id = ?", {p.tenant_id}).status());
    return events_.Append(tx, p.tenant_id, p.user_id, "settings.updated", "settings", "leads", body).status();
  }));
  return Settings(p);
}

}  // namespace lf
