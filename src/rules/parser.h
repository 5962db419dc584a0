// Recursive-descent parser of the rule language (grammar in docs/rule-language.md).
// Thread-safety: pure function.
#pragma once

#include <memory>
#include <string_view>

#include "base/status.h"
#include "rules/ast.h"

namespace lf::rules {

// Deepest nesting of parentheses, lists, calls and `not` accepted; deeper input is rejected
// ("rules.too_deep") instead of exhausting the stack.
inline constexpr int kMaxDepth = 64;

// Parses a whole condition. Syntax errors carry the line and column of the offending token.
Result<std::unique_ptr<Ast>> Parse(std::string_view source);

}  // namespace lf::rules
