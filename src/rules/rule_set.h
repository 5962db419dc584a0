// RuleSet: many compiled conditions over one shared RowLayout, indexed so that an event evaluates
// only the rules that can match. Each rule whose condition is a conjunction with an equality test
// `field == "text"` (or `field in ["a", "b"]`) on a text/enum field is filed under one such test
// in a hash from (slot, value) to rules; at match time one hash probe per indexed slot yields the
// candidates, and only the rest of their condition (the residual) runs. Other rules always run.
// Memory: O(total condition size + distinct indexed values); sized per tenant's rule count.
// Thread-safety: Add/Build are not thread-safe; after Build, Match/MatchAll are safe from many
// threads (each with its own Row and EvalContext).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rules/compiler.h"
#include "rules/eval.h"
#include "rules/program.h"
#include "rules/value.h"

namespace lf::rules {

class RuleSet {
 public:
  // An empty set for conditions compiled against `env` (env.schema must stay alive until the
  // last Add).
  static Result<RuleSet> Create(const ExprEnv& env);
  RuleSet(RuleSet&&) = default;
  RuleSet& operator=(RuleSet&&) = default;

  // Compiles `condition` and appends it; returns its index (match results use these indexes and
  // keep insertion order). A rejected condition leaves the set unchanged. Invalidates the index:
  // call Build again before matching.
  Result<uint32_t> Add(std::string id, std::string_view condition);
  // Builds the index. Required after the last Add, before Match.
  void Build();

  size_t size() const { return rules_.size(); }
  const std::string& id(uint32_t rule) const { return rules_[rule].id; }
  const RowLayout& layout() const { return layout_; }
  // Every fact any rule may ask for, without duplicates (for prefetching).
  std::vector<FactNeed> facts() const;
  // How many rules were filed in the index (the rest run for every event).
  size_t indexed_rules() const { return rules_.size() - always_.size(); }

  // Sets *out to the indexes of the rules whose condition holds for `row` (filled with layout()),
  // ascending. Returns the first Facts failure (ctx.status()); *out is then incomplete.
  Status Match(const Row& row, EvalContext& ctx, std::vector<uint32_t>* out) const;
  // The same answer by evaluating every rule's whole condition, without the index: the reference
  // for tests and for dry runs that want every rule's verdict.
  Status MatchAll(const Row& row, EvalContext& ctx, std::vector<uint32_t>* out) const;

 private:
  struct Rule {
    std::string id;
    std::unique_ptr<Program> program;
    uint32_t residual = 0;  // node to run when the rule was reached through the index
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  struct SlotIndex {
    uint32_t slot = 0;
    std::unordered_map<std::string, std::vector<uint32_t>, Hash, std::equal_to<>> buckets;
  };

  explicit RuleSet(ExprEnv env, RowLayout layout) : env_(std::move(env)), layout_(std::move(layout)) {}

  ExprEnv env_;
  RowLayout layout_;
  std::vector<Rule> rules_;
  std::vector<SlotIndex> index_;
  std::vector<uint32_t> always_;  // rules with no indexable test
  bool built_ = false;
};

}  // namespace lf::rules
