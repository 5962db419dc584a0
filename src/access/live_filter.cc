// Implements access/live_filter.h.
#include "access/live_filter.h"

namespace lf {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxQueue = 100000;  // beyond this, events for live streams are dropped (clients replay)
constexpr size_t kBatch = 500;

// Stored-form rows by "entity/id", with the rows their reference fields point to (two levels:
// enough for inherit and via rules). Node addresses stay stable while facts point into it.
class FactStore {
 public:
  FactStore(Connection& c, const TenantSchema& schema, const std::string& tenant)
      : c_(c), schema_(schema), tenant_(tenant) {}

  // Loads these rows of `entity` (and their parents) into the store.
  Status Load(const TenantSchema::Entity& e, const std::set<std::string>& ids, int depth) {
    std::vector<Value> params{tenant_};
    std::string marks;
    for (const auto& id : ids) {
      if (rows_.count(e.def->name + "/" + id)) continue;
      marks += marks.empty() ? "?" : ", ?";
      params.push_back(id);
    }
    if (marks.empty()) return Status::Ok();
    LF_ASSIGN(auto r, c_.Query("SELECT * FROM " + e.def->name + " WHERE tenant_id = ? AND id IN (" + marks + ")",
                               params));
    std::map<std::string, std::set<std::string>> parents;  // parent entity → ids
    for (const auto& row : r.rows) {
      json v = json::object();
      json custom;
      for (size_t i = 0; i < r.columns.size(); ++i) {
        const Value& cell = row[i];
        if (r.columns[i] == "custom") {
          custom = json::parse(AsText(cell), nullptr, false);
          continue;
        }
        const FieldDef* f = e.Find(r.columns[i]);
        if (!f) continue;
        if (IsNull(cell)) v[f->name] = nullptr;
        else if (f->type == FieldType::kTags || f->type == FieldType::kMultiEnum)
          v[f->name] = json::parse(AsText(cell), nullptr, false);
        else if (auto* n = std::get_if<int64_t>(&cell)) v[f->name] = *n;
        else if (auto* d = std::get_if<double>(&cell)) v[f->name] = *d;
        else v[f->name] = AsText(cell);
      }
      if (custom.is_object())
        for (auto it = custom.begin(); it != custom.end(); ++it) v[it.key()] = it.value();
      if (depth < 2)
        for (const auto& f : e.fields)
          if (f.type == FieldType::kReference && v.contains(f.name) && v[f.name].is_string() &&
              schema_.Find(f.ref_entity))
            parents[f.ref_entity].insert(v[f.name].get<std::string>());
      if (!v["id"].is_string()) continue;
      // The key first: json's operator= takes its argument by value, and C++17 evaluates the
      // right operand (moving `v` away) before the left.
      std::string key = e.def->name + "/" + v["id"].get<std::string>();
      rows_[key] = std::move(v);
    }
    for (const auto& [entity, pids] : parents) LF_TRY(Load(*schema_.Find(entity), pids, depth + 1));
    return Status::Ok();
  }

  // The facts of a loaded row, or nullopt.
  std::optional<RecordFacts> Facts(const TenantSchema::Entity& e, const std::string& id, int depth = 0) const {
    auto it = rows_.find(e.def->name + "/" + id);
    if (it == rows_.end()) return std::nullopt;
    RecordFacts f;
    f.values = &it->second;
    if (depth >= 2) return f;
    for (const auto& fd : e.fields) {
      if (fd.type != FieldType::kReference) continue;
      auto v = it->second.find(fd.name);
      const auto* target = schema_.Find(fd.ref_entity);
      if (v == it->second.end() || !v->is_string() || !target) continue;
      if (auto p = Facts(*target, v->get<std::string>(), depth + 1)) f.parents[fd.name] = std::move(*p);
    }
    return f;
  }

 private:
  Connection& c_;
  const TenantSchema& schema_;
  const std::string& tenant_;
  std::map<std::string, json> rows_;
};

}  // namespace

LiveFilter::LiveFilter(Database& db, AccessService& access, SchemaRegistry& schemas)
    : db_(db), access_(access), schemas_(schemas), worker_([this] { Run(); }) {}

LiveFilter::~LiveFilter() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

uint64_t LiveFilter::Subscribe(const Principal& p, Deliver deliver) {
  std::lock_guard lock(mu_);
  uint64_t h = next_++;
  subs_[h] = Sub{p, std::move(deliver)};
  ++tenant_subs_[p.tenant_id];
  return h;
}

void LiveFilter::Unsubscribe(uint64_t handle) {
  std::lock_guard lock(mu_);
  auto it = subs_.find(handle);
  if (it == subs_.end()) return;
  if (--tenant_subs_[it->second.principal.tenant_id] == 0) tenant_subs_.erase(it->second.principal.tenant_id);
  subs_.erase(it);
}

void LiveFilter::Publish(const Event& e) {
  {
    std::lock_guard lock(mu_);
    // Runs on the writer thread for every committed event: one lookup, no scan.
    if (!tenant_subs_.count(e.tenant_id) || queue_.size() >= kMaxQueue) return;
    queue_.push_back(Item{e, 0});
  }
  cv_.notify_one();
}

void LiveFilter::Replay(uint64_t handle, std::vector<Event> events) {
  {
    std::lock_guard lock(mu_);
    for (auto& e : events) queue_.push_back(Item{std::move(e), handle});
  }
  cv_.notify_one();
}

size_t LiveFilter::subscriber_count() {
  std::lock_guard lock(mu_);
  return subs_.size();
}

void LiveFilter::Run() {
  for (;;) {
    std::vector<Item> batch;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      while (!queue_.empty() && batch.size() < kBatch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    Process(batch);
  }
}

void LiveFilter::Process(std::vector<Item>& batch) {
  // Group by tenant; keep order within the batch.
  std::map<std::string, std::vector<Item*>> by_tenant;
  for (auto& it : batch) by_tenant[it.event.tenant_id].push_back(&it);
  for (auto& [tenant, items] : by_tenant) {
    std::vector<std::pair<uint64_t, Sub>> subs;
    {
      std::lock_guard lock(mu_);
      for (const auto& [h, s] : subs_)
        if (s.principal.tenant_id == tenant) subs.emplace_back(h, s);
    }
    if (subs.empty()) continue;
    // The current policy version: a subscriber's principal is as old as its connection.
    int64_t policy_version = 0, schema_version = 0;
    std::map<std::string, std::set<std::string>> wanted;
    for (const auto* it : items) wanted[it->event.entity].insert(it->event.entity_id);
    std::shared_ptr<const TenantSchema> schema;
    std::optional<FactStore> store;
    Status st = db_.Read([&](Connection& c) -> Status {
      LF_ASSIGN(auto v, c.Query("SELECT policy_version, schema_version FROM tenants WHERE id = ?", {tenant}));
      if (v.empty()) return Status::Ok();
      policy_version = AsInt(v.rows[0][0]);
      schema_version = AsInt(v.rows[0][1]);
      return Status::Ok();
    });
    if (st.ok() && schema_version > 0) {
      auto got = schemas_.Get(tenant, schema_version);  // outside any read: no nested reads
      if (got.ok()) schema = *got;
    }
    if (!schema) continue;
    st = db_.Read([&](Connection& c) -> Status {
      store.emplace(c, *schema, tenant);
      for (const auto& [entity, ids] : wanted)
        if (const auto* e = schema->Find(entity)) LF_TRY(store->Load(*e, ids, 0));
      return Status::Ok();
    });
    if (!st.ok() || !schema) continue;  // a read failure drops this batch; clients replay on reconnect
    for (auto& [h, s] : subs) {
      s.principal.policy_version = policy_version;
      s.principal.schema_version = schema_version;
      auto policy = access_.For(s.principal);
      if (!policy.ok()) continue;
      const bool manager = (*policy)->superuser() || s.principal.Can(kPermAccessManage);
      for (const auto* it : items) {
        const Event& e = it->event;
        if (it->only && it->only != h) continue;
        bool show = false;
        if (const auto* ent = schema->Find(e.entity)) {
          auto facts = store->Facts(*ent, e.entity_id);
          show = facts && (*policy)->Decide(*schema, *ent, *facts, Action::kRead, access_.Now()).allow;
        } else if (e.entity == "users") {
          show = e.entity_id == s.principal.user_id || manager;
        } else {
          show = manager;
        }
        if (show) s.deliver(e);
      }
    }
  }
}

}  // namespace lf
