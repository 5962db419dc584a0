// Implements rules/lexer.h: a hand-written scanner (the language is tiny; no generator needed).
#include "rules/lexer.h"

#include <charconv>
#include <cmath>

namespace lf::rules {
namespace {

bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Length of the UTF-8 sequence starting at s[i], or 0 when it is not valid UTF-8.
size_t Utf8Len(std::string_view s, size_t i) {
  unsigned char c = s[i];
  if (c < 0x80) return 1;
  size_t n;
  uint32_t cp;
  if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; }
  else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; }
  else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; }
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    unsigned char d = s[i + k];
    if ((d & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (d & 0x3F);
  }
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> out;
    for (;;) {
      SkipSpace();
      if (!status_.ok()) return status_;
      Token t;
      t.pos = pos_;
      if (i_ >= s_.size()) {
        out.push_back(std::move(t));
        return out;
      }
      char c = s_[i_];
      if (IsIdentStart(c)) {
        size_t b = i_;
        while (i_ < s_.size() && IsIdentChar(s_[i_])) Advance(1);
        t.text = std::string(s_.substr(b, i_ - b));
        t.kind = Keyword(t.text);
      } else if (IsDigit(c)) {
        LF_TRY(Number(t));
      } else if (c == '"' || c == '\'') {
        LF_TRY(String(t));
      } else {
        LF_TRY(Punct(t));
      }
      out.push_back(std::move(t));
    }
  }

 private:
  static Tok Keyword(const std::string& w) {
    if (w == "and") return Tok::kAnd;
    if (w == "or") return Tok::kOr;
    if (w == "not") return Tok::kNot;
    if (w == "in") return Tok::kIn;
    if (w == "contains") return Tok::kContains;
    if (w == "true") return Tok::kTrue;
    if (w == "false") return Tok::kFalse;
    if (w == "null") return Tok::kNull;
    return Tok::kIdent;
  }

  // Moves over `bytes` bytes of one code point (or ASCII run), keeping line/column.
  void Advance(size_t bytes) {
    if (s_[i_] == '\n') {
      ++pos_.line;
      pos_.column = 1;
    } else {
      ++pos_.column;
    }
    i_ += bytes;
  }

  void SkipSpace() {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        Advance(1);
      } else if (c == '#') {  // comment to end of line
        while (i_ < s_.size() && s_[i_] != '\n') {
          size_t n = Utf8Len(s_, i_);
          if (n == 0) {
            status_ = RuleError("rules.bad_utf8", pos_, "invalid UTF-8", "无效的 UTF-8 编码");
            return;
          }
          Advance(n);
        }
      } else {
        return;
      }
    }
  }

  Status Number(Token& t) {
    size_t b = i_;
    while (i_ < s_.size() && IsDigit(s_[i_])) Advance(1);
    bool fraction = false;
    if (i_ + 1 < s_.size() && s_[i_] == '.' && IsDigit(s_[i_ + 1])) {
      fraction = true;
      Advance(1);
      while (i_ < s_.size() && IsDigit(s_[i_])) Advance(1);
    }
    std::string_view digits = s_.substr(b, i_ - b);
    if (i_ < s_.size() && (s_[i_] == 'd' || s_[i_] == 'h' || s_[i_] == 'm') &&
        !(i_ + 1 < s_.size() && IsIdentChar(s_[i_ + 1]))) {
      char unit = s_[i_];
      Advance(1);
      int64_t amount = 0;
      auto r = std::from_chars(digits.data(), digits.data() + digits.size(), amount);
      // Bounded so that amount * unit never overflows and windows stay meaningful (≤ ~100 years).
      if (fraction || r.ec != std::errc() || amount > 36500 * (unit == 'd' ? 1 : unit == 'h' ? 24 : 1440))
        return RuleError("rules.bad_duration", t.pos,
                         "a duration is a whole number of days, hours or minutes up to 100 years, "
                         "e.g. 3d, 72h, 30m",
                         "时长须为整数天/小时/分钟(不超过 100 年),如 3d、72h、30m");
      t.kind = Tok::kDuration;
      t.unit = unit;
      t.amount = amount;
      t.duration_ms = amount * (unit == 'd' ? 86'400'000 : unit == 'h' ? 3'600'000 : 60'000);
      return Status::Ok();
    }
    if (i_ < s_.size() && (IsIdentChar(s_[i_]) || s_[i_] == '.'))
      return RuleError("rules.bad_number", t.pos,
                       "malformed number '" + std::string(s_.substr(b, i_ - b + 1)) +
                           "' (durations use d, h or m: 3d, 24h, 30m)",
                       "数字格式错误 '" + std::string(s_.substr(b, i_ - b + 1)) +
                           "'(时长单位为 d、h、m,如 3d、24h、30m)");
    double v = 0;
    auto r = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (r.ec != std::errc() || !std::isfinite(v) || v > 9e15)
      return RuleError("rules.bad_number", t.pos, "number out of range", "数字超出范围");
    t.kind = Tok::kNumber;
    t.number = v;
    return Status::Ok();
  }

  Status String(Token& t) {
    char quote = s_[i_];
    Advance(1);
    std::string out;
    for (;;) {
      if (i_ >= s_.size() || s_[i_] == '\n' || s_[i_] == '\r')
        return RuleError("rules.unterminated_string", t.pos, "unterminated string", "字符串缺少结束引号");
      char c = s_[i_];
      if (c == quote) {
        Advance(1);
        break;
      }
      if (static_cast<unsigned char>(c) < 0x20)
        return RuleError("rules.bad_string", pos_, "control character in a string", "字符串中有控制字符");
      if (c == '\\') {
        SourcePos esc = pos_;
        Advance(1);
        if (i_ >= s_.size())
          return RuleError("rules.unterminated_string", t.pos, "unterminated string", "字符串缺少结束引号");
        char e = s_[i_];
        switch (e) {
          case '"': out += '"'; break;
          case '\'': out += '\''; break;
          case '\\': out += '\\'; break;
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'r': out += '\r'; break;
          case 'u': {
            uint32_t cp = 0;
            for (int k = 1; k <= 4; ++k) {
              char h = i_ + k < s_.size() ? s_[i_ + k] : 0;
              int v = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                      : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
              if (v < 0)
                return RuleError("rules.bad_escape", esc, "\\u needs four hex digits", "\\u 后须跟四位十六进制数");
              cp = cp * 16 + uint32_t(v);
            }
            if (cp >= 0xD800 && cp <= 0xDFFF)
              return RuleError("rules.bad_escape", esc, "\\u escape of a surrogate", "\\u 转义不能是代理码点");
            if (cp == 0)
              return RuleError("rules.bad_escape", esc, "\\u0000 is not allowed", "不允许 \\u0000");
            AppendUtf8(out, cp);
            for (int k = 0; k < 4; ++k) Advance(1);
            break;
          }
          default:
            return RuleError("rules.bad_escape", esc,
                             std::string("unknown escape '\\") + (static_cast<unsigned char>(e) < 0x80 ? std::string(1, e) : std::string("…")) + "'",
                             "未知的转义序列");
        }
        Advance(1);
        continue;
      }
      size_t n = Utf8Len(s_, i_);
      if (n == 0) return RuleError("rules.bad_utf8", pos_, "invalid UTF-8", "无效的 UTF-8 编码");
      out.append(s_.substr(i_, n));
      Advance(n);
    }
    t.kind = Tok::kString;
    t.text = std::move(out);
    return Status::Ok();
  }

  Status Punct(Token& t) {
    char c = s_[i_];
    char n = i_ + 1 < s_.size() ? s_[i_ + 1] : 0;
    auto one = [&](Tok k) { t.kind = k; Advance(1); return Status::Ok(); };
    auto two = [&](Tok k) { t.kind = k; Advance(1); Advance(1); return Status::Ok(); };
    switch (c) {
      case '(': return one(Tok::kLParen);
      case ')': return one(Tok::kRParen);
      case '[': return one(Tok::kLBracket);
      case ']': return one(Tok::kRBracket);
      case ',': return one(Tok::kComma);
      case '.': return one(Tok::kDot);
      case '-': return one(Tok::kMinus);
      case '=':
        if (n == '=') return two(Tok::kEq);
        return RuleError("rules.syntax", t.pos, "use '==' to compare", "比较请用 '=='");
      case '!':
        if (n == '=') return two(Tok::kNe);
        return RuleError("rules.syntax", t.pos, "use 'not' for negation", "取反请用 'not'");
      case '<': return n == '=' ? two(Tok::kLe) : one(Tok::kLt);
      case '>': return n == '=' ? two(Tok::kGe) : one(Tok::kGt);
      case '&':
        return RuleError("rules.syntax", t.pos, "use 'and'", "请用 'and'");
      case '|':
        return RuleError("rules.syntax", t.pos, "use 'or'", "请用 'or'");
      default: break;
    }
    size_t len = Utf8Len(s_, i_);
    if (len == 0) return RuleError("rules.bad_utf8", t.pos, "invalid UTF-8", "无效的 UTF-8 编码");
    std::string ch(s_.substr(i_, len));
    return RuleError("rules.syntax", t.pos, "unexpected character '" + ch + "' (text needs quotes)",
                     "无法识别的字符 '" + ch + "'(文本须加引号)");
  }

  std::string_view s_;
  size_t i_ = 0;
  SourcePos pos_;
  Status status_;
};

}  // namespace

const char* TokName(Tok t) {
  switch (t) {
    case Tok::kEnd: return "end of input";
    case Tok::kIdent: return "a name";
    case Tok::kString: return "a string";
    case Tok::kNumber: return "a number";
    case Tok::kDuration: return "a duration";
    case Tok::kLParen: return "'('";
    case Tok::kRParen: return "')'";
    case Tok::kLBracket: return "'['";
    case Tok::kRBracket: return "']'";
    case Tok::kComma: return "','";
    case Tok::kDot: return "'.'";
    case Tok::kMinus: return "'-'";
    case Tok::kEq: return "'=='";
    case Tok::kNe: return "'!='";
    case Tok::kLt: return "'<'";
    case Tok::kLe: return "'<='";
    case Tok::kGt: return "'>'";
    case Tok::kGe: return "'>='";
    case Tok::kAnd: return "'and'";
    case Tok::kOr: return "'or'";
    case Tok::kNot: return "'not'";
    case Tok::kIn: return "'in'";
    case Tok::kContains: return "'contains'";
    case Tok::kTrue: return "'true'";
    case Tok::kFalse: return "'false'";
    case Tok::kNull: return "'null'";
  }
  return "?";
}

const char* TokNameZh(Tok t) {
  switch (t) {
    case Tok::kEnd: return "结尾";
    case Tok::kIdent: return "名称";
    case Tok::kString: return "字符串";
    case Tok::kNumber: return "数字";
    case Tok::kDuration: return "时长";
    default: return TokName(t);
  }
}

Result<std::vector<Token>> Lex(std::string_view source) {
  if (source.size() > kMaxSourceBytes)
    return RuleError("rules.too_long", SourcePos{}, "condition longer than 16 KiB", "条件超过 16 KiB");
  return Lexer(source).Run();
}

}  // namespace lf::rules
