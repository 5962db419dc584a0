// Implements rules/rule_set.h.
#include "rules/rule_set.h"

#include <algorithm>
#include <map>

namespace lf::rules {
namespace {

// An equality test a rule can be filed under: slot == one of `values`, node `conjunct`.
struct KeyTest {
  uint32_t slot = 0;
  std::vector<std::string_view> values;
  uint32_t conjunct = 0;
};

std::vector<uint32_t> Conjuncts(const Program& p) {
  const Node& root = p.nodes[p.root];
  if (root.op != Op::kAnd) return {p.root};
  return std::vector<uint32_t>(p.kids.begin() + root.first, p.kids.begin() + root.first + root.count);
}

std::vector<KeyTest> KeyTests(const Program& p) {
  std::vector<KeyTest> out;
  for (uint32_t c : Conjuncts(p)) {
    const Node& n = p.nodes[c];
    if (n.op == Op::kEqTextSlot && !n.neg) {
      out.push_back({n.a, {p.consts[n.b].text}, c});
    } else if (n.op == Op::kInSet && !n.neg && n.type == VType::kText && p.nodes[n.a].op == Op::kSlot &&
               !p.text_sets[n.b].empty()) {
      out.push_back({p.nodes[n.a].a, p.text_sets[n.b], c});
    }
  }
  return out;
}

}  // namespace

Result<RuleSet> RuleSet::Create(const ExprEnv& env) {
  LF_ASSIGN(RowLayout layout, MakeLayout(env));
  return RuleSet(env, std::move(layout));
}

Result<uint32_t> RuleSet::Add(std::string id, std::string_view condition) {
  LF_ASSIGN(std::unique_ptr<Program> p, CompileProgram(condition, env_, &layout_));
  Rule r;
  r.id = std::move(id);
  r.residual = p->root;
  r.program = std::move(p);
  rules_.push_back(std::move(r));
  built_ = false;
  return uint32_t(rules_.size() - 1);
}

std::vector<FactNeed> RuleSet::facts() const {
  std::vector<FactNeed> out;
  for (const auto& r : rules_)
    for (const auto& f : r.program->facts)
      if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
  return out;
}

void RuleSet::Build() {
  index_.clear();
  always_.clear();
  // Spread of each slot: how many distinct values rules test it for. Filing a rule under the
  // slot with the widest spread keeps buckets small.
  std::map<uint32_t, std::vector<std::string_view>> spread;
  std::vector<std::vector<KeyTest>> tests(rules_.size());
  for (size_t i = 0; i < rules_.size(); ++i) {
    tests[i] = KeyTests(*rules_[i].program);
    for (const auto& t : tests[i]) {
      auto& v = spread[t.slot];
      v.insert(v.end(), t.values.begin(), t.values.end());
    }
  }
  std::map<uint32_t, size_t> distinct;
  for (auto& [slot, v] : spread) {
    std::sort(v.begin(), v.end());
    distinct[slot] = size_t(std::unique(v.begin(), v.end()) - v.begin());
  }
  std::map<uint32_t, size_t> slot_pos;
  for (uint32_t i = 0; i < rules_.size(); ++i) {
    Rule& r = rules_[i];
    Program& p = *r.program;
    const KeyTest* best = nullptr;
    for (const auto& t : tests[i]) {
      // Prefer the widest spread; among equals, fewer values (== over in).
      if (best == nullptr || distinct[t.slot] > distinct[best->slot] ||
          (distinct[t.slot] == distinct[best->slot] && t.values.size() < best->values.size()))
        best = &t;
    }
    if (best == nullptr) {
      r.residual = p.root;
      always_.push_back(i);
      continue;
    }
    // The residual: the conjunction without the test the index already made.
    std::vector<uint32_t> rest;
    for (uint32_t c : Conjuncts(p))
      if (c != best->conjunct) rest.push_back(c);
    if (rest.empty()) {
      Node t;
      t.op = Op::kBoolConst;
      t.a = 1;
      p.nodes.push_back(t);
      r.residual = uint32_t(p.nodes.size() - 1);
    } else if (rest.size() == 1) {
      r.residual = rest[0];
    } else {
      Node a;
      a.op = Op::kAnd;
      a.first = uint32_t(p.kids.size());
      a.count = uint32_t(rest.size());
      p.kids.insert(p.kids.end(), rest.begin(), rest.end());
      p.nodes.push_back(a);
      r.residual = uint32_t(p.nodes.size() - 1);
    }
    auto [pos, inserted] = slot_pos.try_emplace(best->slot, index_.size());
    if (inserted) index_.push_back(SlotIndex{best->slot, {}});
    auto& buckets = index_[pos->second].buckets;
    std::vector<std::string_view> values = best->values;
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    for (auto v : values) buckets[std::string(v)].push_back(i);
  }
  built_ = true;
}

Status RuleSet::Match(const Row& row, EvalContext& ctx, std::vector<uint32_t>* out) const {
  if (!built_) return Status::Internal("RuleSet::Match before Build");
  if (row.size() != layout_.slots().size()) return Status::Internal("RuleSet::Match: row not filled with layout()");
  out->clear();
  bool sorted = true;
  for (const auto& si : index_) {
    ++ctx.stats.index_probes;
    const Value& v = row[si.slot];
    if (v.kind != Value::Kind::kText) continue;
    auto it = si.buckets.find(v.text);
    if (it == si.buckets.end()) continue;
    for (uint32_t r : it->second) {
      ++ctx.stats.rules_considered;
      const Rule& rule = rules_[r];
      if (EvalPredicate(*rule.program, rule.residual, row, ctx)) {
        if (!out->empty() && out->back() > r) sorted = false;
        out->push_back(r);
      }
    }
  }
  for (uint32_t r : always_) {
    ++ctx.stats.rules_considered;
    const Rule& rule = rules_[r];
    if (EvalPredicate(*rule.program, rule.program->root, row, ctx)) {
      if (!out->empty() && out->back() > r) sorted = false;
      out->push_back(r);
    }
  }
  if (!sorted) std::sort(out->begin(), out->end());
  return ctx.status();
}

Status RuleSet::MatchAll(const Row& row, EvalContext& ctx, std::vector<uint32_t>* out) const {
  out->clear();
  if (row.size() != layout_.slots().size()) return Status::Internal("RuleSet::MatchAll: row not filled with layout()");
  for (uint32_t r = 0; r < rules_.size(); ++r) {
    ++ctx.stats.rules_considered;
    if (EvalPredicate(*rules_[r].program, rules_[r].program->root, row, ctx)) out->push_back(r);
  }
  return ctx.status();
}

}  // namespace lf::rules
