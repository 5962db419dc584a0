// Phone numbers in one form: E.164 ("+8613800138000"), parsed by libphonenumber with mainland
// China as the default region, so "138 0013 8000", "+86 138-0013-8000" and "8613800138000" compare
// equal. Thread-safe (libphonenumber's PhoneNumberUtil is).
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace lf {

// Returns the E.164 form, or kValidation "validation.bad_phone" when the text is not a valid number
// of its region (libphonenumber's number plans: "12345" is refused, not stored as +8612345).
Result<std::string> NormalizePhone(std::string_view raw, const char* default_region = "CN");

}  // namespace lf
