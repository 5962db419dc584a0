// Facts: data a condition needs beyond the record's own fields (activity counts in a window, the
// last activity), supplied by the host. The compiler lists what a condition needs (FactNeed), so a
// host can prefetch in bulk; the evaluator asks lazily, at most once per (fact, window) per event.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/status.h"
#include "rules/calendar.h"

namespace lf::rules {

enum class FactKind : uint8_t {
  kActivityCount,   // activities_in(window)
  kLastActivityAt,  // last_activity_at()
};

// One fact a compiled condition may ask for. `window` is meaningful for kActivityCount only.
struct FactNeed {
  FactKind kind = FactKind::kActivityCount;
  Window window;
  bool operator==(const FactNeed&) const = default;
};

// Implemented by the host (a database-backed one reads the activities table; MemoryFacts in
// memory_facts.h holds them in memory). `entity` is the subject's singular name ("lead"),
// `record_id` its id. Implementations must be safe to call from the evaluating thread; an
// implementation shared between threads must be thread-safe itself. A non-OK Status aborts the
// event's evaluation with that Status (the host should retry the event later).
class Facts {
 public:
  virtual ~Facts() = default;
  // Number of activities linked to the record with occurred_at in [since_ms, now_ms].
  virtual Result<int64_t> CountActivities(std::string_view entity, std::string_view record_id,
                                          int64_t since_ms, int64_t now_ms) = 0;
  // occurred_at (epoch ms) of the record's latest activity at or before now_ms; nullopt if none.
  virtual Result<std::optional<int64_t>> LastActivityAt(std::string_view entity,
                                                        std::string_view record_id,
                                                        int64_t now_ms) = 0;
};

}  // namespace lf::rules
