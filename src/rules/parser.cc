// Implements rules/parser.h. Precedence, loosest first: or, and, not, comparison (non-associative:
// a == b == c is an error), primary.
#include "rules/parser.h"

#include <cstdio>

#include "rules/lexer.h"

namespace lf::rules {
namespace {

using Node = std::unique_ptr<Ast>;

Node Make(Ast::Kind k, SourcePos pos) {
  auto a = std::make_unique<Ast>();
  a->kind = k;
  a->pos = pos;
  return a;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> toks) : t_(std::move(toks)) {}

  Result<Node> Run() {
    Node n;
    LF_TRY(Or(n));
    if (Peek().kind != Tok::kEnd) return Unexpected("'and', 'or' or end of input", "'and'、'or' 或结尾");
    return n;
  }

 private:
  const Token& Peek(size_t ahead = 0) const {
    size_t i = i_ + ahead;
    return t_[i < t_.size() ? i : t_.size() - 1];
  }
  const Token& Next() { return t_[i_ < t_.size() - 1 ? i_++ : i_]; }

  Status Unexpected(const std::string& want_en, const std::string& want_zh) const {
    const Token& t = Peek();
    std::string got = t.kind == Tok::kIdent ? "'" + t.text + "'" : TokName(t.kind);
    std::string got_zh = t.kind == Tok::kIdent ? got : TokNameZh(t.kind);
    return RuleError("rules.syntax", t.pos, "expected " + want_en + ", found " + got,
                     "此处应为 " + want_zh + ",实际为 " + got_zh);
  }
  Status Expect(Tok k) {
    if (Peek().kind != k) return Unexpected(TokName(k), TokName(k));
    Next();
    return Status::Ok();
  }
  Status Enter() {
    if (++depth_ > kMaxDepth)
      return RuleError("rules.too_deep", Peek().pos, "nested too deeply (more than 64 levels)",
                       "嵌套层数过多(超过 64 层)");
    return Status::Ok();
  }

  Status Or(Node& out) {
    // Chains are one n-ary node (a or b or c), so long chains do not nest deeply.
    LF_TRY(And(out));
    if (Peek().kind != Tok::kOr) return Status::Ok();
    auto n = Make(Ast::Kind::kOr, Peek().pos);
    n->kids.push_back(std::move(out));
    while (Peek().kind == Tok::kOr) {
      Next();
      Node rhs;
      LF_TRY(And(rhs));
      n->kids.push_back(std::move(rhs));
    }
    out = std::move(n);
    return Status::Ok();
  }

  Status And(Node& out) {
    LF_TRY(Not(out));
    if (Peek().kind != Tok::kAnd) return Status::Ok();
    auto n = Make(Ast::Kind::kAnd, Peek().pos);
    n->kids.push_back(std::move(out));
    while (Peek().kind == Tok::kAnd) {
      Next();
      Node rhs;
      LF_TRY(Not(rhs));
      n->kids.push_back(std::move(rhs));
    }
    out = std::move(n);
    return Status::Ok();
  }

  Status Not(Node& out) {
    // `not in` only follows an operand, so a leading `not` is always negation.
    if (Peek().kind == Tok::kNot) {
      LF_TRY(Enter());
      auto n = Make(Ast::Kind::kNot, Next().pos);
      Node operand;
      LF_TRY(Not(operand));
      n->kids.push_back(std::move(operand));
      out = std::move(n);
      --depth_;
      return Status::Ok();
    }
    return Comparison(out);
  }

  Status Comparison(Node& out) {
    LF_TRY(Primary(out));
    const Token& t = Peek();
    Node n;
    switch (t.kind) {
      case Tok::kEq: case Tok::kNe: case Tok::kLt: case Tok::kLe: case Tok::kGt: case Tok::kGe:
        n = Make(Ast::Kind::kCompare, t.pos);
        n->op = t.kind == Tok::kEq ? CmpOp::kEq : t.kind == Tok::kNe ? CmpOp::kNe
                : t.kind == Tok::kLt ? CmpOp::kLt : t.kind == Tok::kLe ? CmpOp::kLe
                : t.kind == Tok::kGt ? CmpOp::kGt : CmpOp::kGe;
        Next();
        break;
      case Tok::kIn:
        n = Make(Ast::Kind::kIn, t.pos);
        Next();
        break;
      case Tok::kContains:
        n = Make(Ast::Kind::kContains, t.pos);
        Next();
        break;
      case Tok::kNot:
        if (Peek(1).kind != Tok::kIn)
          return RuleError("rules.syntax", Peek(1).pos, "expected 'in' after 'not' here",
                           "此处 'not' 后应为 'in'");
        n = Make(Ast::Kind::kNotIn, t.pos);
        Next();
        Next();
        break;
      default:
        return Status::Ok();
    }
    Node rhs;
    LF_TRY(Primary(rhs));
    n->kids.push_back(std::move(out));
    n->kids.push_back(std::move(rhs));
    out = std::move(n);
    switch (Peek().kind) {
      case Tok::kEq: case Tok::kNe: case Tok::kLt: case Tok::kLe: case Tok::kGt: case Tok::kGe:
      case Tok::kIn: case Tok::kContains:
        return RuleError("rules.syntax", Peek().pos,
                         "comparisons do not chain; join them with 'and' or use parentheses",
                         "比较不能连写;请用 'and' 连接或加括号");
      default:
        return Status::Ok();
    }
  }

  Status Primary(Node& out) {
    const Token& t = Peek();
    switch (t.kind) {
      case Tok::kString:
        out = Make(Ast::Kind::kString, t.pos);
        out->text = t.text;
        Next();
        return Status::Ok();
      case Tok::kNumber:
        out = Make(Ast::Kind::kNumber, t.pos);
        out->number = t.number;
        Next();
        return Status::Ok();
      case Tok::kDuration:
        out = Make(Ast::Kind::kDuration, t.pos);
        out->duration_ms = t.duration_ms;
        out->unit = t.unit;
        out->amount = t.amount;
        Next();
        return Status::Ok();
      case Tok::kMinus: {
        SourcePos pos = t.pos;
        Next();
        if (Peek().kind != Tok::kNumber) return Unexpected("a number after '-'", "'-' 后的数字");
        out = Make(Ast::Kind::kNumber, pos);
        out->number = -Peek().number;
        Next();
        return Status::Ok();
      }
      case Tok::kTrue: case Tok::kFalse:
        out = Make(Ast::Kind::kBool, t.pos);
        out->boolean = t.kind == Tok::kTrue;
        Next();
        return Status::Ok();
      case Tok::kNull:
        out = Make(Ast::Kind::kNull, t.pos);
        Next();
        return Status::Ok();
      case Tok::kLParen: {
        LF_TRY(Enter());
        Next();
        LF_TRY(Or(out));
        LF_TRY(Expect(Tok::kRParen));
        --depth_;
        return Status::Ok();
      }
      case Tok::kLBracket: {
        LF_TRY(Enter());
        out = Make(Ast::Kind::kList, t.pos);
        Next();
        if (Peek().kind != Tok::kRBracket) {
          for (;;) {
            Node e;
            LF_TRY(Primary(e));
            out->kids.push_back(std::move(e));
            if (Peek().kind == Tok::kComma) {
              Next();
              continue;
            }
            break;
          }
        }
        if (Peek().kind != Tok::kRBracket) return Unexpected("',' or ']'", "',' 或 ']'");
        Next();
        --depth_;
        return Status::Ok();
      }
      case Tok::kIdent: {
        if (Peek(1).kind == Tok::kLParen) {
          LF_TRY(Enter());
          out = Make(Ast::Kind::kCall, t.pos);
          out->text = t.text;
          Next();
          Next();
          if (Peek().kind != Tok::kRParen) {
            for (;;) {
              Node arg;
              LF_TRY(Or(arg));
              out->kids.push_back(std::move(arg));
              if (Peek().kind == Tok::kComma) {
                Next();
                continue;
              }
              break;
            }
          }
          if (Peek().kind != Tok::kRParen) return Unexpected("',' or ')'", "',' 或 ')'");
          Next();
          --depth_;
          return Status::Ok();
        }
        out = Make(Ast::Kind::kPath, t.pos);
        out->parts.push_back({t.text, t.pos});
        Next();
        while (Peek().kind == Tok::kDot) {
          Next();
          if (Peek().kind != Tok::kIdent) return Unexpected("a field name after '.'", "'.' 后的字段名");
          out->parts.push_back({Peek().text, Peek().pos});
          Next();
        }
        return Status::Ok();
      }
      default:
        return Unexpected("a value, a field or '('", "值、字段或 '('");
    }
  }

  std::vector<Token> t_;
  size_t i_ = 0;
  int depth_ = 0;
};

void DumpTo(const Ast& a, std::string& out) {
  switch (a.kind) {
    case Ast::Kind::kString: {
      out += '"';
      for (char c : a.text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      out += '"';
      return;
    }
    case Ast::Kind::kNumber: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g", a.number);
      out += buf;
      return;
    }
    case Ast::Kind::kDuration: out += std::to_string(a.amount) + a.unit; return;
    case Ast::Kind::kBool: out += a.boolean ? "true" : "false"; return;
    case Ast::Kind::kNull: out += "null"; return;
    case Ast::Kind::kPath:
      for (size_t i = 0; i < a.parts.size(); ++i) out += (i ? "." : "") + a.parts[i].name;
      return;
    default: break;
  }
  out += '(';
  switch (a.kind) {
    case Ast::Kind::kList: out += "list"; break;
    case Ast::Kind::kCall: out += a.text; break;
    case Ast::Kind::kNot: out += "not"; break;
    case Ast::Kind::kAnd: out += "and"; break;
    case Ast::Kind::kOr: out += "or"; break;
    case Ast::Kind::kCompare: out += CmpOpName(a.op); break;
    case Ast::Kind::kIn: out += "in"; break;
    case Ast::Kind::kNotIn: out += "not-in"; break;
    case Ast::Kind::kContains: out += "contains"; break;
    default: break;
  }
  for (const auto& k : a.kids) {
    out += ' ';
    DumpTo(*k, out);
  }
  out += ')';
}

}  // namespace

const char* CmpOpName(CmpOp op) {
  switch (op) {
    case CmpOp::kEq: return "==";
    case CmpOp::kNe: return "!=";
    case CmpOp::kLt: return "<";
    case CmpOp::kLe: return "<=";
    case CmpOp::kGt: return ">";
    case CmpOp::kGe: return ">=";
  }
  return "?";
}

std::string Dump(const Ast& a) {
  std::string out;
  DumpTo(a, out);
  return out;
}

Result<std::unique_ptr<Ast>> Parse(std::string_view source) {
  LF_ASSIGN(auto toks, Lex(source));
  return Parser(std::move(toks)).Run();
}

}  // namespace lf::rules
