// Implements rules/compiler.h: one recursive pass over the AST that checks and emits at once.
#include "rules/compiler.h"

#include <algorithm>
#include <cmath>

#include "rules/parser.h"

namespace lf::rules {
namespace {

// An operand after checking: the node that computes it and what is known about it statically.
struct Typed {
  uint32_t node = 0;
  VType type = VType::kNull;
  const Ast* ast = nullptr;
  const FieldDef* field = nullptr;  // set when the operand is a field path
  std::string path;                 // "lead.channel" when it is a field path
  bool literal = false;             // a literal constant (string, number, …)
  bool pred = false;                // the node is a predicate
};

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t prev = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cur = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1)});
      prev = cur;
    }
  }
  return row[b.size()];
}

// " (did you mean 'x'?)" for the closest candidate within a small edit distance, else "".
std::string Suggest(std::string_view name, const std::vector<std::string>& candidates, bool zh) {
  std::string best;
  size_t best_d = std::max<size_t>(2, name.size() / 3) + 1;
  for (const auto& c : candidates) {
    size_t d = EditDistance(name, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  if (best.empty()) return "";
  return zh ? "(是否想写 '" + best + "'?)" : " (did you mean '" + best + "'?)";
}

std::string Join(const std::vector<std::string>& v, size_t max = 12) {
  std::string out;
  for (size_t i = 0; i < v.size() && i < max; ++i) out += (i ? ", " : "") + v[i];
  if (v.size() > max) out += ", …";
  return out;
}

const char* kFunctions[] = {"days_since", "days_until", "hours_since", "now", "is_empty",
                            "has_tag", "activities_in", "last_activity_at"};

class Compiler {
 public:
  Compiler(const ExprEnv& env, RowLayout* layout, Program* p) : env_(env), layout_(layout), p_(p) {}

  Status Run(const Ast& root) {
    LF_ASSIGN(Typed t, Check(root));
    LF_ASSIGN(p_->root, AsPredicate(t));
    return Status::Ok();
  }

 private:
  uint32_t Emit(Node n) {
    p_->nodes.push_back(n);
    return uint32_t(p_->nodes.size() - 1);
  }
  // Emits a test node: a boolean predicate for the source node `a`.
  Typed EmitPredicate(Node n, const Ast& a) {
    Typed t;
    t.node = Emit(n);
    t.type = VType::kBool;
    t.ast = &a;
    t.pred = true;
    return t;
  }
  uint32_t EmitConst(Value v, VType type) {
    p_->consts.push_back(v);
    Node n;
    n.op = Op::kConst;
    n.a = uint32_t(p_->consts.size() - 1);
    n.type = type;
    return Emit(n);
  }
  std::string_view Own(std::string s) {
    p_->strings.push_back(std::move(s));
    return p_->strings.back();
  }

  static Status TypeError(SourcePos pos, const std::string& en, const std::string& zh) {
    return RuleError("rules.type_mismatch", pos, en, zh);
  }
  static std::string Describe(const Typed& t) {
    if (t.field) return std::string(VTypeName(t.type)) + " field '" + t.path + "'";
    if (t.ast && t.ast->kind == Ast::Kind::kString) return "text \"" + t.ast->text + "\"";
    return VTypeName(t.type);
  }
  static std::string DescribeZh(const Typed& t) {
    if (t.field) return std::string(VTypeNameZh(t.type)) + "字段 '" + t.path + "'";
    if (t.ast && t.ast->kind == Ast::Kind::kString) return "文本 \"" + t.ast->text + "\"";
    return VTypeNameZh(t.type);
  }

  // A bool-typed operand as a predicate node; anything else is an error at its position.
  Result<uint32_t> AsPredicate(const Typed& t) {
    if (t.type != VType::kBool)
      return TypeError(t.ast->pos, "expected a condition (true/false), found " + Describe(t),
                       "此处应为条件(真/假),实际为" + DescribeZh(t));
    if (t.pred) return t.node;
    Node n;
    n.op = Op::kTruthy;
    n.a = t.node;
    return Emit(n);
  }

  Result<Typed> Check(const Ast& a) {
    Typed t;
    t.ast = &a;
    switch (a.kind) {
      case Ast::Kind::kString:
        t.node = EmitConst(Value::Text(Own(a.text)), VType::kText);
        t.type = VType::kText;
        t.literal = true;
        return t;
      case Ast::Kind::kNumber:
        t.node = EmitConst(Value::Number(a.number), VType::kNumber);
        t.type = VType::kNumber;
        t.literal = true;
        return t;
      case Ast::Kind::kDuration:
        t.node = EmitConst(Value::Number(double(a.duration_ms)), VType::kDuration);
        t.type = VType::kDuration;
        t.literal = true;
        return t;
      case Ast::Kind::kBool:
        t.node = EmitConst(Value::Bool(a.boolean), VType::kBool);
        t.type = VType::kBool;
        t.literal = true;
        return t;
      case Ast::Kind::kNull:
        t.node = EmitConst(Value::Null(), VType::kNull);
        t.type = VType::kNull;
        t.literal = true;
        return t;
      case Ast::Kind::kList:
        return RuleError("rules.misplaced_list", a.pos, "a list [...] can only follow 'in' or 'not in'",
                         "列表 [...] 只能用在 'in' 或 'not in' 之后");
      case Ast::Kind::kPath: return Path(a);
      case Ast::Kind::kCall: return Call(a);
      case Ast::Kind::kNot: {
        LF_ASSIGN(Typed k, Check(*a.kids[0]));
        Node n;
        n.op = Op::kNot;
        LF_ASSIGN(n.a, AsPredicate(k));
        t.node = Emit(n);
        t.type = VType::kBool;
        t.pred = true;
        return t;
      }
      case Ast::Kind::kAnd:
      case Ast::Kind::kOr: {
        Op op = a.kind == Ast::Kind::kAnd ? Op::kAnd : Op::kOr;
        std::vector<uint32_t> kids;
        for (const auto& k : a.kids) {
          LF_ASSIGN(Typed kt, Check(*k));
          uint32_t pn;
          LF_ASSIGN(pn, AsPredicate(kt));
          if (p_->nodes[pn].op == op) {  // (a and b) and c → and(a, b, c)
            const Node& inner = p_->nodes[pn];
            for (uint32_t i = 0; i < inner.count; ++i) kids.push_back(p_->kids[inner.first + i]);
          } else {
            kids.push_back(pn);
          }
        }
        Node n;
        n.op = op;
        n.first = uint32_t(p_->kids.size());
        n.count = uint32_t(kids.size());
        p_->kids.insert(p_->kids.end(), kids.begin(), kids.end());
        t.node = Emit(n);
        t.type = VType::kBool;
        t.pred = true;
        return t;
      }
      case Ast::Kind::kCompare: return Comparison(a);
      case Ast::Kind::kIn:
      case Ast::Kind::kNotIn: return In(a);
      case Ast::Kind::kContains: return Contains(a);
    }
    return Status::Internal("unknown AST node");
  }

  // --- paths ---------------------------------------------------------------------------------

  const TenantSchema::Entity* EntityBySingular(std::string_view name) const {
    for (const auto& e : env_.schema->entities())
      if (e.def->singular == name) return &e;
    return nullptr;
  }

  Result<Typed> Path(const Ast& a) {
    const auto& bindings = layout_->bindings();
    const std::string& first = a.parts[0].name;
    if (a.parts.size() == 1) {
      if (EntityBySingular(first))
        return RuleError("rules.unknown_field", a.pos,
                         "'" + first + "' is a record; name one of its fields, e.g. " + first + ".name",
                         "'" + first + "' 是记录,请写出字段,如 " + first + ".name");
      return RuleError("rules.unknown_name", a.pos,
                       "unknown name '" + first + "'; fields are written entity.field, e.g. " +
                           bindings[0] + ".name (text needs quotes)",
                       "未知名称 '" + first + "';字段写作 实体.字段,如 " + bindings[0] +
                           ".name(文本须加引号)");
    }
    uint32_t binding = uint32_t(std::find(bindings.begin(), bindings.end(), first) - bindings.begin());
    if (binding == bindings.size()) {
      if (EntityBySingular(first))
        return RuleError("rules.entity_not_available", a.pos,
                         "'" + first + "' is not available in a rule about " + bindings[0] +
                             " (available: " + Join(bindings) + ")",
                         "关于 " + bindings[0] + " 的规则中不能使用 '" + first + "'(可用: " +
                             Join(bindings) + ")");
      return RuleError("rules.unknown_entity", a.pos,
                       "unknown entity '" + first + "' (available: " + Join(bindings) + ")" +
                           Suggest(first, bindings, false),
                       "未知实体 '" + first + "'(可用: " + Join(bindings) + ")" + Suggest(first, bindings, true));
    }
    const TenantSchema::Entity* entity = EntityBySingular(first);
    const Ast::Part& fp = a.parts[1];
    const FieldDef* f = entity->Find(fp.name);
    if (f == nullptr) {
      std::vector<std::string> names;
      for (const auto& fd : entity->fields) names.push_back(fd.name);
      return RuleError("rules.unknown_field", fp.pos,
                       "unknown field '" + first + "." + fp.name + "'" + Suggest(fp.name, names, false),
                       "未知字段 '" + first + "." + fp.name + "'" + Suggest(fp.name, names, true));
    }
    if (a.parts.size() > 2)
      return RuleError("rules.nested_path", a.parts[2].pos,
                       "'" + first + "." + fp.name + "." + a.parts[2].name +
                           "': following references is not supported; bind the related record instead",
                       "'" + first + "." + fp.name + "." + a.parts[2].name + "': 不支持跨引用取字段");
    Node n;
    n.op = Op::kSlot;
    n.a = layout_->Intern(binding, *f);
    n.type = TypeOfField(f->type);
    Typed t;
    t.node = Emit(n);
    t.type = n.type;
    t.ast = &a;
    t.field = f;
    t.path = first + "." + f->name;
    return t;
  }

  // --- literals against fields -------------------------------------------------------------

  // Checks / converts a literal `lit` used against `other` (dates, datetimes, enum options).
  Status Coerce(Typed& lit, const Typed& other) {
    if (!lit.literal || lit.ast->kind != Ast::Kind::kString) return Status::Ok();
    const std::string& s = lit.ast->text;
    if (other.type == VType::kDate) {
      if (!IsValidDate(s))
        return RuleError("rules.bad_date", lit.ast->pos, "'" + s + "' is not a date YYYY-MM-DD",
                         "'" + s + "' 不是 YYYY-MM-DD 格式的日期");
      lit.type = VType::kDate;
      p_->nodes[lit.node].type = VType::kDate;
    } else if (other.type == VType::kDateTime) {
      auto ms = ParseRfc3339(s, env_.zone);
      if (!ms.ok())
        return RuleError("rules.bad_datetime", lit.ast->pos,
                         "'" + s + "' is not a time like 2026-03-01T09:00:00+08:00",
                         "'" + s + "' 不是时间,应如 2026-03-01T09:00:00+08:00");
      lit.node = EmitConst(Value::Number(double(*ms)), VType::kDateTime);
      lit.type = VType::kDateTime;
    } else if (other.field && (other.field->type == FieldType::kEnum ||
                               other.field->type == FieldType::kMultiEnum)) {
      LF_TRY(CheckOption(lit, *other.field, other.path));
    }
    return Status::Ok();
  }

  Status CheckOption(const Typed& lit, const FieldDef& f, const std::string& path) {
    if (!env_.strict_options || f.HasOption(lit.ast->text)) return Status::Ok();
    std::vector<std::string> opts;
    for (const auto& o : f.options) opts.push_back(o.value);
    return RuleError("rules.unknown_option", lit.ast->pos,
                     "'" + lit.ast->text + "' is not an option of " + path + " (options: " + Join(opts) +
                         ")" + Suggest(lit.ast->text, opts, false),
                     "'" + lit.ast->text + "' 不是 " + path + " 的选项(可选: " + Join(opts) + ")" +
                         Suggest(lit.ast->text, opts, true));
  }

  Status NotAList(const Typed& t) {
    if (t.type != VType::kTextList) return Status::Ok();
    return TypeError(t.ast->pos,
                     "'" + t.path + "' holds several values; use 'contains' or 'in' (e.g. \"x\" in " + t.path + ")",
                     "'" + t.path + "' 是多值字段;请用 'contains' 或 'in'(如 \"x\" in " + t.path + ")");
  }

  // --- comparisons -------------------------------------------------------------------------

  Result<Typed> Comparison(const Ast& a) {
    LF_ASSIGN(Typed l, Check(*a.kids[0]));
    LF_ASSIGN(Typed r, Check(*a.kids[1]));
    LF_TRY(NotAList(l));
    LF_TRY(NotAList(r));
    if (l.literal && !r.literal) LF_TRY(Coerce(l, r));
    if (r.literal && !l.literal) LF_TRY(Coerce(r, l));
    bool ordering = a.op != CmpOp::kEq && a.op != CmpOp::kNe;
    if (l.type == VType::kNull || r.type == VType::kNull) {
      if (ordering)
        return TypeError(a.pos, std::string("'") + CmpOpName(a.op) + "' cannot compare with null; use == null or is_empty()",
                         std::string("'") + CmpOpName(a.op) + "' 不能与 null 比较;请用 == null 或 is_empty()");
    } else if (l.type != r.type) {
      return TypeError(r.ast->pos, "cannot compare " + Describe(l) + " with " + Describe(r),
                       "不能比较" + DescribeZh(l) + "与" + DescribeZh(r));
    } else if (ordering && l.type != VType::kNumber && l.type != VType::kDate &&
               l.type != VType::kDateTime && l.type != VType::kDuration) {
      return TypeError(a.pos,
                       std::string("'") + CmpOpName(a.op) + "' needs numbers, dates, times or durations; " +
                           Describe(l) + " cannot be ordered",
                       std::string("'") + CmpOpName(a.op) + "' 只能比较数字、日期、时间或时长;" +
                           DescribeZh(l) + "不能比较大小");
    }
    Node n;
    n.cmp = a.op;
    // The hot path: a text/enum/date field == / != a text constant.
    const Typed* slot = p_->nodes[l.node].op == Op::kSlot ? &l : p_->nodes[r.node].op == Op::kSlot ? &r : nullptr;
    const Typed* cst = slot == &l ? &r : &l;
    if (!ordering && slot && (slot->type == VType::kText || slot->type == VType::kDate) &&
        p_->nodes[cst->node].op == Op::kConst && p_->consts[p_->nodes[cst->node].a].kind == Value::Kind::kText) {
      n.op = Op::kEqTextSlot;
      n.a = p_->nodes[slot->node].a;
      n.b = p_->nodes[cst->node].a;
      n.neg = a.op == CmpOp::kNe;
    } else {
      n.op = Op::kCompare;
      n.a = l.node;
      n.b = r.node;
    }
    return EmitPredicate(n, a);
  }

  Result<Typed> In(const Ast& a) {
    bool neg = a.kind == Ast::Kind::kNotIn;
    LF_ASSIGN(Typed l, Check(*a.kids[0]));
    const Ast& rhs = *a.kids[1];
    Node n;
    n.neg = neg;
    if (rhs.kind == Ast::Kind::kList) {
      if (l.type == VType::kTextList)
        return TypeError(l.ast->pos,
                         "'" + l.path + "' holds several values; test one value with \"x\" in " + l.path +
                             " or has_tag(\"x\")",
                         "'" + l.path + "' 是多值字段;请用 \"x\" in " + l.path + " 或 has_tag(\"x\") 逐个判断");
      bool text = l.type == VType::kText || l.type == VType::kDate;
      if (!text && l.type != VType::kNumber)
        return TypeError(a.pos, "'in [...]' needs text or a number on the left, found " + Describe(l),
                         "'in [...]' 左侧应为文本或数字,实际为" + DescribeZh(l));
      std::vector<std::string_view> texts;
      std::vector<double> numbers;
      for (const auto& e : rhs.kids) {
        bool ok = text ? e->kind == Ast::Kind::kString : e->kind == Ast::Kind::kNumber;
        if (!ok)
          return TypeError(e->pos,
                           std::string("list items must be ") + (text ? "text in quotes" : "numbers") +
                               " to match " + Describe(l),
                           std::string("列表各项须为") + (text ? "带引号的文本" : "数字") + ",以匹配" +
                               DescribeZh(l));
        if (text) {
          Typed item;
          item.ast = e.get();
          item.literal = true;
          if (l.type == VType::kDate && !IsValidDate(e->text))
            return RuleError("rules.bad_date", e->pos, "'" + e->text + "' is not a date YYYY-MM-DD",
                             "'" + e->text + "' 不是 YYYY-MM-DD 格式的日期");
          if (l.field && l.field->type == FieldType::kEnum) LF_TRY(CheckOption(item, *l.field, l.path));
          texts.push_back(Own(e->text));
        } else {
          numbers.push_back(e->number);
        }
      }
      std::sort(texts.begin(), texts.end());
      texts.erase(std::unique(texts.begin(), texts.end()), texts.end());
      std::sort(numbers.begin(), numbers.end());
      numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
      n.op = Op::kInSet;
      n.a = l.node;
      n.type = text ? VType::kText : VType::kNumber;
      if (text) {
        p_->text_sets.push_back(std::move(texts));
        n.b = uint32_t(p_->text_sets.size() - 1);
      } else {
        p_->number_sets.push_back(std::move(numbers));
        n.b = uint32_t(p_->number_sets.size() - 1);
      }
    } else {
      LF_ASSIGN(Typed r, Check(rhs));
      if (r.type != VType::kTextList)
        return TypeError(r.ast->pos,
                         "'in' needs a list [...] or a multi-value field on the right, found " + Describe(r),
                         "'in' 右侧应为列表 [...] 或多值字段,实际为" + DescribeZh(r));
      if (l.type != VType::kText)
        return TypeError(l.ast->pos, "only text can be in " + Describe(r) + ", found " + Describe(l),
                         DescribeZh(r) + "中只能查找文本,实际为" + DescribeZh(l));
      if (l.literal && r.field && r.field->type == FieldType::kMultiEnum) LF_TRY(CheckOption(l, *r.field, r.path));
      n.op = Op::kInList;
      n.a = l.node;
      n.b = r.node;
    }
    return EmitPredicate(n, a);
  }

  Result<Typed> Contains(const Ast& a) {
    LF_ASSIGN(Typed l, Check(*a.kids[0]));
    LF_ASSIGN(Typed r, Check(*a.kids[1]));
    Node n;
    if (l.type == VType::kText && r.type == VType::kText) {
      n.op = Op::kContainsText;
    } else if (l.type == VType::kTextList && r.type == VType::kText) {
      if (r.literal && l.field && l.field->type == FieldType::kMultiEnum) LF_TRY(CheckOption(r, *l.field, l.path));
      n.op = Op::kContainsItem;
    } else if (l.type != VType::kText && l.type != VType::kTextList) {
      return TypeError(l.ast->pos, "'contains' needs text or a multi-value field on the left, found " + Describe(l),
                       "'contains' 左侧应为文本或多值字段,实际为" + DescribeZh(l));
    } else {
      return TypeError(r.ast->pos, "'contains' needs text on the right, found " + Describe(r),
                       "'contains' 右侧应为文本,实际为" + DescribeZh(r));
    }
    n.a = l.node;
    n.b = r.node;
    return EmitPredicate(n, a);
  }

  // --- functions ---------------------------------------------------------------------------

  Status Arity(const Ast& a, size_t want) {
    if (a.kids.size() == want) return Status::Ok();
    return RuleError("rules.bad_arguments", a.pos,
                     a.text + "() takes " + std::to_string(want) + " argument" + (want == 1 ? "" : "s") +
                         ", got " + std::to_string(a.kids.size()),
                     a.text + "() 需要 " + std::to_string(want) + " 个参数,实际为 " +
                         std::to_string(a.kids.size()) + " 个");
  }

  Status ArgType(const Ast& fn, const Typed& arg, const char* want_en, const char* want_zh) {
    return RuleError("rules.bad_arguments", arg.ast->pos,
                     fn.text + "() needs " + want_en + ", found " + Describe(arg),
                     fn.text + "() 的参数应为" + want_zh + ",实际为" + DescribeZh(arg));
  }

  Result<Window> ParseWindow(const Ast& fn, const Ast& arg) {
    Window w;
    if (arg.kind == Ast::Kind::kDuration) {
      w.amount = arg.amount;
      w.unit = arg.unit;
    } else if (arg.kind == Ast::Kind::kString) {  // "3d" as in the examples
      const std::string& s = arg.text;
      size_t i = 0;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i < 6) w.amount = w.amount * 10 + (s[i++] - '0');
      if (i == 0 || i + 1 != s.size() || (s[i] != 'd' && s[i] != 'h' && s[i] != 'm'))
        return RuleError("rules.bad_arguments", arg.pos,
                         fn.text + "() needs a window like 3d, 72h or 30m, found \"" + s + "\"",
                         fn.text + "() 的参数应为时间窗口,如 3d、72h、30m,实际为 \"" + s + "\"");
      w.unit = s[i];
    } else {
      return RuleError("rules.bad_arguments", arg.pos,
                       fn.text + "() needs a window like 3d, 72h or 30m",
                       fn.text + "() 的参数应为时间窗口,如 3d、72h、30m");
    }
    if (w.amount <= 0)
      return RuleError("rules.bad_arguments", arg.pos, fn.text + "() needs a window longer than zero",
                       fn.text + "() 的时间窗口须大于零");
    if (w.amount > 36500 * (w.unit == 'd' ? 1 : w.unit == 'h' ? 24 : 1440))  // as the lexer's limit
      return RuleError("rules.bad_arguments", arg.pos, fn.text + "() needs a window of at most 100 years",
                       fn.text + "() 的时间窗口不能超过 100 年");
    return w;
  }

  uint32_t EmitFact(FactNeed need, VType type) {
    auto it = std::find(p_->facts.begin(), p_->facts.end(), need);
    if (it == p_->facts.end()) it = p_->facts.insert(p_->facts.end(), need);
    Node n;
    n.op = Op::kFact;
    n.a = uint32_t(it - p_->facts.begin());
    n.type = type;
    return Emit(n);
  }

  Result<Typed> Call(const Ast& a) {
    const std::string& name = a.text;
    Typed t;
    t.ast = &a;
    Node n;
    if (name == "days_since" || name == "days_until" || name == "hours_since") {
      LF_TRY(Arity(a, 1));
      LF_ASSIGN(Typed arg, Check(*a.kids[0]));
      bool hours = name == "hours_since";
      if (arg.literal && arg.ast->kind == Ast::Kind::kString) {  // a literal date or time
        Typed as;
        as.type = hours ? VType::kDateTime : IsValidDate(arg.ast->text) ? VType::kDate : VType::kDateTime;
        LF_TRY(Coerce(arg, as));
      }
      if (arg.type != VType::kDateTime && (hours || arg.type != VType::kDate))
        return ArgType(a, arg, hours ? "a datetime" : "a date or datetime", hours ? "时间" : "日期或时间");
      n.op = name == "days_since" ? Op::kDaysSince : name == "days_until" ? Op::kDaysUntil : Op::kHoursSince;
      n.a = arg.node;
      n.type = VType::kNumber;
      t.type = VType::kNumber;
    } else if (name == "now") {
      LF_TRY(Arity(a, 0));
      n.op = Op::kNow;
      n.type = t.type = VType::kDateTime;
    } else if (name == "is_empty") {
      LF_TRY(Arity(a, 1));
      LF_ASSIGN(Typed arg, Check(*a.kids[0]));
      if (arg.literal || arg.pred)
        return ArgType(a, arg, "a field or a function value", "字段或函数值");
      n.op = Op::kIsEmpty;
      n.a = arg.node;
      t.type = VType::kBool;
      t.pred = true;
    } else if (name == "has_tag") {
      LF_TRY(Arity(a, 1));
      LF_ASSIGN(Typed arg, Check(*a.kids[0]));
      if (arg.type != VType::kText) return ArgType(a, arg, "a tag (text)", "标签(文本)");
      const TenantSchema::Entity* subject = EntityBySingular(layout_->bindings()[0]);
      const FieldDef* tags = nullptr;
      for (const auto& f : subject->fields)
        if (f.type == FieldType::kTags) {
          tags = &f;
          break;
        }
      if (tags == nullptr)
        return RuleError("rules.unknown_function", a.pos, layout_->bindings()[0] + " records have no tags",
                         layout_->bindings()[0] + " 记录没有标签");
      Node slot;
      slot.op = Op::kSlot;
      slot.a = layout_->Intern(0, *tags);
      slot.type = VType::kTextList;
      n.op = Op::kContainsItem;
      n.a = Emit(slot);
      n.b = arg.node;
      t.type = VType::kBool;
      t.pred = true;
    } else if (name == "activities_in") {
      LF_TRY(Arity(a, 1));
      LF_ASSIGN(Window w, ParseWindow(a, *a.kids[0]));
      t.node = EmitFact({FactKind::kActivityCount, w}, VType::kNumber);
      t.type = VType::kNumber;
      return t;
    } else if (name == "last_activity_at") {
      LF_TRY(Arity(a, 0));
      t.node = EmitFact({FactKind::kLastActivityAt, {}}, VType::kDateTime);
      t.type = VType::kDateTime;
      return t;
    } else {
      std::vector<std::string> names(std::begin(kFunctions), std::end(kFunctions));
      return RuleError("rules.unknown_function", a.pos,
                       "unknown function '" + name + "'" + Suggest(name, names, false) + " (functions: " +
                           Join(names) + ")",
                       "未知函数 '" + name + "'" + Suggest(name, names, true) + "(可用函数: " + Join(names) + ")");
    }
    t.node = Emit(n);
    return t;
  }

  const ExprEnv& env_;
  RowLayout* layout_;
  Program* p_;
};

}  // namespace

Result<RowLayout> MakeLayout(const ExprEnv& env) {
  if (env.schema == nullptr) return Status::Internal("rules: ExprEnv without a schema");
  std::vector<std::string> bindings{env.subject};
  bindings.insert(bindings.end(), env.related.begin(), env.related.end());
  for (const auto& b : bindings) {
    bool found = false;
    for (const auto& e : env.schema->entities()) found = found || e.def->singular == b;
    if (!found)
      return Status::Error(ErrorKind::kValidation, "rules.unknown_entity", "unknown entity '" + b + "'",
                           "未知实体 '" + b + "'", "condition");
  }
  return RowLayout(std::move(bindings));
}

Result<std::unique_ptr<Program>> CompileProgram(std::string_view source, const ExprEnv& env,
                                                RowLayout* layout) {
  if (env.schema == nullptr || layout == nullptr || layout->bindings().empty())
    return Status::Internal("rules: CompileProgram without a schema or layout");
  LF_ASSIGN(auto ast, Parse(source));
  auto p = std::make_unique<Program>();
  p->subject = layout->bindings()[0];
  // Compile into a copy of the layout, so a rejected condition leaves no slots behind.
  RowLayout scratch = *layout;
  Compiler c(env, &scratch, p.get());
  LF_TRY(c.Run(*ast));
  *layout = std::move(scratch);
  return p;
}

}  // namespace lf::rules
