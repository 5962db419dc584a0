// Implements rules/calendar.h on date/tz (via base/time.h where it has the helper).
#include "rules/calendar.h"

#include <date/date.h>
#include <date/tz.h>

#include <charconv>
#include <chrono>

namespace lf::rules {

int64_t LocalDayNumber(int64_t epoch_ms, const TimeZone* zone) {
  std::chrono::sys_time<std::chrono::milliseconds> tp{std::chrono::milliseconds(epoch_ms)};
  auto local = zone->to_local(tp);
  return date::floor<date::days>(local).time_since_epoch().count();
}

std::optional<int64_t> DateDayNumber(std::string_view s) {
  if (!IsValidDate(s)) return std::nullopt;
  int y = 0, m = 0, d = 0;
  std::from_chars(s.data(), s.data() + 4, y);
  std::from_chars(s.data() + 5, s.data() + 7, m);
  std::from_chars(s.data() + 8, s.data() + 10, d);
  date::sys_days days = date::year(y) / date::month(unsigned(m)) / date::day(unsigned(d));
  return days.time_since_epoch().count();
}

int64_t WindowStart(const Window& w, int64_t now_ms, const TimeZone* zone) {
  switch (w.unit) {
    case 'd': return StartOfLocalDay(now_ms, zone, int(w.amount));
    case 'h': return now_ms - w.amount * 3'600'000;
    default: return now_ms - w.amount * 60'000;
  }
}

}  // namespace lf::rules
