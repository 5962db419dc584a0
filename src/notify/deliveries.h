// The delivery log and the deliverer (issue 4 §6). A delivery is one message to one channel:
// pending → sending (claimed with a lease) → delivered, or → retrying (backoff) → … → dead after
// kMaxAttempts. Rows are queued inside the write that causes them (Enqueue: the outbox), sent by
// the Deliverer's thread with libcurl (up to 64 at once on one multi handle, so a receiver that
// hangs holds only its own slot), and every attempt's result is recorded. A dead delivery calls the
// installed hook inside the same write (automation raises an alert there).
// Thread-safety: thread-safe. The Deliverer's worker starts with Start() and stops in its destructor.
#pragma once

#include <curl/curl.h>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "identity/identity.h"
#include "notify/channels.h"
#include "storage/database.h"

namespace lf::notify {

struct NewDelivery {
  std::string tenant_id, channel_id, kind;
  std::string rule_id, rule_name, entity, record_id;  // what caused it (empty: a test message)
  int64_t event_seq = 0;
  std::string recipient;  // a user id, or a description ("group")
  std::string title;
  nlohmann::json payload;  // see notify/messages.h
};

struct DeadLetter {
  std::string tenant_id, id, channel_id, channel_name, kind, rule_id, entity, record_id, title, last_error;
};

class DeliveryLog {
 public:
  static constexpr int kMaxAttempts = 5;
  DeliveryLog(Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  // Inside a write: queues a delivery due now and wakes the deliverer after the commit. Returns its id.
  Result<std::string> Enqueue(Tx& tx, const NewDelivery& d);
  // notify.manage. ?status=&channel_id=&rule_id=&record_id=&cursor=&limit= → {items, next_cursor}, newest first.
  Result<nlohmann::json> List(const Principal& p, const std::map<std::string, std::string>& filter);
  Result<nlohmann::json> Get(const Principal& p, const std::string& id);
  // A dead delivery is queued again (attempts start over). 409 notify.not_dead otherwise.
  Result<nlohmann::json> Retry(const Principal& p, const std::string& id);
  // Queues a test message on channel `id` to `p` and waits (≤ wait_ms) for its outcome.
  Result<nlohmann::json> SendTest(const Principal& p, const std::string& channel_id, int64_t wait_ms);
  // Set once at start-up: called after a commit that queued deliveries.
  void SetWaker(std::function<void()> wake) { wake_ = std::move(wake); }

 private:
  Database& db_;
  const Clock& clock_;
  std::function<void()> wake_;
};

struct DelivererOptions {
  int max_inflight = 64;
  int64_t connect_timeout_ms = 5000;
  int64_t timeout_ms = 10000;  // a receiver that hangs longer fails this attempt
  int64_t lease_ms = 60000;    // a claim older than this (a crashed sender) is taken over
  // Delay before attempt n+1 after n failed attempts (the last entry repeats).
  std::vector<int64_t> backoff_ms = {10000, 60000, 300000, 1800000};
};

class Deliverer {
 public:
  Deliverer(Database& db, const Clock& clock, DelivererOptions options = {});
  ~Deliverer();
  Deliverer(const Deliverer&) = delete;
  Deliverer& operator=(const Deliverer&) = delete;
  // Called inside the write that marks a delivery dead. Set before Start.
  void OnDead(std::function<Status(Tx&, const DeadLetter&)> hook) { on_dead_ = std::move(hook); }
  void Start();
  // Look for due deliveries now (any thread).
  void Wake();

 private:
  struct Transfer;
  // curl's read callback for an email body (`user` is the Transfer).
  static size_t ReadBody(char* buffer, size_t size, size_t n, void* user);
  void Loop();
  // Claims up to `n` due deliveries (one write) and starts their transfers.
  void ClaimAndStart(size_t n);
  // Records finished attempts (one write).
  void Record(std::vector<std::unique_ptr<Transfer>>& done);

  Database& db_;
  const Clock& clock_;
  DelivererOptions options_;
  std::string instance_;
  std::function<Status(Tx&, const DeadLetter&)> on_dead_;
  CURLM* multi_ = nullptr;
  std::vector<std::unique_ptr<Transfer>> active_;
  std::atomic<bool> stop_{false}, wake_{true};
  std::thread worker_;
};

}  // namespace lf::notify
