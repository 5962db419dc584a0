// Implements leads/pool_scheduler.h.
#include "leads/pool_scheduler.h"

#include <map>

#include <spdlog/spdlog.h>

#include "base/time.h"

namespace lf {

using json = nlohmann::json;

namespace {
constexpr const char* kKey = "pools.daily_pass";
}

PoolScheduler::~PoolScheduler() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void PoolScheduler::Start() {
  worker_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      lock.unlock();
      auto r = RunOnce();
      if (!r.ok()) spdlog::warn("pool scheduler: {}", r.status().ToString());
      lock.lock();
      cv_.wait_for(lock, std::chrono::seconds(10), [this] { return stop_; });
    }
  });
}

Result<bool> PoolScheduler::ClaimDay(const std::string& tenant_id, const std::string& day) {
  return db_.WriteResult<bool>([&](Tx& tx) -> Result<bool> {
    int64_t now = clock_.NowMs();
    LF_ASSIGN(auto inserted, tx.Exec("INSERT INTO tenant_settings (tenant_id, key, value, updated_at) VALUES (?, ?, ?, ?) "
                                     "ON CONFLICT (tenant_id, key) DO NOTHING",
                                     {tenant_id, kKey, day, now}));
    if (inserted > 0) return true;
    // Dates as YYYY-MM-DD compare as text; of two instances, the second updates nothing.
    LF_ASSIGN(auto updated, tx.Exec("UPDATE tenant_settings SET value = ?, updated_at = ? WHERE tenant_id = ? AND "
                                    "key = ? AND value < ?",
                                    {day, now, tenant_id, kKey, day}));
    return updated > 0;
  });
}

Result<int> PoolScheduler::RunOnce() {
  struct Tenant {
    std::string id, zone, admin;
  };
  std::vector<Tenant> tenants;
  LF_TRY(db_.Read([&](Connection& c) -> Status {
    // Only tenants with a pool that reclaims or warns, and an active admin to act as.
    return c.ForEach("SELECT t.id, t.time_zone, (SELECT u.id FROM users u WHERE u.tenant_id = t.id AND u.role = 'admin' "
                     "AND u.status = 'active' ORDER BY u.created_at, u.id LIMIT 1) FROM tenants t WHERE EXISTS "
                     "(SELECT 1 FROM pools p WHERE p.tenant_id = t.id)",
                     {}, [&](const std::vector<std::string>&, const Row& r) {
                       if (!IsNull(r[2])) tenants.push_back({AsText(r[0]), AsText(r[1]), AsText(r[2])});
                       return true;
                     });
  }));
  int ran = 0;
  int64_t now = clock_.NowMs();
  for (const auto& t : tenants) {
    auto zone = FindZone(t.zone);
    if (!zone.ok()) continue;
    std::string local = FormatRfc3339(now, *zone);  // 2026-02-22T08:15:03+08:00
    if (std::stoi(local.substr(11, 2)) < kHour) continue;
    LF_ASSIGN(bool mine, ClaimDay(t.id, local.substr(0, 10)));
    if (!mine) continue;
    LF_ASSIGN(Principal system, identity_.PrincipalFor(t.id, t.admin));
    Status st = RunTenant(system);
    if (!st.ok()) spdlog::warn("pool scheduler: tenant {}: {}", t.id, st.ToString());
    ++ran;
  }
  return ran;
}

Status PoolScheduler::RunTenant(const Principal& system) {
  LF_ASSIGN(json pools, pools_.List(system));
  std::map<std::string, int64_t> warned;  // owner → leads about to go back
  for (const auto& pool : pools["items"]) {
    if (!pool.value("enabled", true)) continue;
    const std::string id = pool["id"].get<std::string>();
    LF_ASSIGN(json preview, pools_.ReclaimPreview(system, id));
    for (const auto& w : preview["warning"])
      if (!w["owner_id"].get<std::string>().empty()) ++warned[w["owner_id"].get<std::string>()];
    if (!preview["due"].empty()) {
      LF_ASSIGN(json r, pools_.Reclaim(system, id));
      spdlog::info("pool scheduler: pool {} reclaimed {} leads", id, r["reclaimed"].get<int64_t>());
    }
  }
  if (warned.empty()) return Status::Ok();
  return db_.Write([&](Tx& tx) -> Status {
    for (const auto& [owner, n] : warned)
      LF_TRY(events_.Append(tx, system.tenant_id, system.user_id, "notification.created", "users", owner,
                            {{"title", "公海回收提醒:你有 " + std::to_string(n) + " 条线索即将被收回公海,请尽快跟进"},
                             {"kind", "pool_reclaim_warning"}, {"count", n}})
                 .status());
    return Status::Ok();
  });
}

}  // namespace lf
