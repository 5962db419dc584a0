// Tests for phone normalisation: the spellings users type compare equal.
#include "base/phone.h"

#include <gtest/gtest.h>

namespace lf {
namespace {

TEST(Phone, ChineseSpellingsNormaliseToOneE164) {
  for (const char* s : {"13800138000", "138 0013 8000", "+86 138-0013-8000", "+8613800138000",
                        "(+86) 138 0013 8000"})
    EXPECT_EQ(NormalizePhone(s).value(), "+8613800138000") << s;
}

TEST(Phone, LandlinesAndForeignNumbers) {
  EXPECT_EQ(NormalizePhone("0571-8888 6666").value(), "+8657188886666");
  EXPECT_EQ(NormalizePhone("+1 650-253-0000").value(), "+16502530000");
}

TEST(Phone, GarbageIsRefused) {
  for (const char* s : {"call me", "12", "", "+86 1", "12345", "10000000000"})
    EXPECT_EQ(NormalizePhone(s).status().code(), "validation.bad_phone") << s;
}

}  // namespace
}  // namespace lf
