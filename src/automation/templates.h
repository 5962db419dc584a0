// Rule templates shipped as data (issue 4, A4): each installs one or more rules in one call.
// Thread-safety: immutable static data.
#pragma once

#include <nlohmann/json.hpp>

namespace lf::automation {

// [{id, name_zh, name_en, description, needs_scheduler, rules: [rule JSON, …]}, …]
const nlohmann::json& RuleTemplates();

}  // namespace lf::automation
