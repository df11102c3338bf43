#pragma once
/// Prometheus metrics: per-route request counts by status and a latency
/// histogram (lock-free on the request path), plus named counters the services
/// register at start (orders, payments, stock-outs, emails).
#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace cloudretail::http {

class Metrics {
 public:
  /// Sizes the per-route tables; call once all routes are added.
  void set_routes(std::vector<std::string> route_labels);
  /// route_index = Route::index, or -1 for requests no route matched.
  void observe(int route_index, int status, int64_t micros);

  /// A counter `name` (with help text); the same reference for the same name.
  std::atomic<uint64_t>& counter(const std::string& name, const std::string& help);
  /// A gauge read from a callback when /metrics is scraped.
  void gauge(const std::string& name, const std::string& help, std::function<int64_t()> read);

  /// One labelled sample of a gauge family: `labels` is the text inside the
  /// braces (`state="PENDING"`), values are escaped by the caller.
  struct Sample {
    std::string labels;
    double value = 0;
  };
  /// A gauge with labels (orders by state, database stats), read when scraped.
  /// The callback may return no samples (e.g. the database is down).
  void gauge_family(const std::string& name, const std::string& help, std::function<std::vector<Sample>()> read);
  /// A counter kept elsewhere (e.g. the database's totals), read when scraped.
  void counter_family(const std::string& name, const std::string& help, std::function<std::vector<Sample>()> read);

  std::string render() const;

 private:
  static constexpr std::array<int, 16> kStatuses{200, 201, 202, 204, 400, 401, 403, 404,
                                                 405, 409, 413, 422, 429, 500, 503, 0};
  static constexpr std::array<double, 15> kBucketsSeconds{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                          0.05,   0.1,     0.25,   0.5,   1,      2.5,   10};
  struct RouteStats {
    std::string label;
    std::array<std::atomic<uint64_t>, kStatuses.size()> by_status{};
    std::array<std::atomic<uint64_t>, kBucketsSeconds.size() + 1> buckets{};
    std::atomic<uint64_t> sum_micros{0};
  };
  struct Counter {
    std::string name, help;
    std::atomic<uint64_t> value{0};
  };
  struct Gauge {
    std::string name, help;
    std::function<int64_t()> read;
  };
  struct Family {
    std::string name, help, type;  // type: gauge | counter
    std::function<std::vector<Sample>()> read;
  };

  std::vector<std::unique_ptr<RouteStats>> routes_;  // last one: unmatched
  mutable std::mutex mutex_;                         // guards counters_ and gauges_ registration
  std::deque<Counter> counters_;
  std::deque<Gauge> gauges_;
  std::deque<Family> families_;
};

}  // namespace cloudretail::http
