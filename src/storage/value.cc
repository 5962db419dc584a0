// Value conversions and Dialect helpers shared by both drivers.
#include <charconv>
#include <cstdlib>

#include "storage/database.h"

namespace lf {

int64_t AsInt(const Value& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return *i;
  if (auto* d = std::get_if<double>(&v)) return int64_t(*d);
  if (auto* s = std::get_if<std::string>(&v)) {
    int64_t out = 0;
    std::from_chars(s->data(), s->data() + s->size(), out);
    return out;
  }
  return 0;
}

double AsDouble(const Value& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return double(*i);
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* s = std::get_if<std::string>(&v)) return std::strtod(s->c_str(), nullptr);
  return 0;
}

std::string AsText(const Value& v) {
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&v)) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, *d);
    return std::string(buf, r.ptr);
  }
  return {};
}

std::string Dialect::JsonText(std::string_view col, std::string_view key) const {
  if (engine_ == Engine::kPostgres) return "(" + std::string(col) + "->>'" + std::string(key) + "')";
  return "json_extract(" + std::string(col) + ",'$." + std::string(key) + "')";
}

std::string Dialect::JsonNumber(std::string_view col, std::string_view key) const {
  if (engine_ == Engine::kPostgres)
    return "((" + std::string(col) + "->>'" + std::string(key) + "')::double precision)";
  return "json_extract(" + std::string(col) + ",'$." + std::string(key) + "')";
}

std::string Dialect::JsonInt(std::string_view col, std::string_view key) const {
  if (engine_ == Engine::kPostgres)
    return "((" + std::string(col) + "->>'" + std::string(key) + "')::bigint)";
  return "json_extract(" + std::string(col) + ",'$." + std::string(key) + "')";
}

std::string Dialect::JsonArrayContains(std::string_view col) const {
  if (engine_ == Engine::kPostgres)
    return "(" + std::string(col) + " @> jsonb_build_array(?::text))";
  return "EXISTS (SELECT 1 FROM json_each(" + std::string(col) + ") WHERE json_each.value = ?)";
}

Status DbError(std::string_view what, std::string_view message) {
  std::string msg = std::string(what) + ": " + std::string(message);
  if (message.find("locked") != std::string_view::npos ||
      message.find("busy") != std::string_view::npos)
    return Status::Error(ErrorKind::kUnavailable, "db.busy", msg, "数据库繁忙,请稍后重试");
  return Status::Error(ErrorKind::kInternal, "db.error", msg, "数据库错误: " + msg);
}

}  // namespace lf
