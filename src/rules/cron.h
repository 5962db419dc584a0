// Five-field cron expressions (minute hour day-of-month month day-of-week) evaluated on the local
// wall clock of a tenant's zone: "0 9 * * 1" = Mondays 09:00 in the zone. Supports *, lists,
// ranges and steps (*/15, 1-5, 1,15). Day-of-month and day-of-week combine as in Vixie cron (either
// matches when both are restricted). Thread-safety: immutable after Parse.
#pragma once

#include <bitset>
#include <cstdint>
#include <string_view>

#include "base/status.h"
#include "base/time.h"

namespace lf::rules {

class CronSpec {
 public:
  // kValidation "rules.bad_cron", field "trigger.cron", on a malformed expression.
  static Result<CronSpec> Parse(std::string_view text);
  // The first minute strictly after `after_ms` whose local time in `zone` matches (epoch ms, on a
  // minute boundary); searches up to ~4 years ahead, returns -1 when none.
  int64_t Next(int64_t after_ms, const TimeZone* zone) const;

 private:
  std::bitset<60> minute_;
  std::bitset<24> hour_;
  std::bitset<32> dom_;
  std::bitset<13> month_;
  std::bitset<7> dow_;
  bool dom_any_ = true, dow_any_ = true;
};

}  // namespace lf::rules
