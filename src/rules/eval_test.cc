// Evaluation over stored-form records: comparisons, null semantics, in/contains, tags, and facts.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "rules/expr.h"
#include "rules/memory_facts.h"
#include "rules/test_schema.h"

namespace lf::rules {
namespace {

using nlohmann::json;
using testing::Field;
using testing::MakeSchema;

class ExprEval : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ = MakeSchema({{"leads", Field("budget_wan", FieldType::kNumber)},
                          {"leads", Field("industry_tags", FieldType::kMultiEnum, {"制造", "教育"})},
                          {"leads", Field("vip", FieldType::kBool)},
                          {"leads", Field("visit_date", FieldType::kDate)}});
    zone_ = FindZone("Asia/Shanghai").value();
    env_.schema = schema_.get();
    env_.zone = zone_;
    // 2026-03-10T10:00:00+08:00
    now_ = ParseRfc3339("2026-03-10T10:00:00+08:00").value();
    lead_ = json{{"id", "L1"},
                 {"channel", "douyin_form"},
                 {"first_touch", "book_demo"},
                 {"name", "王经理"},
                 {"company", "杭州某某科技有限公司"},
                 {"color", nullptr},
                 {"touch_count", 2},
                 {"response_hours", 0.25},
                 {"tags", json::array({"战略客户", "华东"})},
                 {"industry_tags", json::array({"制造"})},
                 {"vip", 1},
                 {"visit_date", "2026-03-12"},
                 {"created_at", ParseRfc3339("2026-03-09T23:30:00+08:00").value()},
                 {"budget_wan", 80}};
  }
  bool Eval(std::string_view src, Facts* facts = nullptr) {
    auto e = Expr::Compile(src, env_);
    EXPECT_TRUE(e.ok()) << src << ": " << e.status().detail_en();
    if (!e.ok()) return false;
    EvalContext ctx(zone_, facts ? facts : &facts_);
    ctx.Begin(now_, "L1");
    auto r = e->Evaluate(lead_, ctx);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && *r;
  }
  std::shared_ptr<const TenantSchema> schema_;
  const TimeZone* zone_ = nullptr;
  ExprEnv env_;
  int64_t now_ = 0;
  json lead_;
  MemoryFacts facts_;
};

TEST_F(ExprEval, ThreeColorRule) {
  EXPECT_TRUE(Eval(R"(lead.channel == "douyin_form" and lead.first_touch == "book_demo")"));
  EXPECT_FALSE(Eval(R"(lead.channel == "douyin_form" and lead.first_touch == "download_whitepaper")"));
  EXPECT_TRUE(Eval(R"(lead.channel != "website")"));
  EXPECT_TRUE(Eval(R"("douyin_form" == lead.channel)"));
}

TEST_F(ExprEval, NumbersBooleansAndSets) {
  EXPECT_TRUE(Eval("lead.touch_count >= 2 and lead.touch_count < 3 and lead.response_hours <= 0.25"));
  EXPECT_FALSE(Eval("lead.touch_count > 2"));
  EXPECT_TRUE(Eval("lead.vip and lead.vip == true and not (lead.vip == false)"));
  EXPECT_TRUE(Eval("lead.touch_count in [1, 2, 3]"));
  EXPECT_TRUE(Eval("lead.touch_count not in [5, 6]"));
  EXPECT_TRUE(Eval(R"(lead.name in ["a1","a2","a3","a4","a5","a6","a7","a8","王经理"] and lead.name not in ["a1","a2","a3","a4","a5","a6","a7","a8","a9"])"));
  EXPECT_FALSE(Eval(R"(lead.channel in ["website", "zhihu"])"));
  EXPECT_TRUE(Eval("(lead.touch_count > 1) == lead.vip"));
  EXPECT_TRUE(Eval("lead.budget_wan > 50"));
}

TEST_F(ExprEval, TextContainsAndTags) {
  EXPECT_TRUE(Eval(R"(lead.company contains "科技")"));
  EXPECT_FALSE(Eval(R"(lead.company contains "医疗")"));
  EXPECT_TRUE(Eval(R"(has_tag("战略客户") and "华东" in lead.tags and lead.tags contains "华东")"));
  EXPECT_FALSE(Eval(R"(has_tag("战略"))"));  // membership, not substring
  EXPECT_TRUE(Eval(R"("VIP" not in lead.tags)"));
  EXPECT_TRUE(Eval(R"(lead.industry_tags contains "制造" and not (lead.industry_tags contains "教育"))"));
}

TEST_F(ExprEval, NullSemantics) {
  // color is null: equality treats null as a value; ordering and membership tests are false.
  EXPECT_TRUE(Eval("lead.color == null"));
  EXPECT_TRUE(Eval(R"(lead.color != "red")"));
  EXPECT_FALSE(Eval(R"(lead.color == "red")"));
  EXPECT_FALSE(Eval(R"(lead.color in ["red", "yellow"])"));
  EXPECT_TRUE(Eval(R"(lead.color not in ["red", "yellow"])"));
  EXPECT_TRUE(Eval("is_empty(lead.color) and is_empty(lead.wechat) and not is_empty(lead.tags)"));
  EXPECT_FALSE(Eval("lead.silent_until > now()"));  // missing datetime
  EXPECT_FALSE(Eval("days_since(lead.assigned_at) >= 0"));
  EXPECT_FALSE(Eval("days_since(lead.assigned_at) < 0"));
  lead_["tags"] = json::array();
  EXPECT_TRUE(Eval("is_empty(lead.tags)"));
  lead_["name"] = "";
  EXPECT_TRUE(Eval("is_empty(lead.name)"));
}

TEST_F(ExprEval, WrongStoredTypesReadAsNull) {
  lead_["created_at"] = 1e300;  // corrupt instant: missing, not an overflow
  EXPECT_FALSE(Eval("days_since(lead.created_at) >= 0"));
  EXPECT_FALSE(Eval("days_since(lead.created_at) < 0"));
  lead_["touch_count"] = "many";
  lead_["channel"] = 7;
  lead_["tags"] = "not-a-list";
  EXPECT_FALSE(Eval("lead.touch_count >= 0"));
  EXPECT_TRUE(Eval("lead.channel == null"));
  EXPECT_FALSE(Eval(R"(has_tag("华东"))"));
}

TEST_F(ExprEval, DatesAndDatetimes) {
  EXPECT_TRUE(Eval(R"(lead.visit_date > "2026-03-11" and lead.visit_date <= "2026-03-12")"));
  EXPECT_TRUE(Eval("days_until(lead.visit_date) == 2"));
  EXPECT_TRUE(Eval(R"(lead.created_at >= "2026-03-09T23:30:00+08:00")"));
  EXPECT_FALSE(Eval(R"(lead.created_at > "2026-03-09T15:30:00Z")"));
  // No offset: read in the tenant's zone.
  EXPECT_TRUE(Eval(R"(lead.created_at == "2026-03-09 23:30:00")"));
  EXPECT_TRUE(Eval("lead.created_at < now()"));
  EXPECT_TRUE(Eval(R"(days_since("2026-03-01") == 9)"));
}

TEST_F(ExprEval, ActivityFactsAreLazyAndMemoisedPerEvent) {
  facts_.Add("lead", "L1", ParseRfc3339("2026-03-07T09:00:00+08:00").value());  // 3 local days ago
  facts_.Add("lead", "L1", ParseRfc3339("2026-03-09T20:00:00+08:00").value());  // 14 h ago
  facts_.Add("lead", "L2", ParseRfc3339("2026-03-10T09:00:00+08:00").value());  // someone else's
  EXPECT_TRUE(Eval("activities_in(3d) == 2 and activities_in(2d) == 1 and activities_in(\"14h\") == 1 "
                   "and activities_in(13h) == 0"));
  EXPECT_EQ(facts_.calls(), 4);
  EXPECT_TRUE(Eval("hours_since(last_activity_at()) == 14 and days_since(last_activity_at()) == 1"));
  EXPECT_EQ(facts_.calls(), 5);  // one call although asked twice
  // Short-circuit: the fact is never asked when the first test already decides.
  EXPECT_FALSE(Eval(R"(lead.channel == "website" and activities_in(30d) > 0)"));
  EXPECT_EQ(facts_.calls(), 5);
}

TEST_F(ExprEval, FactFailureIsReportedNotSwallowed) {
  auto e = Expr::Compile("activities_in(3d) == 0 or lead.vip", env_);
  ASSERT_TRUE(e.ok());
  facts_.FailWith(Status::Error(ErrorKind::kUnavailable, "db.busy", "busy", "忙"));
  EvalContext ctx(zone_, &facts_);
  ctx.Begin(now_, "L1");
  auto r = e->Evaluate(lead_, ctx);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "db.busy");
  // The next event starts clean.
  facts_.FailWith(Status::Ok());
  ctx.Begin(now_, "L1");
  EXPECT_TRUE(e->Evaluate(lead_, ctx).value());
  // No provider at all is a host bug, reported as internal.
  EvalContext bare(zone_);
  bare.Begin(now_, "L1");
  EXPECT_EQ(e->Evaluate(lead_, bare).status().kind(), ErrorKind::kInternal);
}

TEST_F(ExprEval, RelatedRecordsAreBoundInOrder) {
  env_.related = {"customer"};
  auto e = Expr::Compile(R"(lead.channel == "douyin_form" and customer.level == "strategic")", env_);
  ASSERT_TRUE(e.ok()) << e.status().detail_en();
  json customer = {{"level", "strategic"}};
  const json* recs[] = {&lead_, &customer};
  Row row;
  row.FillBindings(e->layout(), recs);
  EvalContext ctx(zone_);
  ctx.Begin(now_);
  EXPECT_TRUE(e->Evaluate(row, ctx));
  const json* no_customer[] = {&lead_, nullptr};
  row.FillBindings(e->layout(), no_customer);
  EXPECT_FALSE(e->Evaluate(row, ctx));
}

}  // namespace
}  // namespace lf::rules
