// Positions in rule source text and the Status every rule-language error is reported as.
// Thread-safety: values and pure functions.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace lf::rules {

// A 1-based position in the source. `column` counts Unicode code points (not bytes), so a
// Chinese string literal counts one column per character.
struct SourcePos {
  int line = 1;
  int column = 1;
};

// The Status of a rejected condition: kind kValidation, `code` (e.g. "rules.unknown_field"),
// field "condition", details "line L, column C: <en>" and "第 L 行第 C 列: <zh>".
Status RuleError(std::string code, SourcePos pos, const std::string& en, const std::string& zh);

}  // namespace lf::rules
