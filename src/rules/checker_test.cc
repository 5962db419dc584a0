// The checker against a real TenantSchema (built-in entities + custom fields): unknown names,
// functions, types and options are rejected with line and column; valid conditions compile.
#include <gtest/gtest.h>

#include "rules/expr.h"
#include "rules/test_schema.h"

namespace lf::rules {
namespace {

using testing::Field;
using testing::MakeSchema;

class ExprCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ = MakeSchema({{"leads", Field("budget_wan", FieldType::kNumber)},
                          {"leads", Field("industry_tags", FieldType::kMultiEnum, {"制造", "教育"})},
                          {"leads", Field("vip", FieldType::kBool)},
                          {"leads", Field("visit_date", FieldType::kDate)},
                          {"leads", Field("grade", FieldType::kEnum, {"A", "B"})}});
    env_.schema = schema_.get();
    env_.subject = "lead";
    env_.zone = FindZone("Asia/Shanghai").value();
  }
  Status Check(std::string_view src) { return Expr::Check(src, env_); }
  // detail_en of a rejection with `code`.
  std::string Err(std::string_view src, const std::string& code) {
    Status s = Check(src);
    if (s.ok()) return "accepted";
    EXPECT_EQ(s.code(), code) << s.detail_en();
    EXPECT_EQ(s.field(), "condition");
    EXPECT_EQ(s.detail_zh().rfind("第 ", 0), 0u) << s.detail_zh();
    return s.detail_en();
  }
  std::shared_ptr<const TenantSchema> schema_;
  ExprEnv env_;
};

TEST_F(ExprCheck, AcceptsTheIssuesExamplesAndCustomFields) {
  for (const char* ok : {
           R"(lead.channel == "douyin_form" and lead.first_touch == "book_demo")",
           R"(lead.channel in ["douyin_form", "xiaohongshu_dm"] and not has_tag("战略客户"))",
           R"("战略客户" in lead.tags or lead.tags contains "VIP")",
           R"(days_since(lead.assigned_at) >= 3 and activities_in(3d) == 0)",
           R"(hours_since(last_activity_at()) > 72)",
           R"(activities_in("72h") >= 2)",
           R"(lead.budget_wan >= 50 and lead.industry_tags contains "制造" and lead.vip)",
           R"(lead.visit_date >= "2026-01-01" and days_until(lead.visit_date) <= 7)",
           R"(lead.grade != "A" and lead.company contains "科技" and not is_empty(lead.phone))",
           R"(lead.silent_until > now() or lead.silent_until == null)",
           R"(lead.created_at >= "2026-01-01T00:00:00+08:00" and lead.created_at < "2026-02-01 00:00:00")",
           R"(lead.touch_count in [1, 2, 3] and lead.response_hours < 0.5)",
           R"(lead.vip == true and (lead.touch_count > 2) == true)",
       })
    EXPECT_TRUE(Check(ok).ok()) << ok << ": " << Check(ok).detail_en();
}

// The examples of docs/rule-language.md compile (keep the two in step).
TEST_F(ExprCheck, DocumentedTemplatesCompile) {
  for (const char* ok : {
           R"(lead.channel == "douyin_form" and lead.first_touch in ["book_demo", "quote_form"])",
           R"(lead.channel in ["website", "trade_show"] or lead.first_touch == "add_wechat")",
           R"(lead.first_touch == "download_whitepaper" and not has_tag("战略客户"))",
           "activities_in(3d) > 0",
           "activities_in(3d) >= 2",
           "hours_since(last_activity_at()) > 72 and (lead.silent_until == null or lead.silent_until < now())",
       })
    EXPECT_TRUE(Check(ok).ok()) << ok << ": " << Check(ok).detail_en();
  env_.subject = "customer";
  EXPECT_TRUE(Check("days_until(customer.contract_end_date) <= 60 and days_since(customer.last_login_at) > 30").ok());
}

TEST_F(ExprCheck, UnknownNamesFieldsAndEntities) {
  EXPECT_EQ(Err("lead.chanel == \"douyin_form\"", "rules.unknown_field"),
            "line 1, column 6: unknown field 'lead.chanel' (did you mean 'channel'?)");
  EXPECT_EQ(Err("lead.touch_count == 1 and\n   lead.nope == 2", "rules.unknown_field"),
            "line 2, column 9: unknown field 'lead.nope' (did you mean 'name'?)");
  EXPECT_EQ(Err("channel == \"x\"", "rules.unknown_name"),
            "line 1, column 1: unknown name 'channel'; fields are written entity.field, e.g. lead.name (text needs quotes)");
  EXPECT_EQ(Err("lead == 1", "rules.unknown_field"),
            "line 1, column 1: 'lead' is a record; name one of its fields, e.g. lead.name");
  EXPECT_EQ(Err("customer.level == \"key\"", "rules.entity_not_available"),
            "line 1, column 1: 'customer' is not available in a rule about lead (available: lead)");
  EXPECT_EQ(Err("leed.channel == \"x\"", "rules.unknown_entity"),
            "line 1, column 1: unknown entity 'leed' (available: lead) (did you mean 'lead'?)");
  EXPECT_EQ(Err("lead.customer_id.level == \"key\"", "rules.nested_path").substr(0, 19), "line 1, column 18: ");
}

TEST_F(ExprCheck, RelatedEntitiesWhenTheHostBindsThem) {
  env_.related = {"customer"};
  EXPECT_TRUE(Check(R"(lead.channel == "website" and customer.level == "strategic")").ok());
  env_.related = {"no_such"};
  EXPECT_EQ(Check("lead.vip").code(), "rules.unknown_entity");
}

TEST_F(ExprCheck, UnknownFunctionsAndBadArguments) {
  EXPECT_EQ(Err("day_since(lead.created_at) > 3", "rules.unknown_function"),
            "line 1, column 1: unknown function 'day_since' (did you mean 'days_since'?) (functions: days_since, "
            "days_until, hours_since, now, is_empty, has_tag, activities_in, last_activity_at)");
  EXPECT_EQ(Err("days_since() > 1", "rules.bad_arguments"), "line 1, column 1: days_since() takes 1 argument, got 0");
  EXPECT_EQ(Err("days_since(lead.touch_count) > 1", "rules.bad_arguments"),
            "line 1, column 12: days_since() needs a date or datetime, found number field 'lead.touch_count'");
  EXPECT_EQ(Err("hours_since(lead.visit_date) > 1", "rules.bad_arguments"),
            "line 1, column 13: hours_since() needs a datetime, found date field 'lead.visit_date'");
  EXPECT_EQ(Err("activities_in(3) > 1", "rules.bad_arguments"),
            "line 1, column 15: activities_in() needs a window like 3d, 72h or 30m");
  EXPECT_EQ(Err("activities_in(\"3 days\") > 1", "rules.bad_arguments"),
            "line 1, column 15: activities_in() needs a window like 3d, 72h or 30m, found \"3 days\"");
  EXPECT_EQ(Err("activities_in(\"99999d\") > 1", "rules.bad_arguments"),
            "line 1, column 15: activities_in() needs a window of at most 100 years");
  EXPECT_EQ(Err("activities_in(0d) > 1", "rules.bad_arguments"),
            "line 1, column 15: activities_in() needs a window longer than zero");
  EXPECT_EQ(Err("has_tag(1)", "rules.bad_arguments"), "line 1, column 9: has_tag() needs a tag (text), found number");
  EXPECT_EQ(Err("is_empty(\"x\")", "rules.bad_arguments"),
            "line 1, column 10: is_empty() needs a field or a function value, found text \"x\"");
  EXPECT_EQ(Err("now(1) == now()", "rules.bad_arguments"), "line 1, column 1: now() takes 0 arguments, got 1");
}

TEST_F(ExprCheck, TypeMismatches) {
  EXPECT_EQ(Err("lead.touch_count == \"3\"", "rules.type_mismatch"),
            "line 1, column 21: cannot compare number field 'lead.touch_count' with text \"3\"");
  EXPECT_EQ(Err("lead.channel == 3", "rules.type_mismatch"),
            "line 1, column 17: cannot compare text field 'lead.channel' with number");
  EXPECT_EQ(Err("lead.created_at > 3d", "rules.type_mismatch"),
            "line 1, column 19: cannot compare datetime field 'lead.created_at' with duration");
  EXPECT_EQ(Err("lead.name > \"m\"", "rules.type_mismatch"),
            "line 1, column 11: '>' needs numbers, dates, times or durations; text field 'lead.name' cannot be ordered");
  EXPECT_EQ(Err("lead.touch_count > null", "rules.type_mismatch"),
            "line 1, column 18: '>' cannot compare with null; use == null or is_empty()");
  EXPECT_EQ(Err("lead.tags == \"x\"", "rules.type_mismatch"),
            "line 1, column 1: 'lead.tags' holds several values; use 'contains' or 'in' (e.g. \"x\" in lead.tags)");
  EXPECT_EQ(Err("lead.tags in [\"x\"]", "rules.type_mismatch").substr(0, 18), "line 1, column 1: ");
  EXPECT_EQ(Err("lead.channel in [\"douyin_form\", 3]", "rules.type_mismatch"),
            "line 1, column 33: list items must be text in quotes to match text field 'lead.channel'");
  EXPECT_EQ(Err("lead.channel in lead.name", "rules.type_mismatch"),
            "line 1, column 17: 'in' needs a list [...] or a multi-value field on the right, found text field 'lead.name'");
  EXPECT_EQ(Err("lead.touch_count contains \"1\"", "rules.type_mismatch"),
            "line 1, column 1: 'contains' needs text or a multi-value field on the left, found number field 'lead.touch_count'");
  EXPECT_EQ(Err("lead.channel and lead.vip", "rules.type_mismatch"),
            "line 1, column 1: expected a condition (true/false), found text field 'lead.channel'");
  EXPECT_EQ(Err("lead.touch_count", "rules.type_mismatch"),
            "line 1, column 1: expected a condition (true/false), found number field 'lead.touch_count'");
  EXPECT_EQ(Err("[\"a\"]", "rules.misplaced_list"), "line 1, column 1: a list [...] can only follow 'in' or 'not in'");
}

TEST_F(ExprCheck, LiteralDatesTimesAndOptions) {
  EXPECT_EQ(Err("lead.visit_date > \"2026-02-30\"", "rules.bad_date"),
            "line 1, column 19: '2026-02-30' is not a date YYYY-MM-DD");
  EXPECT_EQ(Err("lead.created_at > \"yesterday\"", "rules.bad_datetime"),
            "line 1, column 19: 'yesterday' is not a time like 2026-03-01T09:00:00+08:00");
  EXPECT_EQ(Err("lead.channel == \"douyin\"", "rules.unknown_option"),
            "line 1, column 17: 'douyin' is not an option of lead.channel (options: douyin_form, xiaohongshu_dm, "
            "baidu_ads, website, trade_show, zhihu, wechat, manual, other)");
  EXPECT_EQ(Err("lead.first_touch in [\"book_demo\", \"bookdemo\"]", "rules.unknown_option").substr(0, 60),
            "line 1, column 35: 'bookdemo' is not an option of lead.first");
  EXPECT_EQ(Err("lead.industry_tags contains \"医疗\"", "rules.unknown_option").substr(0, 19), "line 1, column 29: ");
  // Tags are free-form: any text is fine.
  EXPECT_TRUE(Check("has_tag(\"随便什么\")").ok());
  // Non-strict mode accepts unknown options (they simply never match).
  env_.strict_options = false;
  EXPECT_TRUE(Check("lead.channel == \"douyin\"").ok());
}

TEST_F(ExprCheck, ReportsTheFactsAConditionNeeds) {
  auto e = Expr::Compile("activities_in(3d) >= 2 or activities_in(\"3d\") > 5 or activities_in(72h) == 0 "
                         "or hours_since(last_activity_at()) > 24",
                         env_);
  ASSERT_TRUE(e.ok()) << e.status().detail_en();
  ASSERT_EQ(e->facts().size(), 3u);
  EXPECT_EQ(e->facts()[0], (FactNeed{FactKind::kActivityCount, {3, 'd'}}));
  EXPECT_EQ(e->facts()[1], (FactNeed{FactKind::kActivityCount, {72, 'h'}}));
  EXPECT_EQ(e->facts()[2].kind, FactKind::kLastActivityAt);
}

TEST_F(ExprCheck, LayoutHasOneSlotPerFieldRead) {
  auto e = Expr::Compile(R"(lead.channel == "website" or lead.channel == "zhihu" or has_tag("x") or "y" in lead.tags)", env_);
  ASSERT_TRUE(e.ok());
  ASSERT_EQ(e->layout().slots().size(), 2u);
  EXPECT_EQ(e->layout().slots()[0].field, "channel");
  EXPECT_EQ(e->layout().slots()[1].field, "tags");
}

}  // namespace
}  // namespace lf::rules
