// Unit tests of rules/message_template.h: variables are checked against the schema and rendered.
#include <gtest/gtest.h>

#include "rules/message_template.h"
#include "rules/test_schema.h"

namespace lf::rules {
namespace {

TEST(MessageTemplate, KnownVariablesPassUnknownOnesAreNamed) {
  auto schema = testing::MakeSchema();
  const auto& lead = *schema->Find("leads");
  EXPECT_TRUE(CheckTemplate("{{lead.name}} {{ record.channel }} {{owner.name}} {{rule.name}} {{link}} {{now}}", lead, "t").ok());
  EXPECT_TRUE(CheckTemplate("no variables, a lone { brace and }}", lead, "t").ok());
  Status bad = CheckTemplate("hi {{lead.nope}}", lead, "actions[0].text");
  EXPECT_EQ(bad.code(), "rules.unknown_variable");
  EXPECT_EQ(bad.field(), "actions[0].text");
  EXPECT_EQ(CheckTemplate("{{customer.name}}", lead, "t").code(), "rules.unknown_variable");
  EXPECT_EQ(CheckTemplate("{{secret}}", lead, "t").code(), "rules.unknown_variable");
}

TEST(MessageTemplate, RendersEveryVariableAndKeepsTheRest) {
  auto out = RenderTemplate("线索{{ lead.name }}:{{owner.name}}{{", [](const std::string& v) { return "<" + v + ">"; });
  EXPECT_EQ(out, "线索<lead.name>:<owner.name>{{");
}

}  // namespace
}  // namespace lf::rules
