// Tests for UTF-8 validation and URL/base64 helpers.
#include "base/strings.h"

#include <gtest/gtest.h>

#include "base/crypto.h"

namespace lf {
namespace {

TEST(Utf8, AcceptsChineseAndRejectsMalformedSequences) {
  EXPECT_TRUE(IsValidUtf8("张总确认Q3招标"));
  EXPECT_FALSE(IsValidUtf8("\xff\xfe"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // UTF-16 surrogate
  EXPECT_FALSE(IsValidUtf8("\xe4\xb8"));          // truncated
  EXPECT_EQ(Utf8Length("线索池abc"), 6u);
  EXPECT_EQ(Utf8Prefix("线索池abc", 2), "线索…");
  EXPECT_EQ(Utf8Prefix("线索池abc", 6), "线索池abc");
  EXPECT_EQ(Utf8Prefix("", 0), "");
}

TEST(UrlDecode, DecodesPercentAndPlusAndRejectsBadEscapes) {
  std::string out;
  EXPECT_TRUE(UrlDecode("a%2Bb+c%E7%BA%BF", &out));
  EXPECT_EQ(out, "a+b c\xe7\xba\xbf");
  EXPECT_FALSE(UrlDecode("%G1", &out));
  EXPECT_FALSE(UrlDecode("%4", &out));
}

TEST(Base64Url, RoundTrips) {
  std::string back;
  ASSERT_TRUE(Base64UrlDecode(Base64UrlEncode("{\"id\":\"x\"}"), &back));
  EXPECT_EQ(back, "{\"id\":\"x\"}");
  EXPECT_FALSE(Base64UrlDecode("!!!", &back));
}

TEST(Ids, UuidV7IsTimeOrderedAndWellFormed) {
  ASSERT_TRUE(InitCrypto());
  std::string a = UuidV7(1000), b = UuidV7(2000);
  EXPECT_TRUE(IsUuid(a));
  EXPECT_LT(a, b);
  EXPECT_EQ(a[14], '7');
  EXPECT_FALSE(IsUuid("not-a-uuid"));
}

TEST(Passwords, Argon2idVerifiesOnlyTheRightPassword) {
  ASSERT_TRUE(InitCrypto());
  auto h = HashPassword("demo1234");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword(*h, "demo1234"));
  EXPECT_FALSE(VerifyPassword(*h, "demo12345"));
}

}  // namespace
}  // namespace lf
