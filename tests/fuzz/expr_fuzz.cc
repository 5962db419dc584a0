// libFuzzer target for the rule language (DESIGN.md §8): any input must either be rejected with a
// rules.* Status carrying "line L, column C", or compile and evaluate without crashing — and the
// RuleSet index must agree with brute-force evaluation on it. Built by tests/fuzz/run.sh.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "rules/expr.h"
#include "rules/memory_facts.h"
#include "rules/parser.h"
#include "rules/rule_set.h"
#include "rules/test_schema.h"

// Inside lf::rules so Row/Value mean the rule engine's (storage/ has its own lf::Row).
namespace lf::rules {
namespace {

using nlohmann::json;

struct Fixture {
  std::shared_ptr<const TenantSchema> schema = testing::MakeSchema(
      {{"leads", testing::Field("budget_wan", FieldType::kNumber)},
       {"leads", testing::Field("industry_tags", FieldType::kMultiEnum, {"制造", "教育"})},
       {"leads", testing::Field("visit_date", FieldType::kDate)}});
  const TimeZone* zone = FindZone("America/New_York").value();
  ExprEnv env;
  MemoryFacts facts;
  std::vector<json> leads;
  json customer = {{"level", "strategic"}, {"contract_end_date", "2026-04-30"}};
  int64_t now = 1772700000000;

  Fixture() {
    env.schema = schema.get();
    env.subject = "lead";
    env.related = {"customer"};
    env.zone = zone;
    facts.Add("lead", "L1", now - 3'600'000);
    facts.Add("lead", "L1", now - 4 * 86'400'000LL);
    leads.push_back({{"id", "L1"}, {"channel", "douyin_form"}, {"first_touch", "book_demo"},
                     {"tags", json::array({"战略客户", "VIP"})}, {"touch_count", 3}, {"budget_wan", 12.5},
                     {"created_at", now - 90'000'000}, {"visit_date", "2026-03-05"}, {"company", "某某科技"},
                     {"industry_tags", json::array({"制造"})}});
    leads.push_back({{"id", "L2"}, {"channel", "website"}, {"tags", json::array()}, {"touch_count", "bad"}});
    leads.push_back(json::object());
  }
};

void Require(bool ok) {
  if (!ok) std::abort();
}

int FuzzOne(const uint8_t* data, size_t size) {
  static Fixture* fx = new Fixture();
  std::string_view src(reinterpret_cast<const char*>(data), size);
  if (auto ast = Parse(src); ast.ok()) (void)Dump(**ast);

  auto set = RuleSet::Create(fx->env);
  Require(set.ok());
  auto added = set->Add("fuzz", src);
  if (!added.ok()) {
    const Status& s = added.status();
    Require(s.code().rfind("rules.", 0) == 0);
    Require(s.detail_en().rfind("line ", 0) == 0 && s.detail_en().find(", column ") != std::string::npos);
    Require(s.detail_zh().rfind("第 ", 0) == 0);
    Require(s.field() == "condition");
    return 0;
  }
  // Neighbours so the index has buckets to mix with the fuzzed rule.
  Require(set->Add("a", R"(lead.channel == "douyin_form" and lead.first_touch == "book_demo")").ok());
  Require(set->Add("b", R"(lead.channel in ["website", "zhihu"] or has_tag("VIP"))").ok());
  set->Build();
  Row row;
  std::vector<uint32_t> fast, slow;
  EvalContext ctx(fx->zone, &fx->facts);
  for (const auto& lead : fx->leads) {
    const json* recs[] = {&lead, &fx->customer};
    row.FillBindings(set->layout(), recs);
    ctx.Begin(fx->now, lead.value("id", ""));
    Status a = set->Match(row, ctx, &fast);
    ctx.Begin(fx->now, lead.value("id", ""));
    Status b = set->MatchAll(row, ctx, &slow);
    Require(a.ok() && b.ok());
    Require(fast == slow);
  }
  return 0;
}

}  // namespace
}  // namespace lf::rules

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return lf::rules::FuzzOne(data, size);
}
