// events/: the ordered, durable, hash-chained event log that is the spine of LeadFlow (DESIGN.md §1)
// and the in-process bus that fans committed events out to live streams. Every write appends its
// domain events in the same transaction. Depends on base/ and storage/.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/status.h"
#include "storage/database.h"

namespace lf {

struct Event {
  std::string tenant_id;
  int64_t seq = 0;  // dense per tenant, from 1; commit order equals seq order within a tenant
  int64_t at = 0;   // UTC epoch ms
  std::string actor_id, type, entity, entity_id;
  nlohmann::json data;
};

// Fans committed events out to subscribers (live streams). Thread-safe; callbacks run on the
// writer thread after commit and must not block.
class EventBus {
 public:
  using Callback = std::function<void(const Event&)>;
  // Subscribes to the events of one tenant ("": of every tenant). Returns a handle for Unsubscribe.
  uint64_t Subscribe(const std::string& tenant_id, Callback cb);
  void Unsubscribe(uint64_t handle);
  void Publish(const Event& e);
  size_t subscriber_count() const;

 private:
  mutable std::mutex mu_;  // guards subs_, next_
  struct Sub {
    std::string tenant_id;
    Callback cb;
  };
  std::map<uint64_t, Sub> subs_;
  uint64_t next_ = 1;
};

class EventLog {
 public:
  // `bus` may be null (CLI tools). Both must outlive the log.
  EventLog(const Clock& clock, EventBus* bus) : clock_(clock), bus_(bus) {}

  // Appends an event inside `tx`: takes the tenant's chain head (a row lock on PostgreSQL, so
  // appends of one tenant serialise and commit in seq order), hashes, inserts. Returns the seq.
  // `data_text` may carry data.dump() computed by the caller outside the writer.
  Result<int64_t> Append(Tx& tx, const std::string& tenant_id, const std::string& actor_id,
                         std::string type, std::string entity, std::string entity_id,
                         nlohmann::json data, std::string data_text = {});

  // Events of one record, oldest first.
  static Result<std::vector<Event>> ForRecord(Connection& c, const std::string& tenant_id,
                                              const std::string& entity,
                                              const std::string& entity_id, int limit = 1000);

  struct VerifyReport {
    int64_t tenants = 0, events = 0;
    std::vector<std::string> problems;  // empty = intact
  };
  // Recomputes every tenant's chain: detects edited rows (hash mismatch), deleted rows (seq gap or
  // prev_hash mismatch) and a truncated tail (chain head in tenants disagrees).
  static Result<VerifyReport> Verify(Database& db);

  static std::string Hash(const std::string& prev_hash, const Event& e, const std::string& data);

 private:
  struct Head {
    int64_t seq = 0;
    std::string hash;
  };
  const Clock& clock_;
  EventBus* bus_;
  // Last chain head this process appended, per tenant (one entry per active tenant, ~100 bytes).
  // A hint only: appends compare-and-set the head row, so a stale entry (another instance wrote,
  // a batch rolled back) costs one re-read, never a fork of the chain.
  std::mutex heads_mu_;
  std::unordered_map<std::string, Head> heads_;
};

}  // namespace lf
