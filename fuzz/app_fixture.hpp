#pragma once
/// The whole shop in a fuzzer's process: the app wired as `cloudretail serve` wires
/// it (SQLite in a fresh directory under /dev/shm, no background loops), behind the
/// real HTTP server code driven by Server::answer_bytes, and an admin token.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cloudretail::fuzz {

class AppFixture {
 public:
  /// Built on first use, kept for the process (libFuzzer calls the target millions of times).
  static AppFixture& get();

  /// The bytes the server answers to `bytes` arriving on one connection.
  std::string answer(std::string_view bytes);
  const std::string& admin_token() const { return admin_token_; }

  /// Stops the fuzzer (a finding) when a response's status is a 5xx other than 501/503
  /// (bad input must get a 4xx), or when the answer does not frame as responses.
  static void require_no_500(const std::string& input, const std::string& answer);

 private:
  AppFixture();
  struct State;
  State* state_;
  std::string admin_token_;
};

/// The status of each response in `answer` (pipelined responses, back to back), read
/// from their status lines; nullopt when the bytes do not frame as responses.
std::optional<std::vector<int>> response_statuses(std::string_view answer);

}  // namespace cloudretail::fuzz
