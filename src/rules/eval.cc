// Implements rules/eval.h: a switch over the flat node array. Two-valued logic: a test on a null
// value is false, except == / != / not in, which treat null as a value of its own.
#include "rules/eval.h"

#include <algorithm>
#include <cmath>

#include "rules/calendar.h"

namespace lf::rules {
namespace {

Value EvalValue(const Program& p, uint32_t n, const Row& row, EvalContext& ctx);

bool Equal(const Value& l, const Value& r) {
  if (l.kind != r.kind) return false;
  switch (l.kind) {
    case Value::Kind::kNull: return true;
    case Value::Kind::kBool: return l.boolean == r.boolean;
    case Value::Kind::kNumber: return l.number == r.number;
    case Value::Kind::kText: return l.text == r.text;
    case Value::Kind::kList: return false;  // the checker never compares lists
  }
  return false;
}

bool Compare(const Value& l, const Value& r, CmpOp op) {
  if (op == CmpOp::kEq) return Equal(l, r);
  if (op == CmpOp::kNe) return !Equal(l, r);
  if (l.kind != r.kind) return false;  // includes null
  int c;
  if (l.kind == Value::Kind::kNumber) c = l.number < r.number ? -1 : l.number > r.number ? 1 : 0;
  else if (l.kind == Value::Kind::kText) c = l.text.compare(r.text);  // dates: YYYY-MM-DD order
  else return false;
  switch (op) {
    case CmpOp::kLt: return c < 0;
    case CmpOp::kLe: return c <= 0;
    case CmpOp::kGt: return c > 0;
    case CmpOp::kGe: return c >= 0;
    default: return false;
  }
}

bool HasItem(const Value& list, std::string_view item) {
  for (uint32_t i = 0; i < list.size; ++i)
    if (list.items[i] == item) return true;
  return false;
}

// Local day number of a date or datetime value; false when it is null or not a valid date.
bool DayOf(const Value& v, VType type, EvalContext& ctx, int64_t* day) {
  if (type == VType::kDate) {
    if (v.kind != Value::Kind::kText) return false;
    auto d = DateDayNumber(v.text);
    if (!d) return false;
    *day = *d;
    return true;
  }
  // Instants beyond ±9,000 years of 1970 (corrupt data) read as missing, not as an overflow.
  if (v.kind != Value::Kind::kNumber || !(std::fabs(v.number) < 3e14)) return false;
  *day = LocalDayNumber(int64_t(v.number), ctx.zone());
  return true;
}

Value EvalValue(const Program& p, uint32_t n, const Row& row, EvalContext& ctx) {
  const Node& node = p.nodes[n];
  switch (node.op) {
    case Op::kSlot: return row[node.a];
    case Op::kConst: return p.consts[node.a];
    case Op::kDaysSince:
    case Op::kDaysUntil: {
      int64_t day;
      if (!DayOf(EvalValue(p, node.a, row, ctx), p.nodes[node.a].type, ctx, &day)) return Value::Null();
      int64_t diff = ctx.Today() - day;
      return Value::Number(double(node.op == Op::kDaysSince ? diff : -diff));
    }
    case Op::kHoursSince: {
      Value v = EvalValue(p, node.a, row, ctx);
      if (v.kind != Value::Kind::kNumber) return Value::Null();
      return Value::Number(std::floor((double(ctx.now_ms()) - v.number) / 3'600'000.0));
    }
    case Op::kNow: return Value::Number(double(ctx.now_ms()));
    case Op::kFact: return ctx.Fact(p.subject, p.facts[node.a]);
    default: return Value::Bool(EvalPredicate(p, n, row, ctx));
  }
}

}  // namespace

void EvalContext::Begin(int64_t now_ms, std::string_view subject_id) {
  now_ms_ = now_ms;
  subject_id_.assign(subject_id);
  have_today_ = false;
  memo_.clear();
  status_ = Status::Ok();
  ++stats.events;
}

int64_t EvalContext::Today() {
  if (!have_today_) {
    today_ = LocalDayNumber(now_ms_, zone_);
    have_today_ = true;
  }
  return today_;
}

Value EvalContext::Fact(const std::string& entity, const FactNeed& need) {
  for (const auto& m : memo_)
    if (m.need == need) return m.value;
  Value v;
  if (facts_ == nullptr) {
    if (status_.ok()) status_ = Status::Internal("rule condition needs facts but none were provided");
  } else if (need.kind == FactKind::kActivityCount) {
    auto r = facts_->CountActivities(entity, subject_id_, WindowStart(need.window, now_ms_, zone_), now_ms_);
    if (r.ok()) v = Value::Number(double(*r));
    else if (status_.ok()) status_ = r.status();
  } else {
    auto r = facts_->LastActivityAt(entity, subject_id_, now_ms_);
    if (r.ok()) {
      if (r->has_value()) v = Value::Number(double(**r));
    } else if (status_.ok()) {
      status_ = r.status();
    }
  }
  memo_.push_back({need, v});
  return v;
}

bool EvalPredicate(const Program& p, uint32_t n, const Row& row, EvalContext& ctx) {
  const Node& node = p.nodes[n];
  switch (node.op) {
    case Op::kBoolConst: return node.a != 0;
    case Op::kAnd:
      for (uint32_t i = 0; i < node.count; ++i)
        if (!EvalPredicate(p, p.kids[node.first + i], row, ctx)) return false;
      return true;
    case Op::kOr:
      for (uint32_t i = 0; i < node.count; ++i)
        if (EvalPredicate(p, p.kids[node.first + i], row, ctx)) return true;
      return false;
    case Op::kNot: return !EvalPredicate(p, node.a, row, ctx);
    case Op::kTruthy: {
      ++ctx.stats.conditions;
      Value v = EvalValue(p, node.a, row, ctx);
      return v.kind == Value::Kind::kBool && v.boolean;
    }
    case Op::kEqTextSlot: {
      ++ctx.stats.conditions;
      const Value& v = row[node.a];
      bool eq = v.kind == Value::Kind::kText && v.text == p.consts[node.b].text;
      return eq != node.neg;
    }
    case Op::kCompare: {
      ++ctx.stats.conditions;
      return Compare(EvalValue(p, node.a, row, ctx), EvalValue(p, node.b, row, ctx), node.cmp);
    }
    case Op::kInSet: {
      ++ctx.stats.conditions;
      Value v = EvalValue(p, node.a, row, ctx);
      bool found = false;
      if (v.kind == Value::Kind::kText) {
        const auto& set = p.text_sets[node.b];
        if (set.size() <= 8) found = std::find(set.begin(), set.end(), v.text) != set.end();
        else found = std::binary_search(set.begin(), set.end(), v.text);
      } else if (v.kind == Value::Kind::kNumber) {
        const auto& set = p.number_sets[node.b];
        found = std::binary_search(set.begin(), set.end(), v.number);
      }
      return found != node.neg;
    }
    case Op::kInList: {
      ++ctx.stats.conditions;
      Value item = EvalValue(p, node.a, row, ctx);
      Value list = EvalValue(p, node.b, row, ctx);
      bool found = item.kind == Value::Kind::kText && list.kind == Value::Kind::kList && HasItem(list, item.text);
      return found != node.neg;
    }
    case Op::kContainsText: {
      ++ctx.stats.conditions;
      Value l = EvalValue(p, node.a, row, ctx);
      Value r = EvalValue(p, node.b, row, ctx);
      return l.kind == Value::Kind::kText && r.kind == Value::Kind::kText &&
             l.text.find(r.text) != std::string_view::npos;
    }
    case Op::kContainsItem: {
      ++ctx.stats.conditions;
      Value l = EvalValue(p, node.a, row, ctx);
      Value r = EvalValue(p, node.b, row, ctx);
      return l.kind == Value::Kind::kList && r.kind == Value::Kind::kText && HasItem(l, r.text);
    }
    case Op::kIsEmpty: {
      ++ctx.stats.conditions;
      Value v = EvalValue(p, node.a, row, ctx);
      return v.is_null() || (v.kind == Value::Kind::kText && v.text.empty()) ||
             (v.kind == Value::Kind::kList && v.size == 0);
    }
    default: {  // a producer used as a predicate: only bool-typed ones reach here
      Value v = EvalValue(p, n, row, ctx);
      return v.kind == Value::Kind::kBool && v.boolean;
    }
  }
}

}  // namespace lf::rules
