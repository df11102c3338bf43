#pragma once
/// Time as milliseconds since the Unix epoch, behind an interface so tests can
/// move it (order expiry, code expiry, token expiry).
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cloudretail {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t now_ms() const = 0;
  int64_t now_seconds() const { return now_ms() / 1000; }
};

class SystemClock final : public Clock {
 public:
  int64_t now_ms() const override;
};

/// A clock tests set and advance by hand.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_ms = 1'770'112'800'000) : now_(start_ms) {}
  int64_t now_ms() const override { return now_.load(); }
  void set_ms(int64_t ms) { now_ = ms; }
  void advance_ms(int64_t ms) { now_ += ms; }

 private:
  std::atomic<int64_t> now_;
};

/// 2026-02-03T10:00:00.000Z, whatever the machine's time zone.
std::string format_timestamp(int64_t epoch_ms);
/// The inverse of format_timestamp (accepts only that exact shape).
std::optional<int64_t> parse_timestamp(std::string_view iso);

}  // namespace cloudretail
