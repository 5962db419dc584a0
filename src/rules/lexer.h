// Tokens of the rule language and the lexer that produces them (docs/rule-language.md).
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "rules/diagnostics.h"

namespace lf::rules {

enum class Tok {
  kEnd, kIdent, kString, kNumber, kDuration,
  kLParen, kRParen, kLBracket, kRBracket, kComma, kDot, kMinus,
  kEq, kNe, kLt, kLe, kGt, kGe,
  kAnd, kOr, kNot, kIn, kContains, kTrue, kFalse, kNull,
};

// Spelling of a token kind for messages: "')'", "'and'", "a name", "end of input".
const char* TokName(Tok t);
const char* TokNameZh(Tok t);  // "结尾", "名称", … (punctuation and keywords as in TokName)

struct Token {
  Tok kind = Tok::kEnd;
  SourcePos pos;
  std::string text;        // kIdent: the name; kString: the decoded value (UTF-8)
  double number = 0;       // kNumber
  int64_t duration_ms = 0; // kDuration: 3d → 259200000
  char unit = 0;           // kDuration: 'd', 'h' or 'm' as written
  int64_t amount = 0;      // kDuration: 3 in "3d"
};

// Longest accepted source, in bytes. Longer input is rejected ("rules.too_long").
inline constexpr size_t kMaxSourceBytes = 16 * 1024;

// Splits `source` into tokens ending with one kEnd. Rejects invalid UTF-8, unterminated strings,
// bad escapes, malformed numbers/durations and unknown characters with their line and column.
Result<std::vector<Token>> Lex(std::string_view source);

}  // namespace lf::rules
