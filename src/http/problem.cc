// Status → RFC 9457 problem+json, and JSON responses.
#include <boost/beast/http/status.hpp>

#include "http/api.h"

namespace lf {

int HttpStatusFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kOk: return 200;
    case ErrorKind::kInvalidArgument: return 400;
    case ErrorKind::kValidation: return 422;
    case ErrorKind::kUnauthenticated: return 401;
    case ErrorKind::kPermissionDenied: return 403;
    case ErrorKind::kNotFound: return 404;
    case ErrorKind::kConflict: return 409;
    case ErrorKind::kPreconditionFailed: return 412;
    case ErrorKind::kTooLarge: return 413;
    case ErrorKind::kTooManyRequests: return 429;
    case ErrorKind::kUnavailable: return 503;
    case ErrorKind::kInternal: return 500;
  }
  return 500;
}

Response Problem(const Status& s, Lang lang) {
  int status = HttpStatusFor(s.kind());
  nlohmann::json body = {
      {"type", "https://leadflow.cn/problems/" + s.code()},
      {"title", std::string(boost::beast::http::obsolete_reason(boost::beast::http::status(status)))},
      {"status", status},
      {"code", s.code()},
      {"detail", lang == Lang::kEn ? s.detail_en() : s.detail_zh()}};
  if (!s.field().empty()) body["field"] = s.field();
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = body.dump();
  if (status == 429) r.headers.emplace_back("Retry-After", "900");
  return r;
}

std::string QueryParam(const Request& req, const std::string& key) {
  for (const auto& [k, v] : req.query)
    if (k == key) return v;
  return "";
}

Response JsonResponse(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

}  // namespace lf
