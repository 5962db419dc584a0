// access/: the live stream's enforcement point. Committed events reach a subscriber only when its
// policy lets it read the record the event is about (one database read per event batch for the
// record facts, then an in-memory AccessPolicy::Decide per subscriber). Events that are not about
// a record (roles, rules, grants, schema, …) reach access managers; events about a user (e.g.
// access.changed) reach that user too.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "access/access_service.h"
#include "events/event_log.h"

namespace lf {

// Thread-safe. Owns one worker thread; deliveries run on it and must not block.
class LiveFilter {
 public:
  LiveFilter(Database& db, AccessService& access, SchemaRegistry& schemas);
  ~LiveFilter();
  LiveFilter(const LiveFilter&) = delete;
  LiveFilter& operator=(const LiveFilter&) = delete;

  using Deliver = std::function<void(const Event&)>;
  // Registers a subscriber acting as `p`. Returns a handle for Unsubscribe.
  uint64_t Subscribe(const Principal& p, Deliver deliver);
  void Unsubscribe(uint64_t handle);
  // Queues a committed event for filtering (from the bus: never blocks).
  void Publish(const Event& e);
  // Queues past events for one subscriber only (Last-Event-ID replay), in order.
  void Replay(uint64_t handle, std::vector<Event> events);
  size_t subscriber_count();

 private:
  struct Sub {
    Principal principal;
    Deliver deliver;
  };
  struct Item {
    Event event;
    uint64_t only = 0;  // a replay for one subscriber; 0 = everyone of the tenant
  };
  void Run();
  void Process(std::vector<Item>& batch);

  Database& db_;
  AccessService& access_;
  SchemaRegistry& schemas_;
  std::mutex mu_;  // guards subs_, tenant_subs_, queue_, stop_, next_
  std::condition_variable cv_;
  std::map<uint64_t, Sub> subs_;
  std::map<std::string, int> tenant_subs_;  // tenant → number of its subscribers
  std::deque<Item> queue_;
  bool stop_ = false;
  uint64_t next_ = 1;
  std::thread worker_;  // last: started after the members above exist
};

}  // namespace lf
