// Implements rules/cron.h. Written by hand: no cron library in Debian 12 evaluates in an arbitrary
// IANA zone through date/tz; the grammar is small.
#include "rules/cron.h"

#include <chrono>
#include <string>
#include <vector>

#include <date/tz.h>

#include "base/strings.h"

namespace lf::rules {
namespace {

Status BadCron(const std::string& why) {
  return Status::Error(ErrorKind::kValidation, "rules.bad_cron",
                       "cron must be five fields (minute hour day month weekday): " + why,
                       "cron 必须是五个字段(分 时 日 月 周): " + why, "trigger.cron");
}

bool ParseInt(std::string_view s, int* out) {
  if (s.empty() || s.size() > 2) return false;
  int n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  *out = n;
  return true;
}

// Sets bits lo..hi of one field ("*", "a", "a-b", each optionally "/step", comma lists).
template <size_t N>
Status ParseField(std::string_view text, int lo, int hi, std::bitset<N>* bits, bool* any) {
  *any = text == "*";
  for (const auto& part : Split(text, ',')) {
    std::string_view p = part;
    int step = 1;
    if (auto slash = p.find('/'); slash != std::string_view::npos) {
      if (!ParseInt(p.substr(slash + 1), &step) || step < 1) return BadCron("bad step in '" + part + "'");
      p = p.substr(0, slash);
    }
    int a = lo, b = hi;
    if (p != "*") {
      auto dash = p.find('-');
      if (dash == std::string_view::npos) {
        if (!ParseInt(p, &a)) return BadCron("bad value '" + part + "'");
        b = step > 1 ? hi : a;
      } else if (!ParseInt(p.substr(0, dash), &a) || !ParseInt(p.substr(dash + 1), &b)) {
        return BadCron("bad range '" + part + "'");
      }
    }
    if (N == 7 && b == 7) b = 6, bits->set(0);  // 7 = Sunday
    if (N == 7 && a == 7) a = 0;
    if (a < lo || b > hi || a > b) return BadCron("'" + part + "' out of range");
    for (int v = a; v <= b; v += step) bits->set(size_t(v));
  }
  return Status::Ok();
}

}  // namespace

Result<CronSpec> CronSpec::Parse(std::string_view text) {
  std::vector<std::string> f;
  for (auto& s : Split(text, ' '))
    if (!s.empty()) f.push_back(s);
  if (f.size() != 5) return BadCron("got " + std::to_string(f.size()) + " fields");
  CronSpec c;
  bool any;
  LF_TRY(ParseField(f[0], 0, 59, &c.minute_, &any));
  LF_TRY(ParseField(f[1], 0, 23, &c.hour_, &any));
  LF_TRY(ParseField(f[2], 1, 31, &c.dom_, &c.dom_any_));
  LF_TRY(ParseField(f[3], 1, 12, &c.month_, &any));
  LF_TRY(ParseField(f[4], 0, 7, &c.dow_, &c.dow_any_));
  return c;
}

int64_t CronSpec::Next(int64_t after_ms, const TimeZone* zone) const {
  using namespace std::chrono;
  auto start = floor<minutes>(sys_time<milliseconds>(milliseconds(after_ms))) + minutes(1);
  auto local = zone->to_local(start);
  // Walk local minutes; skip whole hours / days that cannot match to stay fast.
  for (int guard = 0; guard < 4 * 366 * 24 * 60; ++guard) {
    auto day = floor<date::days>(local);
    date::year_month_day ymd(day);
    date::weekday wd(day);
    auto tod = local - day;
    int h = int(duration_cast<hours>(tod).count());
    int m = int(duration_cast<minutes>(tod).count() % 60);
    bool dom_ok = dom_[unsigned(ymd.day())], dow_ok = dow_[wd.c_encoding()];
    bool day_ok = (dom_any_ || dow_any_) ? (dom_ok && dow_ok) : (dom_ok || dow_ok);
    if (!month_[unsigned(ymd.month())] || !day_ok) {
      local = day + date::days(1);
      continue;
    }
    if (!hour_[size_t(h)]) {
      local = day + hours(h + 1);
      continue;
    }
    if (minute_[size_t(m)]) {
      auto info = zone->get_info(local);
      if (info.result == date::local_info::nonexistent) {  // skipped by a DST jump
        local += minutes(1);
        continue;
      }
      auto sys = zone->to_sys(local, date::choose::earliest);
      if (sys >= start) return duration_cast<milliseconds>(sys.time_since_epoch()).count();
    }
    local += minutes(1);
  }
  return -1;
}

}  // namespace lf::rules
