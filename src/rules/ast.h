// The syntax tree of one condition, as the parser builds it (before names and types are checked).
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rules/diagnostics.h"

namespace lf::rules {

enum class CmpOp { kEq, kNe, kLt, kLe, kGt, kGe };
const char* CmpOpName(CmpOp op);  // "==", "!=", …

struct Ast {
  enum class Kind {
    kString, kNumber, kDuration, kBool, kNull,  // literals
    kList,                                      // [a, b, …]; kids are the elements
    kPath,                                      // entity.field; `parts` holds the names
    kCall,                                      // name(args…); `text` is the name, kids the args
    kNot, kAnd, kOr,                            // kids: 1, ≥2, ≥2 (chains are one node)
    kCompare,                                   // kids[0] op kids[1]
    kIn, kNotIn,                                // kids[0] in kids[1]
    kContains,                                  // kids[0] contains kids[1]
  };
  struct Part {
    std::string name;
    SourcePos pos;
  };

  Kind kind = Kind::kNull;
  SourcePos pos;                 // where the node starts (for operators: the operator itself)
  std::string text;              // kString: value; kCall: function name
  double number = 0;             // kNumber
  int64_t duration_ms = 0;       // kDuration
  char unit = 0;                 // kDuration: 'd', 'h', 'm'
  int64_t amount = 0;            // kDuration
  bool boolean = false;          // kBool
  CmpOp op = CmpOp::kEq;         // kCompare
  std::vector<Part> parts;       // kPath
  std::vector<std::unique_ptr<Ast>> kids;
};

// A compact prefix form for tests and debugging: (and (== lead.channel "douyin_form") (not x)).
std::string Dump(const Ast& a);

}  // namespace lf::rules
