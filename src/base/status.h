// Status and Result<T>: errors as values, with a stable machine code and zh/en messages.
// Thread-safety: values; no shared state.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace lf {

// The kind of failure. http/ maps each kind to one HTTP status in one place (http/problem.cc).
enum class ErrorKind {
  kOk = 0,
  kInvalidArgument,     // malformed request (bad JSON, bad UTF-8, bad query syntax)
  kValidation,          // well-formed but violates the schema (unknown/read-only field, wrong type)
  kUnauthenticated,     // no or bad credentials
  kPermissionDenied,    // authenticated, not allowed
  kNotFound,            // no such record in the caller's tenant
  kConflict,            // state conflict (duplicate name, idempotency key reuse)
  kPreconditionFailed,  // If-Match did not match
  kTooLarge,            // body or field too large
  kTooManyRequests,     // throttled
  kUnavailable,         // transient: database busy, shutting down
  kInternal,            // a bug or an unexpected failure of a dependency
};

// A Status is OK or carries: kind, stable code ("validation.unknown_field"), the offending field
// (may be empty) and a human detail in English and Chinese.
class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Error(ErrorKind kind, std::string code, std::string detail_en, std::string detail_zh,
                      std::string field = {}) {
    Status s;
    s.kind_ = kind;
    s.code_ = std::move(code);
    s.detail_en_ = std::move(detail_en);
    s.detail_zh_ = std::move(detail_zh);
    s.field_ = std::move(field);
    return s;
  }
  static Status Internal(std::string detail) {
    return Error(ErrorKind::kInternal, "internal", detail, "服务器内部错误: " + detail);
  }
  static Status NotFound(std::string what = "record") {
    return Error(ErrorKind::kNotFound, "not_found", what + " not found", "记录不存在");
  }

  bool ok() const { return kind_ == ErrorKind::kOk; }
  ErrorKind kind() const { return kind_; }
  const std::string& code() const { return code_; }
  const std::string& field() const { return field_; }
  const std::string& detail_en() const { return detail_en_; }
  const std::string& detail_zh() const { return detail_zh_; }
  std::string ToString() const { return ok() ? "OK" : code_ + ": " + detail_en_; }

 private:
  ErrorKind kind_ = ErrorKind::kOk;
  std::string code_, detail_en_, detail_zh_, field_;
};

// Result<T> holds a T or a non-OK Status.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}                       // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}                // NOLINT: implicit by design
  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace lf

// Early-return helpers. LF_TRY(expr) returns the Status of a failing Status expression;
// LF_ASSIGN(lhs, expr) unwraps a Result<T> or returns its Status.
#define LF_TRY(expr)                         \
  do {                                       \
    ::lf::Status lf_status_ = (expr);        \
    if (!lf_status_.ok()) return lf_status_; \
  } while (0)

#define LF_CONCAT_INNER(a, b) a##b
#define LF_CONCAT(a, b) LF_CONCAT_INNER(a, b)
#define LF_ASSIGN(lhs, expr) LF_ASSIGN_IMPL(LF_CONCAT(lf_result_, __LINE__), lhs, expr)
#define LF_ASSIGN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                   \
  if (!tmp.ok()) return tmp.status();  \
  lhs = std::move(tmp).value()
