// Rule-engine benchmark (issue 4): 100 three-color rules over 200,000 synthetic lead events,
// in-process, next to json-rules-engine on the same rules and events (bench/rules_engine.sh).
//   bench_rules write FILE [events]   writes {rules: [{id, color, condition, jre}], events: [...]}
//   bench_rules run FILE [rounds] [prefix]  times our engine on FILE; the last line is a JSON
//                                     summary, with the match count of the first `prefix` events
//                                     (what the peer ran, when it ran fewer) for the cross-check
// Rules are generated once as json-rules-engine conditions; our condition text is derived from
// them mechanically (ToExpr), so both engines run the same logic. Events are leads in stored form
// (records/: datetimes as epoch ms, tags as arrays).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rules/rule_set.h"
#include "rules/test_schema.h"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

const std::vector<std::string> kChannels = {"douyin_form", "xiaohongshu_dm", "baidu_ads", "website",
                                            "trade_show", "zhihu", "wechat", "manual", "other"};
const std::vector<std::string> kTouches = {"download_whitepaper", "book_demo", "quote_form", "add_wechat", "other"};
const std::vector<std::string> kRegions = {"华东", "华南", "华北", "华中", "西南", "西北"};
const std::vector<std::string> kProducts = {"CRM 标准版", "CRM 专业版", "营销云", "客服云", "BI"};
const std::vector<std::string> kTags = {"战略客户", "VIP", "老客户", "展会", "竞品用户"};

json Leaf(const std::string& fact, const std::string& op, json value) {
  return {{"fact", fact}, {"operator", op}, {"value", std::move(value)}};
}

std::string Lit(const json& v) { return v.is_string() ? v.dump(-1, ' ', false) : v.dump(); }

// json-rules-engine conditions → our expression text, operator by operator.
std::string ToExpr(const json& c) {
  if (c.contains("all") || c.contains("any")) {
    bool all = c.contains("all");
    std::string out = "(";
    const json& kids = all ? c["all"] : c["any"];
    for (size_t i = 0; i < kids.size(); ++i) out += (i ? (all ? " and " : " or ") : "") + ToExpr(kids[i]);
    return out + ")";
  }
  std::string f = "lead." + c["fact"].get<std::string>(), op = c["operator"];
  const json& v = c["value"];
  auto list = [&] {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + Lit(v[i]);
    return s + "]";
  };
  if (op == "equal") return f + " == " + Lit(v);
  if (op == "notEqual") return f + " != " + Lit(v);
  if (op == "in") return f + " in " + list();
  if (op == "notIn") return f + " not in " + list();
  if (op == "greaterThanInclusive") return f + " >= " + Lit(v);
  if (op == "lessThan") return f + " < " + Lit(v);
  if (op == "contains") return f + " contains " + Lit(v);
  if (op == "doesNotContain") return "not (" + f + " contains " + Lit(v) + ")";
  std::cerr << "unsupported operator " << op << "\n";
  std::exit(2);
}

template <class R>
const std::string& Pick(R& rng, const std::vector<std::string>& v) {
  return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
}

json MakeRules(std::mt19937& rng) {
  json rules = json::array();
  auto add = [&](json jre, std::string color) {
    std::string id = "r" + std::to_string(rules.size() + 1);
    rules.push_back({{"id", id}, {"color", color}, {"condition", ToExpr(jre)}, {"jre", jre}});
  };
  // A (45): the catalog's three-color table, channel × first touch.
  for (const auto& c : kChannels)
    for (const auto& t : kTouches) {
      bool paid = c == "douyin_form" || c == "baidu_ads" || c == "xiaohongshu_dm";
      std::string color = (t == "book_demo" || t == "quote_form") ? (paid ? "red" : "yellow")
                          : t == "add_wechat" ? "yellow" : "green";
      add({{"all", json::array({Leaf("channel", "equal", c), Leaf("first_touch", "equal", t)})}}, color);
    }
  // B (30): channel, one of two first touches, region.
  for (int i = 0; i < 30; ++i)
    add({{"all", json::array({Leaf("channel", "equal", Pick(rng, kChannels)),
                              Leaf("first_touch", "in", json::array({Pick(rng, kTouches), Pick(rng, kTouches)})),
                              Leaf("region", "equal", Pick(rng, kRegions))})}},
        i % 2 ? "red" : "yellow");
  // C (15): a group of channels, enough touches, not already tagged.
  for (int i = 0; i < 15; ++i)
    add({{"all", json::array({Leaf("channel", "in", json::array({Pick(rng, kChannels), Pick(rng, kChannels),
                                                                 Pick(rng, kChannels)})),
                              Leaf("touch_count", "greaterThanInclusive", 1 + i % 4),
                              Leaf("tags", "doesNotContain", Pick(rng, kTags))})}},
        "yellow");
  // D (10): first touch, region or product, and a tag.
  for (int i = 0; i < 10; ++i)
    add({{"all", json::array({Leaf("first_touch", "equal", Pick(rng, kTouches)),
                              {{"any", json::array({Leaf("region", "equal", Pick(rng, kRegions)),
                                                    Leaf("product", "equal", Pick(rng, kProducts))})}},
                              Leaf("tags", "contains", Pick(rng, kTags))})}},
        "red");
  return rules;
}

json MakeEvents(std::mt19937& rng, int n) {
  json events = json::array();
  std::uniform_int_distribution<int> pct(0, 99);
  const int64_t base = 1772323200000;  // 2026-03-01T00:00:00Z
  for (int i = 0; i < n; ++i) {
    json tags = json::array();
    for (const auto& t : kTags)
      if (pct(rng) < 15) tags.push_back(t);
    char phone[32];
    std::snprintf(phone, sizeof phone, "+86138%08d", i);
    events.push_back({{"id", "0193b5c0-0000-7000-8000-" + std::to_string(100000000000LL + i)},
                      {"name", "客户" + std::to_string(i)},
                      {"phone", phone},
                      {"company", "某某科技有限公司"},
                      {"channel", Pick(rng, kChannels)},
                      {"first_touch", Pick(rng, kTouches)},
                      {"region", Pick(rng, kRegions)},
                      {"product", Pick(rng, kProducts)},
                      {"stage", "lead"},
                      {"color", nullptr},
                      {"touch_count", pct(rng) % 6},
                      {"tags", tags},
                      {"owner_id", "0193b5c0-0000-7000-8000-000000000001"},
                      {"created_at", base + int64_t(i) * 1000},
                      {"utm_source", "bench"}});
  }
  return events;
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

int Run(const std::string& file, int rounds, size_t prefix) {
  using namespace lf;
  std::ifstream in(file);
  json data = json::parse(in);
  const json& events = data["events"];
  auto schema = rules::testing::MakeSchema();
  rules::ExprEnv env;
  env.schema = schema.get();
  env.subject = "lead";
  env.zone = FindZone("Asia/Shanghai").value();

  auto t0 = Clock::now();
  auto set = rules::RuleSet::Create(env);
  if (!set.ok()) return std::cerr << set.status().ToString() << "\n", 1;
  for (const auto& r : data["rules"]) {
    auto added = set->Add(r["id"], r["condition"].get<std::string>());
    if (!added.ok()) return std::cerr << r["condition"] << ": " << added.status().detail_en() << "\n", 1;
  }
  set->Build();
  double compile_s = Seconds(Clock::now() - t0);
  const size_t n = events.size(), nrules = set->size();
  const int64_t now = 1772700000000;

  rules::Row row;
  std::vector<uint32_t> out;
  // Row building alone (the per-event cost before any rule runs).
  t0 = Clock::now();
  size_t filled = 0;
  for (const auto& ev : events) {
    row.Fill(set->layout(), ev);
    filled += row.size();
  }
  double fill_s = Seconds(Clock::now() - t0);

  // Indexed matching, including building each event's row: the figure we compare.
  std::vector<double> times;
  uint64_t matches = 0, prefix_matches = 0;
  rules::EvalStats stats;
  for (int round = 0; round < rounds; ++round) {
    rules::EvalContext ctx(env.zone);
    matches = 0;
    size_t i = 0;
    t0 = Clock::now();
    for (const auto& ev : events) {
      if (i++ == prefix) prefix_matches = matches;
      row.Fill(set->layout(), ev);
      ctx.Begin(now);
      if (!set->Match(row, ctx, &out).ok()) return 1;
      matches += out.size();
    }
    if (prefix >= n) prefix_matches = matches;
    times.push_back(Seconds(Clock::now() - t0));
    stats = ctx.stats;
  }
  std::sort(times.begin(), times.end());
  double indexed_s = times[times.size() / 2];

  // Every rule's whole condition on every event (no index), same rows.
  rules::EvalContext brute_ctx(env.zone);
  uint64_t brute_matches = 0;
  t0 = Clock::now();
  for (const auto& ev : events) {
    row.Fill(set->layout(), ev);
    brute_ctx.Begin(now);
    if (!set->MatchAll(row, brute_ctx, &out).ok()) return 1;
    brute_matches += out.size();
  }
  double brute_s = Seconds(Clock::now() - t0);

  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  double eps = n / indexed_s;
  std::printf("rules: %zu (%zu filed in the index), slots per row: %zu, compile+index: %.2f ms\n", nrules,
              set->indexed_rules(), set->layout().slots().size(), compile_s * 1e3);
  std::printf("events: %zu, rounds: %d (median shown), matches: %llu (brute force: %llu)%s\n", n, rounds,
              (unsigned long long)matches, (unsigned long long)brute_matches,
              matches == brute_matches ? "" : "  MISMATCH");
  std::printf("row fill only:          %12.0f events/s\n", n / fill_s);
  std::printf("indexed (fill + match): %12.0f events/s  = %.0f rule evaluations/s (events x %zu rules)\n", eps,
              eps * nrules, nrules);
  std::printf("  per event: %.2f rules considered, %.2f conditions evaluated, %.0f index probes\n",
              double(stats.rules_considered) / n, double(stats.conditions) / n, double(stats.index_probes) / n);
  std::printf("  conditions evaluated/s: %.0f\n", stats.conditions / indexed_s);
  std::printf("brute force (fill + all %zu rules): %12.0f events/s, %.2f conditions/event\n", nrules, n / brute_s,
              double(brute_ctx.stats.conditions) / n);
  std::printf("peak RSS: %ld MiB (includes the parsed JSON of all events)\n", ru.ru_maxrss / 1024);
  json summary = {{"engine", "leadflow"},
                  {"events", n},
                  {"rules", nrules},
                  {"seconds", indexed_s},
                  {"events_per_s", std::llround(eps)},
                  {"rule_evals_per_s", std::llround(eps * nrules)},
                  {"rules_considered_per_event", double(stats.rules_considered) / n},
                  {"conditions_per_event", double(stats.conditions) / n},
                  {"conditions_per_s", std::llround(stats.conditions / indexed_s)},
                  {"brute_force_events_per_s", std::llround(n / brute_s)},
                  {"fill_only_events_per_s", std::llround(n / fill_s)},
                  {"matches", matches},
                  {"prefix_events", std::min(prefix, n)},
                  {"prefix_matches", prefix_matches},
                  {"brute_force_matches", brute_matches},
                  {"peak_rss_mib", ru.ru_maxrss / 1024}};
  std::cout << summary.dump() << std::endl;
  (void)filled;
  return matches == brute_matches ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "write" && argc >= 3) {
    int n = argc > 3 ? std::atoi(argv[3]) : 200000;
    std::mt19937 rng(4);  // issue 4
    json data = {{"rules", MakeRules(rng)}, {"events", MakeEvents(rng, n)}};
    std::ofstream(argv[2]) << data.dump();
    std::printf("wrote %zu rules and %d events to %s\n", data["rules"].size(), n, argv[2]);
    return 0;
  }
  if (mode == "run" && argc >= 3)
    return Run(argv[2], argc > 3 ? std::atoi(argv[3]) : 5, argc > 4 ? size_t(std::atoll(argv[4])) : SIZE_MAX);
  std::fprintf(stderr, "usage: bench_rules write FILE [events] | bench_rules run FILE [rounds]\n");
  return 2;
}
