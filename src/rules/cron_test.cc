// Cron in the tenant's zone: weekly and daily slots, month ends, leap days, a DST zone as control.
#include <gtest/gtest.h>

#include "rules/cron.h"

namespace lf::rules {
namespace {

std::string NextAfter(const char* spec, const char* after, const char* zone_name) {
  const TimeZone* zone = FindZone(zone_name).value();
  auto c = CronSpec::Parse(spec);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  int64_t next = c->Next(ParseRfc3339(after).value(), zone);
  return next < 0 ? "none" : FormatRfc3339(next, zone);
}

TEST(Cron, MondayNineIsInTheTenantZone) {
  // 2026-11-24 is a Tuesday.
  EXPECT_EQ(NextAfter("0 9 * * 1", "2026-11-24T10:00:00+08:00", "Asia/Shanghai"), "2026-11-30T09:00:00+08:00");
  EXPECT_EQ(NextAfter("0 9 * * *", "2026-11-24T08:59:00+08:00", "Asia/Shanghai"), "2026-11-24T09:00:00+08:00");
  EXPECT_EQ(NextAfter("0 9 * * *", "2026-11-24T09:00:00+08:00", "Asia/Shanghai"), "2026-11-25T09:00:00+08:00");
}

TEST(Cron, MonthEndsAndLeapDays) {
  EXPECT_EQ(NextAfter("30 8 31 * *", "2026-04-01T00:00:00+08:00", "Asia/Shanghai"), "2026-05-31T08:30:00+08:00");
  EXPECT_EQ(NextAfter("0 0 29 2 *", "2026-03-01T00:00:00+08:00", "Asia/Shanghai"), "2028-02-29T00:00:00+08:00");
  EXPECT_EQ(NextAfter("*/15 * * * *", "2026-01-31T23:50:00+08:00", "Asia/Shanghai"), "2026-02-01T00:00:00+08:00");
}

TEST(Cron, DstZoneSkipsTheMissingHourAndKeepsLocalTime) {
  // 2026-03-08 02:30 does not exist in New York; the 9:00 slot keeps its local time across the jump.
  EXPECT_EQ(NextAfter("30 2 * * *", "2026-03-08T00:00:00-05:00", "America/New_York"), "2026-03-09T02:30:00-04:00");
  EXPECT_EQ(NextAfter("0 9 * * *", "2026-03-07T10:00:00-05:00", "America/New_York"), "2026-03-08T09:00:00-04:00");
}

TEST(Cron, MalformedExpressionsAreRefused) {
  for (const char* bad : {"", "* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "*/0 * * * *",
                          "a * * * *", "5-1 * * * *"}) {
    auto c = CronSpec::Parse(bad);
    EXPECT_FALSE(c.ok()) << bad;
    if (!c.ok()) EXPECT_EQ(c.status().code(), "rules.bad_cron");
  }
  EXPECT_TRUE(CronSpec::Parse("0 9 1-5 1,6 7").ok());
}

}  // namespace
}  // namespace lf::rules
