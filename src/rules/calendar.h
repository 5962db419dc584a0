// Calendar arithmetic in a tenant's zone for the rule language (DESIGN.md §4, §10: "N days" are
// calendar days in the tenant's zone, never N*24h). Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/time.h"

namespace lf::rules {

// Days since 1970-01-01 of the local calendar date of `epoch_ms` in `zone`.
int64_t LocalDayNumber(int64_t epoch_ms, const TimeZone* zone);

// Days since 1970-01-01 of a calendar date "YYYY-MM-DD"; nullopt when it is not a valid date.
std::optional<int64_t> DateDayNumber(std::string_view ymd);

// A window a condition looks back over, as written: 3d, 72h, 30m.
struct Window {
  int64_t amount = 0;
  char unit = 'd';  // 'd': calendar days in the zone; 'h', 'm': elapsed time
  bool operator==(const Window&) const = default;
};

// Where a window ending at `now_ms` starts. Days are calendar days: 3d starts at local midnight
// three days before today (so it holds exactly the instants t with days_since(t) <= 3); hours and
// minutes are exact elapsed time (72h = now − 72 h).
int64_t WindowStart(const Window& w, int64_t now_ms, const TimeZone* zone);

}  // namespace lf::rules
