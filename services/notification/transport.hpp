#pragma once
/// Where a rendered message goes. OutboxTransport (default) writes .eml files;
/// SmtpTransport speaks SMTP through libcurl. Both are safe to call from several
/// threads at once.
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>

#include "core/result.hpp"

namespace cloudretail::notification {

struct OutgoingMessage {
  std::string id;             // queue id, stable across retries
  std::string envelope_from;  // bare address
  std::string envelope_to;    // bare address
  std::string data;           // the whole RFC 5322 message, CRLF line ends
  int64_t created_at_ms = 0;
};

/// Error names a transport gives a failed delivery (Error::name).
inline constexpr const char* kTransportDown = "TransportDown";      // no connection: skip inline attempts a while
inline constexpr const char* kMessageRejected = "MessageRejected";  // permanent (SMTP 5xx): do not retry

class Transport {
 public:
  virtual ~Transport() = default;
  /// kUnavailable when the message did not go out: kTransportDown when the server
  /// could not be reached, kMessageRejected when it refused this message for good,
  /// any other name for a failure worth retrying.
  virtual Status deliver(const OutgoingMessage& message) = 0;
  /// For logs: "outbox /data/outbox" or "smtp 127.0.0.1:2525" (never credentials).
  virtual std::string describe() const = 0;
};

/// Writes <dir>/<created>-<id>.eml atomically: an unnamed file (O_TMPFILE), written and
/// fsynced, then linked under its name; a file system without O_TMPFILE gets a dot-named
/// temp file and a rename. The name only ever holds a whole, synced message, so a retry
/// that finds it there is done, and a crash between the write and the queue update never
/// leaves two copies. The directory's fsync (which makes the name durable) is shared:
/// one covers every delivery linked before it started.
class OutboxTransport final : public Transport {
 public:
  /// Creates the directory; throws std::runtime_error when it cannot.
  explicit OutboxTransport(std::string dir);
  Status deliver(const OutgoingMessage& message) override;
  std::string describe() const override { return "outbox " + dir_; }
  const std::string& dir() const { return dir_; }

 private:
  Status write_named(const std::string& final_path, const std::string& data);
  Status write_renamed(const std::string& final_path, const std::string& data);
  /// Returns once a directory fsync that started after this call has finished.
  void sync_directory();

  std::string dir_;
  std::mutex sync_mutex_;
  std::condition_variable synced_;
  uint64_t linked_ = 0;   // deliveries that named their file, counted
  uint64_t durable_ = 0;  // the names of deliveries up to this count are synced
  bool syncing_ = false;
};

struct SmtpSettings {
  std::string url;        // smtp://host:port or smtps://host:port (userinfo allowed)
  std::string user;       // SMTP_USER (overrides URL userinfo)
  std::string password;   // SMTP_PASSWORD; never logged
  bool starttls = false;  // require STARTTLS (CURLUSESSL_ALL)
  long connect_timeout_ms = 5000;
  long timeout_ms = 5000;  // whole transaction: a stalled server cannot hold a request long
};

class SmtpTransport final : public Transport {
 public:
  explicit SmtpTransport(SmtpSettings settings);
  Status deliver(const OutgoingMessage& message) override;
  std::string describe() const override;

 private:
  SmtpSettings settings_;
};

}  // namespace cloudretail::notification
