// Implements records/codec.h.
#include "records/codec.h"

#include <charconv>
#include <cmath>
#include <set>

#include "base/crypto.h"
#include "base/phone.h"
#include "base/strings.h"

namespace lf {
namespace {

Status WrongType(const FieldDef& f, const char* want_en, const char* want_zh) {
  return Status::Error(ErrorKind::kValidation, "validation.wrong_type",
                       "field '" + f.name + "' must be " + want_en,
                       "字段「" + f.label_zh + "」必须是" + want_zh, f.name);
}

Status BadValue(const FieldDef& f, const std::string& en, const std::string& zh) {
  return Status::Error(ErrorKind::kValidation, "validation.invalid_value",
                       "field '" + f.name + "': " + en, "字段「" + f.label_zh + "」: " + zh, f.name);
}

Status CheckOption(const FieldDef& f, const std::string& v) {
  if (f.HasOption(v)) return Status::Ok();
  std::string allowed;
  for (const auto& o : f.options) allowed += (allowed.empty() ? "" : ", ") + o.value;
  return Status::Error(ErrorKind::kValidation, "validation.not_an_option",
                       "'" + v + "' is not an option of '" + f.name + "' (" + allowed + ")",
                       "'" + v + "' 不是「" + f.label_zh + "」的可选值(" + allowed + ")", f.name);
}

// local@domain.tld with no spaces; deliverability is the mail server's business.
bool ValidEmail(const std::string& s) {
  auto at = s.find('@');
  if (s.size() > 254 || at == std::string::npos || at == 0 || at > 64 ||
      s.find('@', at + 1) != std::string::npos)
    return false;
  auto dot = s.find('.', at + 2);
  if (dot == std::string::npos || dot + 1 >= s.size()) return false;
  for (char c : s)
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return false;
  return true;
}

}  // namespace

Result<nlohmann::json> DecodeInput(const FieldDef& f, const nlohmann::json& v) {
  using T = FieldType;
  if (v.is_null()) return f.type == T::kTags ? nlohmann::json::array() : nlohmann::json(nullptr);
  switch (f.type) {
    case T::kText: case T::kPhone: case T::kEmail: case T::kUser: case T::kReference:
    case T::kEnum: case T::kDate: {
      if (!v.is_string()) return WrongType(f, "a string", "字符串");
      std::string s = v.get<std::string>();
      // U+0000 is valid JSON but no text: PostgreSQL cannot store it, and nobody types it.
      if (s.find('\0') != std::string::npos) return BadValue(f, "must not contain a NUL character", "不能包含空字符 (NUL)");
      if (f.type == T::kText) {
        if (Utf8Length(s) > size_t(f.max_length))
          return Status::Error(ErrorKind::kValidation, "validation.too_long",
                               "field '" + f.name + "' is longer than " +
                                   std::to_string(f.max_length) + " characters",
                               "字段「" + f.label_zh + "」超过 " + std::to_string(f.max_length) + " 字",
                               f.name);
        if (f.required && s.find_first_not_of(" \t\r\n") == std::string::npos)
          return BadValue(f, "must not be blank", "不能为空");
      }
      if (f.type == T::kPhone) {
        auto e164 = NormalizePhone(s);
        if (!e164.ok())
          return Status::Error(ErrorKind::kValidation, "validation.bad_phone",
                               "field '" + f.name + "': '" + s + "' is not a phone number",
                               "字段「" + f.label_zh + "」: '" + s + "' 不是有效的电话号码", f.name);
        s = std::move(e164).value();
      } else if (f.type == T::kEmail) {
        if (!ValidEmail(s)) return BadValue(f, "not an email address", "不是有效的邮箱地址");
      } else if (f.type == T::kUser || f.type == T::kReference) {
        if (!IsUuid(s)) return BadValue(f, "not an id", "不是有效的编号");
      } else if (f.type == T::kEnum) {
        LF_TRY(CheckOption(f, s));
      } else if (f.type == T::kDate) {
        if (!IsValidDate(s)) return BadValue(f, "not a date YYYY-MM-DD", "日期格式应为 YYYY-MM-DD");
      }
      return nlohmann::json(std::move(s));
    }
    case T::kNumber:
      if (!v.is_number()) return WrongType(f, "a number", "数字");
      if (!std::isfinite(v.get<double>())) return WrongType(f, "a finite number", "有限数字");
      return v.is_number_integer() ? nlohmann::json(v.get<int64_t>()) : nlohmann::json(v.get<double>());
    case T::kMoney: {
      // Money is integer fen (分): 12345 means ¥123.45.
      if (!v.is_number_integer() && !(v.is_number_float() && std::trunc(v.get<double>()) == v.get<double>()))
        return WrongType(f, "an integer amount in fen (分)", "以分为单位的整数金额");
      double d = v.get<double>();
      if (std::fabs(d) > 9e15) return BadValue(f, "amount out of range", "金额超出范围");
      return nlohmann::json(int64_t(v.is_number_integer() ? v.get<int64_t>() : int64_t(d)));
    }
    case T::kDateTime: {
      if (!v.is_string()) return WrongType(f, "an RFC 3339 timestamp string", "RFC 3339 时间字符串");
      auto ms = ParseRfc3339(v.get<std::string>());
      if (!ms.ok()) {
        Status s = ms.status();
        return Status::Error(s.kind(), s.code(), "field '" + f.name + "': " + s.detail_en(),
                             "字段「" + f.label_zh + "」: " + s.detail_zh(), f.name);
      }
      return nlohmann::json(*ms);
    }
    case T::kBool:
      if (!v.is_boolean()) return WrongType(f, "true or false", "布尔值 true/false");
      return nlohmann::json(v.get<bool>() ? 1 : 0);
    case T::kMultiEnum: case T::kTags: {
      if (!v.is_array()) return WrongType(f, "an array of strings", "字符串数组");
      if (v.size() > 100) return BadValue(f, "at most 100 values", "最多 100 个值");
      nlohmann::json out = nlohmann::json::array();
      std::set<std::string> seen;
      for (const auto& e : v) {
        if (!e.is_string()) return WrongType(f, "an array of strings", "字符串数组");
        std::string s = e.get<std::string>();
        if (f.type == T::kMultiEnum) LF_TRY(CheckOption(f, s));
        if (s.empty() || Utf8Length(s) > 50)
          return BadValue(f, "each value must be 1–50 characters", "每个值长度须为 1–50 字");
        if (seen.insert(s).second) out.push_back(std::move(s));
      }
      return out;
    }
  }
  return WrongType(f, "a value", "有效值");
}

Value StoredToColumn(const FieldDef& f, const nlohmann::json& stored) {
  if (stored.is_null()) return nullptr;
  if (stored.is_array() || stored.is_object()) return stored.dump();
  if (stored.is_string()) return stored.get<std::string>();
  if (stored.is_number_integer()) return stored.get<int64_t>();
  if (stored.is_number()) return stored.get<double>();
  if (stored.is_boolean()) return int64_t(stored.get<bool>());
  return nullptr;
}

nlohmann::json ColumnToStored(const FieldDef& f, const Value& v) {
  if (IsNull(v)) return nullptr;
  switch (f.type) {
    case FieldType::kMultiEnum:
    case FieldType::kTags: {
      auto j = nlohmann::json::parse(AsText(v), nullptr, false);
      return j.is_array() ? j : nlohmann::json::array();
    }
    case FieldType::kMoney:
    case FieldType::kDateTime:
    case FieldType::kBool: return AsInt(v);
    case FieldType::kNumber:
      if (auto* i = std::get_if<int64_t>(&v)) return *i;
      {
        double d = AsDouble(v);
        if (std::trunc(d) == d && std::fabs(d) < 9e15) return int64_t(d);
        return d;
      }
    default: return AsText(v);
  }
}

nlohmann::json StoredToApi(const FieldDef& f, const nlohmann::json& stored, const TimeZone* zone) {
  if (stored.is_null()) return nullptr;
  if (f.type == FieldType::kDateTime && stored.is_number()) return FormatRfc3339(stored.get<int64_t>(), zone);
  if (f.type == FieldType::kBool && stored.is_number()) return stored.get<int64_t>() != 0;
  return stored;
}

Result<Value> DecodeFilterValue(const FieldDef& f, const std::string& text) {
  using T = FieldType;
  auto bad = [&](const char* en, const char* zh) {
    return Status::Error(ErrorKind::kInvalidArgument, "query.bad_filter_value",
                         "filter on '" + f.name + "': " + en, "筛选「" + f.label_zh + "」: " + zh,
                         f.name);
  };
  switch (f.type) {
    case T::kNumber: {
      char* end = nullptr;
      double d = std::strtod(text.c_str(), &end);
      if (text.empty() || *end != '\0' || !std::isfinite(d)) return bad("not a number", "不是数字");
      return Value(d);
    }
    case T::kMoney: {
      int64_t n = 0;
      auto r = std::from_chars(text.data(), text.data() + text.size(), n);
      if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size())
        return bad("not an integer amount in fen", "不是以分为单位的整数");
      return Value(n);
    }
    case T::kDateTime: {
      auto ms = ParseRfc3339(text);
      if (!ms.ok()) {
        Status s = ms.status();
        return Status::Error(ErrorKind::kInvalidArgument, s.code(),
                             "filter on '" + f.name + "': " + s.detail_en(),
                             "筛选「" + f.label_zh + "」: " + s.detail_zh(), f.name);
      }
      return Value(*ms);
    }
    case T::kBool:
      if (text == "true" || text == "1") return Value(int64_t(1));
      if (text == "false" || text == "0") return Value(int64_t(0));
      return bad("expected true or false", "应为 true 或 false");
    case T::kEnum:
    case T::kMultiEnum:
      if (!f.HasOption(text)) {
        Status s = CheckOption(f, text);
        return Status::Error(ErrorKind::kInvalidArgument, "query.bad_filter_value", s.detail_en(),
                             s.detail_zh(), f.name);
      }
      return Value(text);
    case T::kDate:
      if (!IsValidDate(text)) return bad("not a date YYYY-MM-DD", "日期格式应为 YYYY-MM-DD");
      return Value(text);
    case T::kPhone: {
      auto e164 = NormalizePhone(text);
      if (!e164.ok()) return bad("not a phone number", "不是有效的电话号码");
      return Value(std::move(e164).value());
    }
    default:
      return Value(text);
  }
}

}  // namespace lf
