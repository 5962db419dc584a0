// Tests for base/time: RFC 3339 parsing rules and calendar-day cutoffs in a business zone.
#include "base/time.h"

#include <gtest/gtest.h>

namespace lf {
namespace {

const TimeZone* Shanghai() { return FindZone("Asia/Shanghai").value(); }

TEST(Rfc3339, ParsesUtcAndOffsets) {
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00Z").value(), 0);
  EXPECT_EQ(ParseRfc3339("1970-01-01T08:00:00+08:00").value(), 0);
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:01.5Z").value(), 1500);
  EXPECT_EQ(ParseRfc3339("2026-02-22T00:15:03Z").value(), 1771719303000);
}

TEST(Rfc3339, RejectsTimestampWithoutOffset) {
  auto r = ParseRfc3339("2026-02-22T00:15:03");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "validation.timestamp_without_offset");
}

TEST(Rfc3339, AcceptsOffsetLessWhenZoneDeclared) {
  EXPECT_EQ(ParseRfc3339("2026-02-22T08:15:03", Shanghai()).value(),
            ParseRfc3339("2026-02-22T00:15:03Z").value());
}

TEST(Rfc3339, RejectsGarbage) {
  for (const char* bad : {"", "2026-02-30T00:00:00Z", "2026-02-22 00:15", "2026-02-22T25:00:00Z",
                          "2026-02-22T00:00:00+8", "tomorrow", "2026-02-22T00:00:00Zjunk"})
    EXPECT_FALSE(ParseRfc3339(bad).ok()) << bad;
}

TEST(Rfc3339, FormatsInTenantZone) {
  EXPECT_EQ(FormatRfc3339(0, Shanghai()), "1970-01-01T08:00:00+08:00");
  EXPECT_EQ(FormatRfc3339(1500, Shanghai()), "1970-01-01T08:00:01.500+08:00");
  EXPECT_EQ(FormatRfc3339(0, FindZone("America/New_York").value()), "1969-12-31T19:00:00-05:00");
}

TEST(CalendarDays, StartOfLocalDayUsesTheBusinessZone) {
  // 2026-02-22T00:15:03Z is 08:15:03 on the 22nd in Shanghai; that local day began 2026-02-21T16:00Z.
  int64_t now = ParseRfc3339("2026-02-22T00:15:03Z").value();
  EXPECT_EQ(StartOfLocalDay(now, Shanghai(), 0), ParseRfc3339("2026-02-21T16:00:00Z").value());
  EXPECT_EQ(StartOfLocalDay(now, Shanghai(), 30), ParseRfc3339("2026-01-22T16:00:00Z").value());
  EXPECT_EQ(LocalDate(now, Shanghai()), "2026-02-22");
  EXPECT_EQ(LocalDate(now, FindZone("UTC").value()), "2026-02-22");
  EXPECT_EQ(LocalDate(ParseRfc3339("2026-02-21T17:00:00Z").value(), Shanghai()), "2026-02-22");
}

TEST(Dates, ValidatesCalendarDates) {
  EXPECT_TRUE(IsValidDate("2024-02-29"));
  EXPECT_FALSE(IsValidDate("2023-02-29"));
  EXPECT_FALSE(IsValidDate("2023-2-1"));
}

}  // namespace
}  // namespace lf
