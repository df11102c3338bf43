#pragma once
/// The whole shop in a fuzzer's process: the app wired as `cloudretail serve` wires
/// it (SQLite in a fresh directory under /dev/shm, no background loops), behind the
/// real HTTP server code driven by Server::answer_bytes, and an admin token.
#include <string>
#include <string_view>

namespace cloudretail::fuzz {

class AppFixture {
 public:
  /// Built on first use, kept for the process (libFuzzer calls the target millions of times).
  static AppFixture& get();

  /// The bytes the server answers to `bytes` arriving on one connection.
  std::string answer(std::string_view bytes);
  const std::string& admin_token() const { return admin_token_; }

  /// Stops the fuzzer (a finding) when an answer is a 500: bad input must get a 4xx.
  static void require_no_500(const std::string& input, const std::string& answer);

 private:
  AppFixture();
  struct State;
  State* state_;
  std::string admin_token_;
};

/// Percent-encodes bytes for a query value or a path segment.
std::string percent_encode(std::string_view bytes);

}  // namespace cloudretail::fuzz
