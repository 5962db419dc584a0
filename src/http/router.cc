// Implements http/router.h.
#include "http/router.h"

#include "base/strings.h"

namespace lf {

void Router::Add(Route r) {
  segments_.push_back(Split(r.pattern, '/'));
  routes_.push_back(std::move(r));
}

const Route* Router::Match(const std::string& method, const std::string& path, PathParams* params,
                           bool* path_matched) const {
  auto parts = Split(path, '/');
  *path_matched = false;
  for (size_t i = 0; i < routes_.size(); ++i) {
    const auto& segs = segments_[i];
    if (segs.size() != parts.size()) continue;
    PathParams p;
    bool ok = true;
    for (size_t k = 0; k < segs.size() && ok; ++k) {
      const auto& s = segs[k];
      if (s.size() > 2 && s.front() == '{' && s.back() == '}') {
        if (parts[k].empty()) ok = false;
        else p[s.substr(1, s.size() - 2)] = parts[k];
      } else if (s != parts[k]) {
        ok = false;
      }
    }
    if (!ok) continue;
    if (routes_[i].method != method) {
      *path_matched = true;
      continue;
    }
    *params = std::move(p);
    return &routes_[i];
  }
  return nullptr;
}

}  // namespace lf
