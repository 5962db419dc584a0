// Tests for the light phone and email checks of the codec.
#include <gtest/gtest.h>

#include "records/codec.h"

namespace lf {
namespace {

TEST(FieldCodec, PhoneAndEmailChecks) {
  FieldDef phone;
  phone.name = "phone";
  phone.type = FieldType::kPhone;
  for (const char* ok : {"+8613800138000", "138 0013 8000", "(0571) 8888-6666"})
    EXPECT_TRUE(DecodeInput(phone, ok).ok()) << ok;
  for (const char* bad : {"", "+", "call me", "12", "+86 138 0013 8000 0000 0000 0000 0"})
    EXPECT_FALSE(DecodeInput(phone, bad).ok()) << bad;
  FieldDef email;
  email.name = "email";
  email.type = FieldType::kEmail;
  EXPECT_TRUE(DecodeInput(email, "li@example.cn").ok());
  for (const char* bad : {"li", "@x.cn", "li@x", "li@@x.cn", "l i@x.cn", "li@.cn"})
    EXPECT_FALSE(DecodeInput(email, bad).ok()) << bad;
}

}  // namespace
}  // namespace lf
