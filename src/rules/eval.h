// Evaluation of compiled conditions over a Row. EvalContext carries "now", the tenant's zone, the
// Facts provider, per-event memos and counters. Thread-safety: an EvalContext belongs to one thread;
// programs and layouts are shared read-only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "rules/facts.h"
#include "rules/program.h"
#include "rules/value.h"

namespace lf::rules {

// Work counters, accumulated across events until the caller resets them.
struct EvalStats {
  uint64_t events = 0;            // EvalContext::Begin calls
  uint64_t rules_considered = 0;  // rules whose condition (or what the index left of it) ran
  uint64_t conditions = 0;        // leaf tests run: comparisons, in, contains, is_empty, …
  uint64_t index_probes = 0;      // hash lookups RuleSet made to find candidate rules
};

class EvalContext {
 public:
  // `zone` is the tenant's zone (required: calendar functions use it); `facts` may be null when no
  // condition needs facts (a condition that does then fails with kInternal).
  explicit EvalContext(const TimeZone* zone, Facts* facts = nullptr) : zone_(zone), facts_(facts) {}

  // Starts one event: `now_ms` is "now" for every function; `subject_id` is the id of the record
  // the rule is about (what Facts are asked about). Clears the per-event memos and the status.
  void Begin(int64_t now_ms, std::string_view subject_id = {});

  int64_t now_ms() const { return now_ms_; }
  const TimeZone* zone() const { return zone_; }
  // The first Facts failure since Begin; conditions that needed the failed fact evaluated false.
  const Status& status() const { return status_; }

  // Today's local day number (days since 1970-01-01 in the zone), computed once per event.
  int64_t Today();
  // The value of a fact for the current subject, asked from Facts at most once per event.
  Value Fact(const std::string& entity, const FactNeed& need);

  EvalStats stats;

 private:
  struct Memo {
    FactNeed need;
    Value value;
  };
  const TimeZone* zone_;
  Facts* facts_;
  int64_t now_ms_ = 0;
  std::string subject_id_;
  bool have_today_ = false;
  int64_t today_ = 0;
  std::vector<Memo> memo_;
  Status status_;
};

// Runs the predicate `node` of `p` (usually p.root) over `row`, whose layout `p` was compiled
// against. Never fails: a missing value makes its test false (see docs/rule-language.md).
bool EvalPredicate(const Program& p, uint32_t node, const Row& row, EvalContext& ctx);

}  // namespace lf::rules
