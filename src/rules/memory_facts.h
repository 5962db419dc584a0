// MemoryFacts: a Facts provider over activities held in memory — for tests, the fuzz target, the
// benchmark and dry runs over a preloaded sample. Thread-safety: Add is not thread-safe; once
// loaded, concurrent reads are safe (the Facts calls only read).
#pragma once

#include <atomic>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "rules/facts.h"

namespace lf::rules {

class MemoryFacts final : public Facts {
 public:
  // Records one activity of (entity, record_id) at `occurred_at_ms`.
  void Add(std::string entity, std::string record_id, int64_t occurred_at_ms);
  // Makes every later call fail with `s` (fault injection for tests); Ok() clears it.
  void FailWith(Status s) { fail_ = std::move(s); }
  // How many Facts calls were answered (tests check laziness and per-event memoising).
  int calls() const { return calls_.load(); }

  Result<int64_t> CountActivities(std::string_view entity, std::string_view record_id,
                                  int64_t since_ms, int64_t now_ms) override;
  Result<std::optional<int64_t>> LastActivityAt(std::string_view entity, std::string_view record_id,
                                                int64_t now_ms) override;

 private:
  const std::vector<int64_t>* Find(std::string_view entity, std::string_view record_id) const;
  std::map<std::pair<std::string, std::string>, std::vector<int64_t>, std::less<>> by_record_;  // sorted times
  Status fail_;
  std::atomic<int> calls_{0};
};

}  // namespace lf::rules
