#pragma once
/// Starts the real `cloudretail` binary on a free port with a fresh temporary
/// DATA_DIR, and talks HTTP to it. Every integration and e2e test uses this.
#include <sys/types.h>

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fresh_database.hpp"  // make_temp_dir
#include "http/client.hpp"

namespace cloudretail::testing {

inline constexpr const char* kServiceToken = "test-service-token-0123456789";

struct ServerOptions {
  std::map<std::string, std::string> env;  // on top of the defaults below
  std::vector<std::string> args{"serve"};
  std::string data_dir;       // empty = a fresh temporary directory
  bool wait_ready = true;     // wait for the listening line
  long open_files_limit = 0;  // > 0: the child's RLIMIT_NOFILE (soft and hard)
};

class TestServer {
 public:
  explicit TestServer(ServerOptions options = {});
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  uint16_t port() const { return port_; }
  std::string base_url() const;
  const std::string& data_dir() const { return data_dir_; }
  http::HttpClient& client() { return *client_; }

  /// Sends a signal (SIGKILL by default) and waits; returns the exit status
  /// (exit code, or 128 + signal).
  int stop(int signal = 9);
  /// Starts the binary again on the same DATA_DIR and environment (new port).
  void restart();
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  /// The process's resident set now (VmRSS, KiB); -1 when it is not running.
  long rss_kib() const;
  /// What the process printed (stdout and stderr).
  std::string output() const;

 private:
  void start();

  ServerOptions options_;
  std::string data_dir_;
  bool own_dir_ = false;
  std::string log_path_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::unique_ptr<http::HttpClient> client_;
};

/// Runs the binary to completion (e.g. `migrate`, `seed`) with the given env; returns exit code.
int run_command(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                std::string* output = nullptr);

/// Path of the built binary.
std::string binary_path();

// HTTP shorthands for tests.
struct Reply {
  int status = 0;
  std::string body;
  boost::json::value json;  // null when the body is not JSON
  std::vector<std::pair<std::string, std::string>> headers;
  std::string header(std::string_view name) const;
};
using Headers = std::vector<std::pair<std::string, std::string>>;
Reply call(http::HttpClient& client, http::Method method, const std::string& target, const std::string& body = "",
           Headers headers = {});
Headers bearer(const std::string& token);
Headers service_token();
/// The answer's "message" field, or the whole body in <…>: for assertion output.
std::string msg(const Reply& r);
/// Path and query of an absolute URL (a signed media URL), to send through the test client.
std::string target_of(const std::string& url);

}  // namespace cloudretail::testing
