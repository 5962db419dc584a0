// A small router: "METHOD /api/v1/leads/{id}" patterns matched segment by segment, in registration
// order. Thread-safe after setup (read-only).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "http/server.h"
#include "identity/identity.h"

namespace lf {

using PathParams = std::map<std::string, std::string>;
enum class Lang { kZh, kEn };

// What a handler gets: the request, its path parameters, the caller (for routes with auth) and the
// language for messages.
struct Ctx {
  Request& req;
  PathParams params;
  Principal principal;
  std::string token;  // the session token the caller used, if any
  Lang lang = Lang::kZh;
};

struct Route {
  std::string method, pattern, summary, tag;
  bool auth = true;             // needs a signed-in user
  std::string request_schema;   // OpenAPI component for the body, if any
  std::string response_schema;  // OpenAPI component for a 2xx body, if any
  std::function<Response(Ctx&)> handler;
};

class Router {
 public:
  void Add(Route r);
  // Finds the route. Returns nullptr and sets *path_matched when only the method differs.
  const Route* Match(const std::string& method, const std::string& path, PathParams* params,
                     bool* path_matched) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> segments_;
};

}  // namespace lf
