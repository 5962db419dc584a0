// Benchmark: single-record access decisions (AccessPolicy::Decide) with 10,000 grants and rules,
// on one core. Writes the same policy and requests as JSON for bench/node/casbin_decide.js (the
// peer in the same run) and checks that both answer the same.
//
// Usage: bench_access OUT_DIR [decisions]   → prints "decisions/s p50_us p99_us allowed"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>

#include "access/policy.h"

using namespace lf;
using json = nlohmann::json;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_access OUT_DIR [decisions]\n");
    return 2;
  }
  std::string out = argv[1];
  const int n_decisions = argc > 2 ? std::atoi(argv[2]) : 2'000'000;
  const int n_users = 200, n_records = 100'000, n_grants = 10'000, n_rules = 100;
  const int64_t now = 1'800'000'000'000;
  std::mt19937 rng(7);
  auto pick = [&](int n) { return int(std::uniform_int_distribution<int>(0, n - 1)(rng)); };

  std::vector<TenantSchema::Entity> ents;
  for (const auto& def : BuiltinEntities()) ents.push_back({&def, def.fields});
  TenantSchema schema(1, ents);
  const TenantSchema::Entity& leads = *schema.Find("leads");

  auto uid = [](int i) { return "u" + std::to_string(i); };
  auto rid = [](int i) { return "l" + std::to_string(i); };
  // Records: an owner and, for one in ten, a tag that restricting rules name.
  std::vector<json> records(n_records);
  for (int i = 0; i < n_records; ++i) {
    records[i] = {{"id", rid(i)}, {"owner_id", uid(pick(n_users))}, {"tags", json::array()}, {"pool_id", nullptr}};
    if (i % 10 == 0) records[i]["tags"].push_back("tag" + std::to_string(pick(n_rules)));
  }
  // Grants: 10,000 (user, record) read grants. Rules: 100 tag rules, each allowing the owner.
  std::vector<std::vector<Grant>> grants(n_users);
  json policy_lines = json::array();
  for (int i = 0; i < n_grants; ++i) {
    int u = pick(n_users), r = pick(n_records);
    grants[u].push_back(Grant{"g" + std::to_string(i), "leads", rid(r), "read", {}, now + 3600'000});
    policy_lines.push_back({uid(u), rid(r)});
  }
  std::vector<AccessRule> rules;
  for (int i = 0; i < n_rules; ++i) {
    AccessRule r;
    r.id = "r" + std::to_string(i);
    r.name = r.id;
    r.entity = "leads";
    r.tag = "tag" + std::to_string(i);
    r.user_fields = {"owner_id"};
    rules.push_back(r);
  }
  RoleRights rights;
  rights.entities["leads"] = EntityRights{{Action::kRead}, Scope::kSelf, {}, ""};
  std::vector<std::unique_ptr<AccessPolicy>> policies;
  for (int u = 0; u < n_users; ++u) {
    PolicySubject s;
    s.tenant_id = "t";
    s.user_id = uid(u);
    s.role = "sales";
    policies.push_back(std::make_unique<AccessPolicy>(s, rights, rules, grants[u],
                                                      std::vector<Unmask>{},
                                                      std::map<std::string, std::set<std::string>>{}));
  }
  // Requests: half on records the user owns or was granted, half random.
  std::vector<std::pair<int, int>> requests(n_decisions);
  for (auto& q : requests) {
    int u = pick(n_users);
    int r = pick(n_records);
    if (pick(4) == 0 && !grants[u].empty()) r = std::stoi(grants[u][pick(int(grants[u].size()))].record_id.substr(1));
    q = {u, r};
  }
  std::vector<RecordFacts> facts(n_records);
  for (int i = 0; i < n_records; ++i) facts[i].values = &records[i];

  // Throughput: a tight loop; latency: every 16th decision timed on its own.
  std::vector<double> lat;
  lat.reserve(n_decisions / 16 + 1);
  int64_t allowed = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n_decisions; ++i) {
    auto [u, r] = requests[i];
    if ((i & 15) == 0) {
      auto a = std::chrono::steady_clock::now();
      allowed += policies[u]->Decide(schema, leads, facts[r], Action::kRead, now).allow;
      lat.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - a).count());
    } else {
      allowed += policies[u]->Decide(schema, leads, facts[r], Action::kRead, now).allow;
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::sort(lat.begin(), lat.end());
  std::printf("%.0f %.2f %.2f %lld\n", n_decisions / secs, lat[lat.size() / 2], lat[lat.size() * 99 / 100],
              (long long)allowed);

  // The same policy and the first requests with our answers, for the casbin peer.
  json owners = json::array(), reqs = json::array();
  for (const auto& r : records) owners.push_back({r["id"], r["owner_id"], r["tags"]});
  for (int i = 0; i < std::min(n_decisions, 20000); ++i) {
    auto [u, r] = requests[i];
    reqs.push_back({uid(u), rid(r), policies[u]->Decide(schema, leads, facts[r], Action::kRead, now).allow});
  }
  std::ofstream(out + "/policy.json") << json{{"grants", policy_lines}, {"records", owners},
                                              {"rules", n_rules}, {"requests", reqs}}.dump();
  return 0;
}
