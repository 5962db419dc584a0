// RuleSet: the index gives the same answers as evaluating every rule (randomised property test),
// prunes three-color rules to a few candidates, and reports facts failures.
#include "rules/rule_set.h"

#include <gtest/gtest.h>

#include <random>

#include <nlohmann/json.hpp>

#include "rules/memory_facts.h"
#include "rules/test_schema.h"

namespace lf::rules {
namespace {

using nlohmann::json;

const std::vector<std::string> kChannels = {"douyin_form", "xiaohongshu_dm", "baidu_ads", "website",
                                            "trade_show", "zhihu", "wechat", "manual", "other"};
const std::vector<std::string> kTouches = {"download_whitepaper", "book_demo", "quote_form", "add_wechat", "other"};
const std::vector<std::string> kRegions = {"华东", "华南", "华北", "西南"};
const std::vector<std::string> kTags = {"战略客户", "VIP", "老客户", "展会"};

class RulesSet : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ = testing::MakeSchema({{"leads", testing::Field("budget_wan", FieldType::kNumber)}});
    zone_ = FindZone("Asia/Shanghai").value();
    env_.schema = schema_.get();
    env_.zone = zone_;
  }
  std::shared_ptr<const TenantSchema> schema_;
  const TimeZone* zone_ = nullptr;
  ExprEnv env_;
};

template <class R>
const std::string& Pick(R& rng, const std::vector<std::string>& v) {
  return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
}

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

// prefix + number (spelled out: GCC 12 warns falsely on "L" + std::to_string(i)).
std::string Name(const char* prefix, int i) {
  std::string s = prefix;
  s += std::to_string(i);
  return s;
}

// A random condition: mostly conjunctions with indexable tests, plus or/not/in/ranges/facts.
template <class R>
std::string RandomRule(R& rng) {
  std::uniform_int_distribution<int> d(0, 99);
  std::vector<std::string> terms;
  int n = 1 + d(rng) % 4;
  for (int i = 0; i < n; ++i) {
    switch (d(rng) % 12) {
      case 0: case 1: terms.push_back("lead.channel == " + Quote(Pick(rng, kChannels))); break;
      case 2: terms.push_back("lead.first_touch == " + Quote(Pick(rng, kTouches))); break;
      case 3: terms.push_back("lead.channel in [" + Quote(Pick(rng, kChannels)) + ", " + Quote(Pick(rng, kChannels)) + "]"); break;
      case 4: terms.push_back("lead.region == " + Quote(Pick(rng, kRegions))); break;
      case 5: terms.push_back("lead.channel != " + Quote(Pick(rng, kChannels))); break;
      case 6: terms.push_back("lead.touch_count >= " + std::to_string(d(rng) % 5)); break;
      case 7: terms.push_back("has_tag(" + Quote(Pick(rng, kTags)) + ")"); break;
      case 8: terms.push_back("not (lead.first_touch == " + Quote(Pick(rng, kTouches)) + ")"); break;
      case 9: terms.push_back("(lead.region == " + Quote(Pick(rng, kRegions)) + " or lead.channel == " +
                              Quote(Pick(rng, kChannels)) + ")"); break;
      case 10: terms.push_back("activities_in(" + std::to_string(1 + d(rng) % 5) + "d) >= " + std::to_string(d(rng) % 3)); break;
      default: terms.push_back("lead.first_touch not in [" + Quote(Pick(rng, kTouches)) + "]"); break;
    }
  }
  std::string out;
  for (size_t i = 0; i < terms.size(); ++i) out += (i ? " and " : "") + terms[i];
  return out;
}

template <class R>
json RandomLead(R& rng, int i) {
  std::uniform_int_distribution<int> d(0, 99);
  json tags = json::array();
  for (const auto& t : kTags)
    if (d(rng) < 30) tags.push_back(t);
  json lead = {{"id", Name("L", i % 20)}, {"tags", tags}, {"touch_count", d(rng) % 6}};
  if (d(rng) < 90) lead["channel"] = Pick(rng, kChannels);
  if (d(rng) < 90) lead["first_touch"] = Pick(rng, kTouches);
  if (d(rng) < 80) lead["region"] = Pick(rng, kRegions);
  return lead;
}

TEST_F(RulesSet, IndexAgreesWithBruteForceOnRandomRulesAndEvents) {
  std::mt19937 rng(20260310);
  int64_t now = ParseRfc3339("2026-03-10T10:00:00+08:00").value();
  MemoryFacts facts;
  for (int i = 0; i < 20; ++i)
    for (int k = 0; k < i % 5; ++k) facts.Add("lead", Name("L", i), now - int64_t(k) * 30 * 3'600'000);
  for (int round = 0; round < 20; ++round) {
    auto set = RuleSet::Create(env_);
    ASSERT_TRUE(set.ok());
    for (int r = 0; r < 60; ++r) {
      std::string src = RandomRule(rng);
      auto added = set->Add(Name("r", r), src);
      ASSERT_TRUE(added.ok()) << src << ": " << added.status().detail_en();
    }
    set->Build();
    Row row;
    std::vector<uint32_t> fast, slow;
    EvalContext ctx(zone_, &facts);
    for (int e = 0; e < 300; ++e) {
      json lead = RandomLead(rng, e);
      row.Fill(set->layout(), lead);
      ctx.Begin(now, lead["id"].get<std::string>());
      ASSERT_TRUE(set->Match(row, ctx, &fast).ok());
      ASSERT_TRUE(set->MatchAll(row, ctx, &slow).ok());
      ASSERT_EQ(fast, slow) << "round " << round << " event " << lead.dump();
    }
  }
}

TEST_F(RulesSet, ThreeColorRulesAreMostlyPrunedByTheIndex) {
  auto set = RuleSet::Create(env_);
  ASSERT_TRUE(set.ok());
  for (const auto& c : kChannels)
    for (const auto& t : kTouches)
      ASSERT_TRUE(set->Add(c + "/" + t, "lead.channel == " + Quote(c) + " and lead.first_touch == " + Quote(t)).ok());
  set->Build();
  EXPECT_EQ(set->indexed_rules(), 45u);
  json lead = {{"channel", "douyin_form"}, {"first_touch", "book_demo"}};
  Row row;
  row.Fill(set->layout(), lead);
  EvalContext ctx(zone_);
  ctx.Begin(0);
  std::vector<uint32_t> out;
  ASSERT_TRUE(set->Match(row, ctx, &out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(set->id(out[0]), "douyin_form/book_demo");
  // Filed under channel (9 values beat 5): 5 candidates, one residual test each.
  EXPECT_EQ(ctx.stats.rules_considered, 5u);
  EXPECT_EQ(ctx.stats.conditions, 5u);
  EXPECT_EQ(ctx.stats.index_probes, 1u);
  // A lead with no channel considers nothing.
  json blank = json::object();
  row.Fill(set->layout(), blank);
  ASSERT_TRUE(set->Match(row, ctx, &out).ok());
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(ctx.stats.rules_considered, 5u);
}

TEST_F(RulesSet, RejectedConditionLeavesTheSetUnchanged) {
  auto set = RuleSet::Create(env_);
  ASSERT_TRUE(set->Add("a", R"(lead.channel == "website")").ok());
  auto bad = set->Add("b", "lead.region == \"华东\" and lead.nope == 1");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().detail_en(), "line 1, column 30: unknown field 'lead.nope' (did you mean 'name'?)");
  EXPECT_EQ(set->size(), 1u);
  EXPECT_EQ(set->layout().slots().size(), 1u);  // lead.region was not added
}

TEST_F(RulesSet, MatchBeforeBuildIsAnError) {
  auto set = RuleSet::Create(env_);
  ASSERT_TRUE(set->Add("a", "lead.touch_count > 1").ok());
  Row row;
  row.Fill(set->layout(), json::object());
  EvalContext ctx(zone_);
  ctx.Begin(0);
  std::vector<uint32_t> out;
  EXPECT_EQ(set->Match(row, ctx, &out).kind(), ErrorKind::kInternal);
}

TEST_F(RulesSet, FactsAreListedAndFailuresSurface) {
  auto set = RuleSet::Create(env_);
  ASSERT_TRUE(set->Add("hot", "activities_in(3d) >= 2").ok());
  ASSERT_TRUE(set->Add("cold", "activities_in(3d) == 0 and hours_since(last_activity_at()) > 72").ok());
  set->Build();
  ASSERT_EQ(set->facts().size(), 2u);
  MemoryFacts facts;
  facts.FailWith(Status::Error(ErrorKind::kUnavailable, "db.busy", "busy", "忙"));
  EvalContext ctx(zone_, &facts);
  ctx.Begin(0, "L1");
  Row row;
  row.Fill(set->layout(), json::object());
  std::vector<uint32_t> out;
  EXPECT_EQ(set->Match(row, ctx, &out).code(), "db.busy");
}

}  // namespace
}  // namespace lf::rules
