#include "http/metrics.hpp"

#include <fmt/format.h>

namespace cloudretail::http {

void Metrics::set_routes(std::vector<std::string> route_labels) {
  routes_.clear();
  route_labels.emplace_back("unmatched");
  for (auto& label : route_labels) {
    auto stats = std::make_unique<RouteStats>();
    stats->label = std::move(label);
    routes_.push_back(std::move(stats));
  }
}

void Metrics::observe(int route_index, int status, int64_t micros) {
  if (routes_.empty()) return;
  size_t idx = (route_index < 0 || static_cast<size_t>(route_index) >= routes_.size() - 1)
                   ? routes_.size() - 1
                   : static_cast<size_t>(route_index);
  RouteStats& stats = *routes_[idx];
  size_t s = kStatuses.size() - 1;
  for (size_t i = 0; i + 1 < kStatuses.size(); ++i)
    if (kStatuses[i] == status) {
      s = i;
      break;
    }
  stats.by_status[s].fetch_add(1, std::memory_order_relaxed);
  double seconds = static_cast<double>(micros) / 1e6;
  size_t b = kBucketsSeconds.size();
  for (size_t i = 0; i < kBucketsSeconds.size(); ++i)
    if (seconds <= kBucketsSeconds[i]) {
      b = i;
      break;
    }
  stats.buckets[b].fetch_add(1, std::memory_order_relaxed);
  stats.sum_micros.fetch_add(static_cast<uint64_t>(micros), std::memory_order_relaxed);
}

std::atomic<uint64_t>& Metrics::counter(const std::string& name, const std::string& help) {
  std::lock_guard lock(mutex_);
  for (auto& c : counters_)
    if (c.name == name) return c.value;
  auto& c = counters_.emplace_back();
  c.name = name;
  c.help = help;
  return c.value;
}

void Metrics::gauge(const std::string& name, const std::string& help, std::function<int64_t()> read) {
  std::lock_guard lock(mutex_);
  gauges_.push_back(Gauge{name, help, std::move(read)});
}

void Metrics::gauge_family(const std::string& name, const std::string& help,
                           std::function<std::vector<Sample>()> read) {
  std::lock_guard lock(mutex_);
  families_.push_back(Family{name, help, "gauge", std::move(read)});
}

void Metrics::counter_family(const std::string& name, const std::string& help,
                             std::function<std::vector<Sample>()> read) {
  std::lock_guard lock(mutex_);
  families_.push_back(Family{name, help, "counter", std::move(read)});
}

std::string Metrics::render() const {
  std::string out;
  out += "# HELP cloudretail_http_requests_total HTTP requests by route, method and status.\n";
  out += "# TYPE cloudretail_http_requests_total counter\n";
  for (const auto& r : routes_)
    for (size_t i = 0; i < kStatuses.size(); ++i) {
      uint64_t n = r->by_status[i].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out += fmt::format("cloudretail_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", r->label,
                         kStatuses[i] == 0 ? std::string("other") : std::to_string(kStatuses[i]), n);
    }
  out += "# HELP cloudretail_http_request_duration_seconds Request latency by route.\n";
  out += "# TYPE cloudretail_http_request_duration_seconds histogram\n";
  for (const auto& r : routes_) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i < r->buckets.size(); ++i) cumulative += r->buckets[i].load(std::memory_order_relaxed);
    if (cumulative == 0) continue;
    uint64_t running = 0;
    for (size_t i = 0; i < kBucketsSeconds.size(); ++i) {
      running += r->buckets[i].load(std::memory_order_relaxed);
      out += fmt::format("cloudretail_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", r->label,
                         kBucketsSeconds[i], running);
    }
    out += fmt::format("cloudretail_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", r->label,
                       cumulative);
    out += fmt::format("cloudretail_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", r->label,
                       static_cast<double>(r->sum_micros.load(std::memory_order_relaxed)) / 1e6);
    out += fmt::format("cloudretail_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", r->label, cumulative);
  }
  std::lock_guard lock(mutex_);
  for (const auto& c : counters_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} counter\n{} {}\n", c.name, c.help, c.name, c.name,
                       c.value.load(std::memory_order_relaxed));
  }
  for (const auto& g : gauges_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n{} {}\n", g.name, g.help, g.name, g.name, g.read());
  }
  for (const auto& f : families_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", f.name, f.help, f.name, f.type);
    for (const auto& sample : f.read())
      out += sample.labels.empty() ? fmt::format("{} {}\n", f.name, sample.value)
                                   : fmt::format("{}{{{}}} {}\n", f.name, sample.labels, sample.value);
  }
  return out;
}

}  // namespace cloudretail::http
