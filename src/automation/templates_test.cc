// The shipped templates are data that must pass the same save-time checks as any rule.
#include <gtest/gtest.h>

#include "automation/templates.h"
#include "rules/rule_def.h"
#include "rules/test_schema.h"

namespace lf::automation {
namespace {

TEST(RuleTemplates, EveryShippedRulePassesTheSaveChecks) {
  auto schema = rules::testing::MakeSchema();
  const TimeZone* zone = FindZone("Asia/Shanghai").value();
  int n = 0;
  for (const auto& t : RuleTemplates()) {
    ASSERT_TRUE(t.contains("id") && t.contains("rules") && t.contains("needs_scheduler"));
    for (const auto& rule : t["rules"]) {
      auto r = rules::ParseRule(rule, *schema, zone);
      EXPECT_TRUE(r.ok()) << t["id"] << ": " << r.status().ToString();
      ++n;
    }
  }
  EXPECT_GE(n, 6);
}

}  // namespace
}  // namespace lf::automation
