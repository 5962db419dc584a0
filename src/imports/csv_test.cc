// Tests for the CSV reader and GBK decoding.
#include "imports/csv.h"

#include <gtest/gtest.h>

namespace lf {
namespace {

TEST(Csv, QuotesNewlinesAndCrlf) {
  auto rows = ParseCsv("\xEF\xBB\xBF" "姓名,备注\r\n张总,\"预算 200 万,需\"\"等保\"\"\n三级\"\r\n\r\n李总,\n").value();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (CsvRow{"姓名", "备注"}));
  EXPECT_EQ(rows[1], (CsvRow{"张总", "预算 200 万,需\"等保\"\n三级"}));
  EXPECT_EQ(rows[2], (CsvRow{"李总", ""}));
}

TEST(Csv, UnterminatedQuoteIsAnError) {
  EXPECT_EQ(ParseCsv("a,\"b\n").status().code(), "import.bad_csv");
}

TEST(Csv, GbkIsDetectedAndConverted) {
  // "张总" in GBK: D5 C5 D7 DC
  std::string detected;
  auto text = DecodeText("\xD5\xC5\xD7\xDC,138", "auto", &detected);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(detected, "gbk");
  EXPECT_EQ(*text, "张总,138");
  EXPECT_EQ(DecodeText("\xEF\xBB\xBF" "张总", "auto", &detected).value(), "张总");
  EXPECT_EQ(detected, "utf-8");
  EXPECT_FALSE(DecodeText("\xD5\xC5", "utf-8", &detected).ok());
}

}  // namespace
}  // namespace lf
