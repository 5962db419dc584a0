// Rules as data: a rule is checked when saved — trigger, condition (line/column), actions — and the
// shipped templates all pass the same checks.
#include <gtest/gtest.h>

#include "rules/rule_def.h"
#include "rules/test_schema.h"

namespace lf::rules {
namespace {

using nlohmann::json;

class RuleDefTest : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ = testing::MakeSchema();
    zone_ = FindZone("Asia/Shanghai").value();
  }
  Result<RuleDef> Parse(const json& body) { return ParseRule(body, *schema_, zone_); }
  json Red() {
    return json::parse(R"({"name": "红", "trigger": {"event": "lead.created"},
      "condition": "lead.channel == \"douyin_form\" and lead.first_touch == \"book_demo\"",
      "actions": [{"type": "set_color", "color": "red"}, {"type": "notify", "channel": "dingtalk"}]})");
  }
  std::shared_ptr<const TenantSchema> schema_;
  const TimeZone* zone_ = nullptr;
};

TEST_F(RuleDefTest, ThreeColorRuleIsAcceptedWithItsSubject) {
  auto r = Parse(Red());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->subject, "lead");
  EXPECT_EQ(r->trigger.entity, "leads");
  EXPECT_TRUE(r->enabled);
  EXPECT_EQ(RuleToJson(*r)["trigger"], json({{"event", "lead.created"}}));
}

TEST_F(RuleDefTest, WrongFieldIsRefusedWithLineAndColumn) {
  json body = Red();
  body["condition"] = "lead.channel == \"douyin_form\"\n  and lead.chanel == \"x\"";
  auto r = Parse(body);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "rules.unknown_field");
  EXPECT_EQ(r.status().field(), "condition");
  EXPECT_NE(r.status().detail_en().find("line 2, column 12"), std::string::npos) << r.status().detail_en();
}

TEST_F(RuleDefTest, UnknownActionsAndActionFieldsAreRefused) {
  json body = Red();
  body["actions"] = json::parse(R"([{"type": "launch_rocket"}])");
  EXPECT_EQ(Parse(body).status().code(), "rules.unknown_action");
  body["actions"] = json::parse(R"([{"type": "set_color", "color": "red", "shade": 2}])");
  EXPECT_EQ(Parse(body).status().code(), "rules.unknown_property");
  EXPECT_EQ(Parse(body).status().field(), "actions[0].shade");
  body["actions"] = json::parse(R"([{"type": "set_color", "color": "purple"}])");
  EXPECT_EQ(Parse(body).status().code(), "rules.bad_action");
  body["actions"] = json::parse(R"([{"type": "create_task", "title": "x", "due": "2 hours"}])");
  EXPECT_EQ(Parse(body).status().code(), "rules.bad_duration");
  body["actions"] = json::array();
  EXPECT_EQ(Parse(body).status().field(), "actions");
  body = Red();
  body["extra"] = 1;
  EXPECT_EQ(Parse(body).status().code(), "rules.unknown_property");
}

TEST_F(RuleDefTest, TriggersAreChecked) {
  json body = Red();
  body["trigger"] = {{"event", "rocket.created"}};
  EXPECT_EQ(Parse(body).status().code(), "rules.unknown_event");
  body["trigger"] = {{"event", "lead.field_changd"}};  // would never fire: refused
  EXPECT_EQ(Parse(body).status().code(), "rules.unknown_event");
  body["trigger"] = {{"event", "activity.created"}};
  body["condition"] = "";
  body["actions"] = json::parse(R"([{"type": "notify", "channel": "in_app"}])");
  EXPECT_TRUE(Parse(body).ok()) << Parse(body).status().ToString();
  body = Red();
  body["trigger"] = {{"cron", "0 9 * *"}};
  EXPECT_EQ(Parse(body).status().code(), "rules.bad_cron");
  body["trigger"] = {{"after", {{"event", "lead.assigned"}, {"delay", "3d"}, {"unless", "activities_in(3d) >"}}}};
  EXPECT_EQ(Parse(body).status().field(), "trigger.after.unless");
  body["trigger"] = {{"after", {{"event", "lead.assigned"}, {"delay", "3d"}, {"unless", "activities_in(3d) > 0"}}}};
  EXPECT_TRUE(Parse(body).ok());
  body["trigger"] = {{"cron", "0 9 * * 1"}, {"entity", "customers"}};
  body["condition"] = "days_until(customer.contract_end_date) <= 60";
  body["actions"] = json::parse(R"([{"type": "alert", "kind": "renewal", "title": "续约"}])");
  auto r = Parse(body);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->subject, "customer");
}

TEST(RuleDelay, CalendarDaysKeepTheLocalTimeAcrossDst) {
  int64_t amount;
  char unit;
  ASSERT_TRUE(ParseDelay("3d", &amount, &unit));
  EXPECT_EQ(amount, 3);
  EXPECT_FALSE(ParseDelay("0d", &amount, &unit));
  EXPECT_FALSE(ParseDelay("3w", &amount, &unit));
  const TimeZone* ny = FindZone("America/New_York").value();
  int64_t before = ParseRfc3339("2026-03-07T09:00:00-05:00").value();
  EXPECT_EQ(FormatRfc3339(AddDelay(before, 1, 'd', ny), ny), "2026-03-08T09:00:00-04:00");
  EXPECT_EQ(AddDelay(before, 2, 'h', ny), before + 2 * 3600000);
}

}  // namespace
}  // namespace lf::rules
