// Lexer and parser: precedence, literals, and every syntax error with its line and column.
#include "rules/parser.h"

#include <gtest/gtest.h>

#include "rules/lexer.h"

namespace lf::rules {
namespace {

std::string P(std::string_view src) {
  auto r = Parse(src);
  if (!r.ok()) return "ERROR " + r.status().detail_en();
  return Dump(**r);
}

// "line L, column C: …" of a rejected source, checking code and both languages.
std::string Err(std::string_view src, const std::string& code) {
  auto r = Parse(src);
  if (r.ok()) return "parsed: " + Dump(**r);
  EXPECT_EQ(r.status().code(), code) << src;
  EXPECT_EQ(r.status().field(), "condition");
  EXPECT_EQ(r.status().kind(), ErrorKind::kValidation);
  EXPECT_NE(r.status().detail_zh().find(" 行第 "), std::string::npos) << r.status().detail_zh();
  return r.status().detail_en();
}

TEST(ExprParse, AndBindsTighterThanOr) {
  EXPECT_EQ(P("lead.a == 1 or lead.b == 2 and lead.c == 3"),
            "(or (== lead.a 1) (and (== lead.b 2) (== lead.c 3)))");
  EXPECT_EQ(P("(lead.a == 1 or lead.b == 2) and lead.c == 3"),
            "(and (or (== lead.a 1) (== lead.b 2)) (== lead.c 3))");
}

TEST(ExprParse, ChainsAreOneNaryNode) {
  EXPECT_EQ(P("lead.a and lead.b and lead.c or lead.d or lead.e"),
            "(or (and lead.a lead.b lead.c) lead.d lead.e)");
}

TEST(ExprParse, NotBindsTighterThanAndLooserThanComparison) {
  EXPECT_EQ(P("not lead.a == 1 and lead.b"), "(and (not (== lead.a 1)) lead.b)");
  EXPECT_EQ(P("not not lead.a"), "(not (not lead.a))");
}

TEST(ExprParse, InNotInContains) {
  EXPECT_EQ(P(R"(lead.channel in ["a", "b"])"), R"((in lead.channel (list "a" "b")))");
  EXPECT_EQ(P(R"(lead.channel not in [])"), "(not-in lead.channel (list))");
  EXPECT_EQ(P(R"("战略客户" in lead.tags)"), R"((in "战略客户" lead.tags))");
  EXPECT_EQ(P(R"(lead.tags contains "x")"), R"((contains lead.tags "x"))");
  EXPECT_EQ(P(R"(not "x" in lead.tags)"), R"((not (in "x" lead.tags)))");
}

TEST(ExprParse, Literals) {
  EXPECT_EQ(P("lead.n >= -2.5"), "(>= lead.n -2.5)");
  EXPECT_EQ(P("activities_in(3d) > 0 and f(72h, 30m)"), "(and (> (activities_in 3d) 0) (f 72h 30m))");
  EXPECT_EQ(P("lead.x == null or lead.y == true or lead.z != false"),
            "(or (== lead.x null) (== lead.y true) (!= lead.z false))");
  EXPECT_EQ(P(R"(lead.s == "a\"b\\c\u4e2d")"), R"((== lead.s "a\"b\\c中"))");
  EXPECT_EQ(P(R"(lead.s == 'single "quoted"')"), R"((== lead.s "single \"quoted\""))");
  EXPECT_EQ(P("now()"), "(now)");
}

TEST(ExprParse, CommentsAndNewlines) {
  EXPECT_EQ(P("# 三色漏斗: 红\nlead.channel == \"douyin_form\" # 抖音\n  and lead.first_touch == \"book_demo\""),
            R"((and (== lead.channel "douyin_form") (== lead.first_touch "book_demo")))");
}

TEST(ExprParse, SyntaxErrorsCarryLineAndColumn) {
  EXPECT_EQ(Err("lead.a == ", "rules.syntax"), "line 1, column 11: expected a value, a field or '(', found end of input");
  EXPECT_EQ(Err("lead.a == 1 and\n  (lead.b == 2", "rules.syntax"), "line 2, column 15: expected ')', found end of input");
  EXPECT_EQ(Err("lead.a = 1", "rules.syntax"), "line 1, column 8: use '==' to compare");
  EXPECT_EQ(Err("lead.a == 1 && lead.b", "rules.syntax"), "line 1, column 13: use 'and'");
  EXPECT_EQ(Err("lead.a == 1 lead.b", "rules.syntax"), "line 1, column 13: expected 'and', 'or' or end of input, found 'lead'");
  EXPECT_EQ(Err("lead.a < lead.b < 3", "rules.syntax"),
            "line 1, column 17: comparisons do not chain; join them with 'and' or use parentheses");
  EXPECT_EQ(Err("lead.a not lead.b", "rules.syntax"), "line 1, column 12: expected 'in' after 'not' here");
  EXPECT_EQ(Err("lead. == 1", "rules.syntax"), "line 1, column 7: expected a field name after '.', found '=='");
  EXPECT_EQ(Err("lead.c in [\"a\" \"b\"]", "rules.syntax"), "line 1, column 16: expected ',' or ']', found a string");
  EXPECT_EQ(Err("f(1 2)", "rules.syntax"), "line 1, column 5: expected ',' or ')', found a number");
  EXPECT_EQ(Err("- lead.a", "rules.syntax"), "line 1, column 3: expected a number after '-', found 'lead'");
}

TEST(ExprParse, ErrorsAreAlsoInChinese) {
  auto r = Parse("lead.a == ");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().detail_zh(), "第 1 行第 11 列: 此处应为 值、字段或 '(',实际为 结尾");
}

TEST(ExprParse, ChineseTextCountsOneColumnPerCharacter) {
  EXPECT_EQ(Err("\"线索\" in lead.tags 和", "rules.syntax"),
            "line 1, column 19: unexpected character '和' (text needs quotes)");
}

TEST(ExprLex, ErrorsCarryLineAndColumn) {
  EXPECT_EQ(Err("lead.a == \"abc", "rules.unterminated_string"), "line 1, column 11: unterminated string");
  EXPECT_EQ(Err("lead.a == \"ab\ncd\"", "rules.unterminated_string"), "line 1, column 11: unterminated string");
  EXPECT_EQ(Err(R"(lead.a == "a\qb")", "rules.bad_escape"), "line 1, column 13: unknown escape '\\q'");
  EXPECT_EQ(Err(R"(lead.a == "\u12")", "rules.bad_escape"), "line 1, column 12: \\u needs four hex digits");
  EXPECT_EQ(Err(R"(lead.a == "\ud800")", "rules.bad_escape"), "line 1, column 12: \\u escape of a surrogate");
  EXPECT_EQ(Err("lead.a == 3x", "rules.bad_number"),
            "line 1, column 11: malformed number '3x' (durations use d, h or m: 3d, 24h, 30m)");
  EXPECT_EQ(Err("activities_in(1.5d)", "rules.bad_duration"),
            "line 1, column 15: a duration is a whole number of days, hours or minutes up to 100 years, e.g. 3d, 72h, 30m");
  EXPECT_EQ(Err("activities_in(99999d)", "rules.bad_duration").substr(0, 19), "line 1, column 15: ");
  EXPECT_EQ(Err("lead.a == 1e999999", "rules.bad_number").substr(0, 19), "line 1, column 11: ");
  EXPECT_EQ(Err(std::string("lead.a == \"\xff\""), "rules.bad_utf8"), "line 1, column 12: invalid UTF-8");
  EXPECT_EQ(Err("lead.a == \"a\tb\"", "rules.bad_string"), "line 1, column 13: control character in a string");
  EXPECT_EQ(Err("lead.a ! lead.b", "rules.syntax"), "line 1, column 8: use 'not' for negation");
}

TEST(ExprParse, LimitsRejectHugeOrDeepInput) {
  EXPECT_EQ(Err(std::string(kMaxSourceBytes + 1, ' '), "rules.too_long"), "line 1, column 1: condition longer than 16 KiB");
  std::string deep(kMaxDepth + 1, '(');
  EXPECT_EQ(Err(deep + "lead.a", "rules.too_deep"), "line 1, column 65: nested too deeply (more than 64 levels)");
  std::string nots;
  for (int i = 0; i <= kMaxDepth; ++i) nots += "not ";
  EXPECT_EQ(Err(nots + "lead.a", "rules.too_deep").substr(0, 20), "line 1, column 257: ");
  // Long flat chains are fine (one n-ary node, no deep recursion).
  std::string chain = "lead.a";
  for (int i = 0; i < 1400; ++i) chain += " and lead.a";  // ~15 KiB
  EXPECT_TRUE(Parse(chain).ok());
}

TEST(ExprLex, DurationsInMilliseconds) {
  auto t = Lex("3d 24h 30m 7");
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->size(), 5u);
  EXPECT_EQ((*t)[0].duration_ms, 3 * 86'400'000LL);
  EXPECT_EQ((*t)[1].duration_ms, 24 * 3'600'000LL);
  EXPECT_EQ((*t)[2].duration_ms, 30 * 60'000LL);
  EXPECT_EQ((*t)[3].kind, Tok::kNumber);
  EXPECT_EQ((*t)[3].pos.column, 12);
}

}  // namespace
}  // namespace lf::rules
