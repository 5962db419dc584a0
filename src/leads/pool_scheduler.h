// PoolScheduler: the daily pass of the public pools (L11) — at 02:00 in each tenant's zone, every
// enabled pool with reclaim rules takes back its due leads (LeadPools::Reclaim), and the owners of
// leads inside a pool's warning window ("warn_days_ahead") get one in-app notice with their count.
// Once per tenant and local day, also with several server instances: the day is claimed in
// tenant_settings ("pools.daily_pass") by a guarded update before anything runs; a pass missed
// while every server was down runs at the next start (same day after 02:00) or the next 02:00.
// Runs as the tenant's first active admin. Thread-safety: Start once; the destructor stops it.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "identity/identity.h"
#include "leads/pools.h"

namespace lf {

class PoolScheduler {
 public:
  static constexpr int kHour = 2;  // local hour of the daily pass
  PoolScheduler(Database& db, EventLog& events, IdentityService& identity, LeadPools& pools, const Clock& clock)
      : db_(db), events_(events), identity_(identity), pools_(pools), clock_(clock) {}
  ~PoolScheduler();
  void Start();
  // One check of every tenant (what the worker does every 10 s). Returns the tenants that ran.
  Result<int> RunOnce();

 private:
  // Claims `day` for the tenant; false when already claimed (by this or another instance).
  Result<bool> ClaimDay(const std::string& tenant_id, const std::string& day);
  Status RunTenant(const Principal& system);

  Database& db_;
  EventLog& events_;
  IdentityService& identity_;
  LeadPools& pools_;
  const Clock& clock_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread worker_;
};

}  // namespace lf
