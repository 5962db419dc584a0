// The compiled form of one condition: a flat array of typed nodes over Row slots and constants,
// produced by the compiler (compiler.h) and run by the evaluator (eval.h). Internal to rules/.
// Thread-safety: immutable after compiling; safe to evaluate from many threads at once.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "rules/ast.h"
#include "rules/facts.h"
#include "rules/value.h"

namespace lf::rules {

enum class Op : uint8_t {
  // Producers of a Value.
  kSlot,            // a: slot
  kConst,           // a: index into consts
  kDaysSince,       // a: operand; type: its type (date or datetime)
  kDaysUntil,       // a: operand; type: its type
  kHoursSince,      // a: operand (datetime)
  kNow,
  kFact,            // a: index into facts
  // Predicates (evaluate to true/false).
  kBoolConst,       // a: 0 or 1
  kTruthy,          // a: a bool-typed producer; null is false
  kAnd, kOr,        // kids[first, first + count)
  kNot,             // a
  kEqTextSlot,      // slot a == text constant b (the hot path of three-color rules); neg: !=
  kCompare,         // a cmp b
  kInSet,           // a in constant set b (sets/numsets by type); neg: not in
  kInList,          // text a is an item of list value b; neg: not in
  kContainsText,    // text a contains substring b
  kContainsItem,    // list a has item b
  kIsEmpty,         // a is null, "" or an empty list
};

struct Node {
  Op op = Op::kBoolConst;
  CmpOp cmp = CmpOp::kEq;
  VType type = VType::kNull;  // producers: the static type of the value
  bool neg = false;
  uint32_t a = 0, b = 0;
  uint32_t first = 0, count = 0;
};

struct Program {
  Program() = default;
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  std::string subject;             // singular entity name of binding 0 ("lead"), for Facts
  std::vector<Node> nodes;
  std::vector<uint32_t> kids;      // children of kAnd/kOr
  std::deque<std::string> strings; // owns the text of constants (stable addresses)
  std::vector<Value> consts;
  std::vector<std::vector<std::string_view>> text_sets;  // sorted, deduplicated
  std::vector<std::vector<double>> number_sets;          // sorted, deduplicated
  std::vector<FactNeed> facts;
  uint32_t root = 0;

  bool IsPredicate(uint32_t n) const { return nodes[n].op >= Op::kBoolConst; }
};

}  // namespace lf::rules
