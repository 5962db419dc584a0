// Implements rules/memory_facts.h with one sorted vector of times per record.
#include "rules/memory_facts.h"

#include <algorithm>

namespace lf::rules {

void MemoryFacts::Add(std::string entity, std::string record_id, int64_t occurred_at_ms) {
  auto& v = by_record_[{std::move(entity), std::move(record_id)}];
  v.insert(std::upper_bound(v.begin(), v.end(), occurred_at_ms), occurred_at_ms);
}

const std::vector<int64_t>* MemoryFacts::Find(std::string_view entity, std::string_view record_id) const {
  auto it = by_record_.find(std::pair<std::string, std::string>(entity, record_id));
  return it == by_record_.end() ? nullptr : &it->second;
}

Result<int64_t> MemoryFacts::CountActivities(std::string_view entity, std::string_view record_id,
                                             int64_t since_ms, int64_t now_ms) {
  ++calls_;
  if (!fail_.ok()) return fail_;
  const auto* v = Find(entity, record_id);
  if (v == nullptr || since_ms > now_ms) return int64_t(0);
  return int64_t(std::upper_bound(v->begin(), v->end(), now_ms) -
                 std::lower_bound(v->begin(), v->end(), since_ms));
}

Result<std::optional<int64_t>> MemoryFacts::LastActivityAt(std::string_view entity,
                                                           std::string_view record_id,
                                                           int64_t now_ms) {
  ++calls_;
  if (!fail_.ok()) return fail_;
  const auto* v = Find(entity, record_id);
  if (v == nullptr) return std::optional<int64_t>();
  auto it = std::upper_bound(v->begin(), v->end(), now_ms);
  if (it == v->begin()) return std::optional<int64_t>();
  return std::optional<int64_t>(*(it - 1));
}

}  // namespace lf::rules
