// Implements http/metrics.h.
#include "http/metrics.h"

namespace lf {

void Metrics::Observe(int status, int64_t micros) {
  int cls = status / 100;
  if (cls >= 1 && cls <= 5) by_class_[cls]++;
  size_t i = 0;
  while (i < kBucketsUs.size() && micros > kBucketsUs[i]) ++i;
  buckets_[i]++;
  count_++;
  sum_us_ += uint64_t(micros);
}

std::string Metrics::Render(const std::string& extra) const {
  std::string out;
  out += "# HELP leadflow_http_requests_total HTTP requests by status class.\n";
  out += "# TYPE leadflow_http_requests_total counter\n";
  for (int c = 1; c <= 5; ++c)
    out += "leadflow_http_requests_total{code=\"" + std::to_string(c) + "xx\"} " +
           std::to_string(by_class_[c].load()) + "\n";
  out += "# HELP leadflow_http_request_duration_seconds Handler latency.\n";
  out += "# TYPE leadflow_http_request_duration_seconds histogram\n";
  uint64_t cum = 0;
  for (size_t i = 0; i < kBucketsUs.size(); ++i) {
    cum += buckets_[i].load();
    out += "leadflow_http_request_duration_seconds_bucket{le=\"" +
           std::to_string(double(kBucketsUs[i]) / 1e6) + "\"} " + std::to_string(cum) + "\n";
  }
  cum += buckets_[kBucketsUs.size()].load();
  out += "leadflow_http_request_duration_seconds_bucket{le=\"+Inf\"} " + std::to_string(cum) + "\n";
  out += "leadflow_http_request_duration_seconds_sum " + std::to_string(double(sum_us_.load()) / 1e6) + "\n";
  out += "leadflow_http_request_duration_seconds_count " + std::to_string(count_.load()) + "\n";
  return out + extra;
}

}  // namespace lf
