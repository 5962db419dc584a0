// Implements base/time.h on Howard Hinnant's date/tz over the OS tz database.
#include "base/time.h"

#include <date/date.h>
#include <date/tz.h>

#include <charconv>
#include <chrono>
#include <cstdio>

namespace lf {
namespace {

Status BadTimestamp(std::string_view text) {
  return Status::Error(ErrorKind::kValidation, "validation.bad_timestamp",
                       "not an RFC 3339 timestamp: '" + std::string(text) + "'",
                       "时间格式不是 RFC 3339: '" + std::string(text) + "'");
}

bool ReadInt(std::string_view s, size_t pos, size_t len, int* out) {
  if (pos + len > s.size()) return false;
  for (size_t i = pos; i < pos + len; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return std::from_chars(s.data() + pos, s.data() + pos + len, *out).ec == std::errc();
}

bool ValidYmd(int y, int m, int d) {
  return date::year_month_day(date::year(y), date::month(m), date::day(d)).ok();
}

}  // namespace

Result<const TimeZone*> FindZone(std::string_view name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return Status::Error(ErrorKind::kValidation, "validation.bad_time_zone",
                         "unknown time zone '" + std::string(name) + "'",
                         "未知时区 '" + std::string(name) + "'");
  }
}

Result<int64_t> ParseRfc3339(std::string_view s, const TimeZone* assume_zone) {
  int y, mo, d, h, mi, sec;
  if (s.size() < 19 || !ReadInt(s, 0, 4, &y) || s[4] != '-' || !ReadInt(s, 5, 2, &mo) ||
      s[7] != '-' || !ReadInt(s, 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !ReadInt(s, 11, 2, &h) || s[13] != ':' || !ReadInt(s, 14, 2, &mi) || s[16] != ':' ||
      !ReadInt(s, 17, 2, &sec))
    return BadTimestamp(s);
  if (!ValidYmd(y, mo, d) || h > 23 || mi > 59 || sec > 60) return BadTimestamp(s);
  size_t pos = 19;
  int ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t start = pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 3) ms = ms * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (pos == start || digits > 9) return BadTimestamp(s);
    for (int i = digits; i < 3; ++i) ms *= 10;
  }
  if (sec == 60) sec = 59;  // leap second: clamp, we have no leap-aware clock
  auto local = date::local_days(date::year(y) / mo / d) + std::chrono::hours(h) +
               std::chrono::minutes(mi) + std::chrono::seconds(sec) + std::chrono::milliseconds(ms);
  int64_t local_ms = local.time_since_epoch() / std::chrono::milliseconds(1);
  if (pos == s.size()) {
    if (assume_zone == nullptr)
      return Status::Error(ErrorKind::kValidation, "validation.timestamp_without_offset",
                           "timestamp '" + std::string(s) +
                               "' has no UTC offset; add 'Z' or '+08:00', or declare the time zone",
                           "时间 '" + std::string(s) + "' 缺少时区偏移,请加上 'Z' 或 '+08:00',或声明时区");
    try {
      auto zt = date::make_zoned(assume_zone,
                                 date::local_time<std::chrono::milliseconds>(
                                     std::chrono::milliseconds(local_ms)),
                                 date::choose::earliest);
      return zt.get_sys_time().time_since_epoch() / std::chrono::milliseconds(1);
    } catch (const std::exception&) {
      return BadTimestamp(s);
    }
  }
  int offset_min = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    if (pos + 1 != s.size()) return BadTimestamp(s);
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh, om;
    if (pos + 6 != s.size() || !ReadInt(s, pos + 1, 2, &oh) || s[pos + 3] != ':' ||
        !ReadInt(s, pos + 4, 2, &om) || oh > 23 || om > 59)
      return BadTimestamp(s);
    offset_min = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
  } else {
    return BadTimestamp(s);
  }
  return local_ms - int64_t(offset_min) * 60'000;
}

std::string FormatRfc3339(int64_t epoch_ms, const TimeZone* zone) {
  using namespace std::chrono;
  sys_time<milliseconds> tp{milliseconds(epoch_ms)};
  auto info = zone->get_info(floor<seconds>(tp));
  auto local = tp + info.offset;
  auto day = floor<date::days>(local);
  date::year_month_day ymd(day);
  auto tod = local - day;
  int64_t tod_ms = tod / milliseconds(1);
  int h = int(tod_ms / 3'600'000), mi = int(tod_ms / 60'000 % 60), sec = int(tod_ms / 1000 % 60),
      ms = int(tod_ms % 1000);
  int off = int(info.offset / minutes(1));
  char sign = off < 0 ? '-' : '+';
  if (off < 0) off = -off;
  char buf[48];
  if (ms != 0)
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03d%c%02d:%02d", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), h, mi, sec, ms, sign, off / 60,
                  off % 60);
  else
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d%c%02d:%02d", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), h, mi, sec, sign, off / 60, off % 60);
  return buf;
}

bool IsValidDate(std::string_view s) {
  int y, m, d;
  return s.size() == 10 && ReadInt(s, 0, 4, &y) && s[4] == '-' && ReadInt(s, 5, 2, &m) &&
         s[7] == '-' && ReadInt(s, 8, 2, &d) && ValidYmd(y, m, d);
}

int64_t StartOfLocalDay(int64_t now_ms, const TimeZone* zone, int days_back) {
  using namespace std::chrono;
  sys_time<milliseconds> tp{milliseconds(now_ms)};
  auto local = zone->to_local(tp);
  auto local_day = floor<date::days>(local) - date::days(days_back);
  auto zt = date::make_zoned(zone, local_day, date::choose::earliest);
  return zt.get_sys_time().time_since_epoch() / milliseconds(1);
}

std::string LocalDate(int64_t epoch_ms, const TimeZone* zone) {
  using namespace std::chrono;
  auto local = zone->to_local(sys_time<milliseconds>{milliseconds(epoch_ms)});
  return date::format("%F", floor<date::days>(local));
}

}  // namespace lf
