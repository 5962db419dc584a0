// Calendar-aware functions: days are local midnights crossed in the tenant's zone (not elapsed/24h),
// hours are elapsed time; Shanghai midnight, a DST zone as control, month ends and leap days.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "rules/calendar.h"
#include "rules/expr.h"
#include "rules/memory_facts.h"
#include "rules/test_schema.h"

namespace lf::rules {
namespace {

using nlohmann::json;

int64_t T(const char* rfc3339) { return ParseRfc3339(rfc3339).value(); }

class ExprCalendar : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ = testing::MakeSchema();
    env_.schema = schema_.get();
  }
  // Value of `fn(lead.assigned_at)` with assigned_at = `then`, evaluated at `now` in `zone`.
  double At(const char* zone, const char* fn, const char* then, const char* now) {
    const TimeZone* z = FindZone(zone).value();
    env_.zone = z;
    for (int v = -400; v <= 400; ++v) {  // find the value by equality: the language has no output
      std::string src = std::string(fn) + "(lead.assigned_at) == " + (v < 0 ? "-" : "") + std::to_string(std::abs(v));
      auto e = Expr::Compile(src, env_);
      EXPECT_TRUE(e.ok()) << e.status().detail_en();
      EvalContext ctx(z);
      ctx.Begin(T(now));
      json lead = {{"assigned_at", T(then)}};
      if (e->Evaluate(lead, ctx).value()) return v;
    }
    return 9999;
  }
  std::shared_ptr<const TenantSchema> schema_;
  ExprEnv env_;
};

TEST_F(ExprCalendar, ShanghaiMidnightCountsAsADay) {
  // Two minutes apart but across local midnight: one calendar day, zero hours.
  EXPECT_EQ(At("Asia/Shanghai", "days_since", "2026-03-09T23:59:00+08:00", "2026-03-10T00:01:00+08:00"), 1);
  EXPECT_EQ(At("Asia/Shanghai", "hours_since", "2026-03-09T23:59:00+08:00", "2026-03-10T00:01:00+08:00"), 0);
  // 47 h apart within two local days: 1 day, not floor(47/24) = 1 by accident — use 00:01 → 23:59 next day.
  EXPECT_EQ(At("Asia/Shanghai", "days_since", "2026-03-09T00:01:00+08:00", "2026-03-10T23:59:00+08:00"), 1);
  EXPECT_EQ(At("Asia/Shanghai", "hours_since", "2026-03-09T00:01:00+08:00", "2026-03-10T23:59:00+08:00"), 47);
  // The same instants are the same UTC date (15:59Z and 16:01Z): a UTC-date rule would say 0.
  EXPECT_EQ(At("UTC", "days_since", "2026-03-09T23:59:00+08:00", "2026-03-10T00:01:00+08:00"), 0);
  EXPECT_EQ(At("Asia/Shanghai", "days_since", "2026-03-10T08:00:00+08:00", "2026-03-10T09:00:00+08:00"), 0);
  EXPECT_EQ(At("Asia/Shanghai", "days_until", "2026-03-13T00:30:00+08:00", "2026-03-10T23:00:00+08:00"), 3);
  EXPECT_EQ(At("Asia/Shanghai", "hours_since", "2026-03-10T12:00:00+08:00", "2026-03-10T10:30:00+08:00"), -2);
}

TEST_F(ExprCalendar, NewYorkDstDayIs23Hours) {
  // 2026-03-08: clocks jump 02:00 → 03:00 in New York. 22.5 elapsed hours cross one midnight.
  EXPECT_EQ(At("America/New_York", "days_since", "2026-03-07T23:30:00-05:00", "2026-03-08T23:00:00-04:00"), 1);
  EXPECT_EQ(At("America/New_York", "hours_since", "2026-03-07T23:30:00-05:00", "2026-03-08T23:00:00-04:00"), 22);
  // Midnight to midnight over the short day: 1 day, 23 hours.
  EXPECT_EQ(At("America/New_York", "days_since", "2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00"), 1);
  EXPECT_EQ(At("America/New_York", "hours_since", "2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00"), 23);
  // Autumn: 2026-11-01 has 25 hours; 24.5 h elapsed is still the same... next day only once.
  EXPECT_EQ(At("America/New_York", "days_since", "2026-11-01T00:10:00-04:00", "2026-11-01T23:40:00-05:00"), 0);
  EXPECT_EQ(At("America/New_York", "hours_since", "2026-11-01T00:10:00-04:00", "2026-11-01T23:40:00-05:00"), 24);
}

TEST_F(ExprCalendar, MonthEndsAndLeapDays) {
  EXPECT_EQ(At("Asia/Shanghai", "days_since", "2024-02-28T12:00:00+08:00", "2024-03-01T00:00:01+08:00"), 2);
  EXPECT_EQ(At("Asia/Shanghai", "days_since", "2025-02-28T12:00:00+08:00", "2025-03-01T00:00:01+08:00"), 1);
  EXPECT_EQ(At("Asia/Shanghai", "days_since", "2026-01-31T23:00:00+08:00", "2026-02-01T01:00:00+08:00"), 1);
  EXPECT_EQ(At("Asia/Shanghai", "days_since", "2025-12-31T23:59:59+08:00", "2026-01-01T00:00:00+08:00"), 1);
  EXPECT_EQ(At("Asia/Shanghai", "days_since", "2024-01-01T00:00:00+08:00", "2025-01-01T00:00:00+08:00"), 366);
  EXPECT_EQ(DateDayNumber("2024-02-29").value() + 1, DateDayNumber("2024-03-01").value());
  EXPECT_FALSE(DateDayNumber("2025-02-29").has_value());
}

TEST_F(ExprCalendar, DateFieldsCountFromTheLocalToday) {
  env_.zone = FindZone("Asia/Shanghai").value();
  env_.subject = "customer";
  auto e = Expr::Compile("days_until(customer.contract_end_date) <= 60 and days_since(customer.last_login_at) > 30", env_);
  ASSERT_TRUE(e.ok()) << e.status().detail_en();
  EvalContext ctx(env_.zone);
  // 2026-02-28T16:30Z is already 2026-03-01 in Shanghai: 2026-04-30 is 60 days away there.
  ctx.Begin(T("2026-02-28T16:30:00Z"));
  json c = {{"contract_end_date", "2026-04-30"}, {"last_login_at", T("2026-01-29T10:00:00+08:00")}};
  EXPECT_TRUE(e->Evaluate(c, ctx).value());
  ctx.Begin(T("2026-02-28T15:30:00Z"));  // 23:30 on 2026-02-28 local: 61 days away
  EXPECT_FALSE(e->Evaluate(c, ctx).value());
}

TEST_F(ExprCalendar, ActivityWindowsInDaysStartAtLocalMidnight) {
  const TimeZone* z = FindZone("Asia/Shanghai").value();
  int64_t now = T("2026-03-10T10:00:00+08:00");
  EXPECT_EQ(WindowStart({3, 'd'}, now, z), T("2026-03-07T00:00:00+08:00"));
  EXPECT_EQ(WindowStart({72, 'h'}, now, z), T("2026-03-07T10:00:00+08:00"));
  EXPECT_EQ(WindowStart({30, 'm'}, now, z), T("2026-03-10T09:30:00+08:00"));
  const TimeZone* ny = FindZone("America/New_York").value();
  EXPECT_EQ(WindowStart({1, 'd'}, T("2026-03-08T12:00:00-04:00"), ny), T("2026-03-07T00:00:00-05:00"));

  env_.zone = z;
  MemoryFacts facts;
  facts.Add("lead", "L", T("2026-03-07T00:00:00+08:00"));   // inside 3d (first instant)
  facts.Add("lead", "L", T("2026-03-06T23:59:59+08:00"));   // outside 3d, inside 4d
  facts.Add("lead", "L", T("2026-03-11T09:00:00+08:00"));   // in the future: never counted
  auto e = Expr::Compile("activities_in(3d) == 1 and activities_in(4d) == 2 and activities_in(72h) == 0", env_);
  ASSERT_TRUE(e.ok());
  EvalContext ctx(z, &facts);
  ctx.Begin(now, "L");
  EXPECT_TRUE(e->Evaluate(json::object(), ctx).value());
}

}  // namespace
}  // namespace lf::rules
