// Implements base/phone.h on libphonenumber.
#include "base/phone.h"

#include <phonenumbers/phonenumberutil.h>

namespace lf {

Result<std::string> NormalizePhone(std::string_view raw, const char* default_region) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  std::string text(raw);
  if (text.size() > 40 ||
      util->Parse(text, default_region, &number) != PhoneNumberUtil::NO_PARSING_ERROR ||
      !util->IsValidNumber(number))
    return Status::Error(ErrorKind::kValidation, "validation.bad_phone",
                         "'" + text + "' is not a phone number", "'" + text + "' 不是有效的电话号码");
  std::string out;
  util->Format(number, PhoneNumberUtil::E164, &out);
  return out;
}

}  // namespace lf
