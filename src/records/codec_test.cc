// Tests for field decoding: every type's accepted and refused inputs.
#include "records/codec.h"

#include <gtest/gtest.h>

namespace lf {
namespace {

using json = nlohmann::json;

FieldDef Field(FieldType t, std::vector<EnumOption> opts = {}) {
  FieldDef f;
  f.name = "f";
  f.label_zh = "字段";
  f.type = t;
  f.options = std::move(opts);
  return f;
}

TEST(FieldCodec, MoneyIsIntegerFen) {
  auto f = Field(FieldType::kMoney);
  EXPECT_EQ(DecodeInput(f, 12345).value(), json(12345));
  EXPECT_EQ(DecodeInput(f, 100.0).value(), json(100));
  EXPECT_EQ(DecodeInput(f, 12.5).status().code(), "validation.wrong_type");
  EXPECT_EQ(DecodeInput(f, "100").status().code(), "validation.wrong_type");
}

TEST(FieldCodec, DatetimeNeedsAnOffsetAndIsStoredAsUtcMillis) {
  auto f = Field(FieldType::kDateTime);
  EXPECT_EQ(DecodeInput(f, "1970-01-01T08:00:01+08:00").value(), json(1000));
  EXPECT_EQ(DecodeInput(f, "2026-02-22T00:15:03").status().code(), "validation.timestamp_without_offset");
  const TimeZone* sh = FindZone("Asia/Shanghai").value();
  EXPECT_EQ(StoredToApi(f, json(1000), sh), json("1970-01-01T08:00:01+08:00"));
}

TEST(FieldCodec, EnumsAcceptOnlyTheirOptions) {
  auto f = Field(FieldType::kEnum, {{"red", "红", "Red"}});
  EXPECT_EQ(DecodeInput(f, "red").value(), json("red"));
  EXPECT_EQ(DecodeInput(f, "blue").status().code(), "validation.not_an_option");
  auto m = Field(FieldType::kMultiEnum, {{"a", "A", "A"}, {"b", "B", "B"}});
  EXPECT_EQ(DecodeInput(m, json::array({"a", "b", "a"})).value(), json::array({"a", "b"}));
  EXPECT_EQ(DecodeInput(m, json::array({"c"})).status().code(), "validation.not_an_option");
}

TEST(FieldCodec, BoolsAndNumbersAreStrict) {
  EXPECT_EQ(DecodeInput(Field(FieldType::kBool), true).value(), json(1));
  EXPECT_EQ(DecodeInput(Field(FieldType::kBool), "true").status().code(), "validation.wrong_type");
  EXPECT_EQ(DecodeInput(Field(FieldType::kNumber), 1.5).value(), json(1.5));
  EXPECT_EQ(DecodeInput(Field(FieldType::kNumber), "1.5").status().code(), "validation.wrong_type");
}

TEST(FieldCodec, TextLengthCountsCharactersNotBytes) {
  auto f = Field(FieldType::kText);
  f.max_length = 3;
  EXPECT_TRUE(DecodeInput(f, "线索池").ok());
  EXPECT_EQ(DecodeInput(f, "线索池子").status().code(), "validation.too_long");
}

TEST(FieldCodec, FilterValuesAreTyped) {
  EXPECT_EQ(std::get<int64_t>(DecodeFilterValue(Field(FieldType::kBool), "true").value()), 1);
  EXPECT_FALSE(DecodeFilterValue(Field(FieldType::kNumber), "12abc").ok());
  EXPECT_FALSE(DecodeFilterValue(Field(FieldType::kDateTime), "2026-01-01T00:00:00").ok());
  EXPECT_EQ(std::get<int64_t>(DecodeFilterValue(Field(FieldType::kDateTime), "1970-01-01T00:00:01Z").value()), 1000);
}

}  // namespace
}  // namespace lf
