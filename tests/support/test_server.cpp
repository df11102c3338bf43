#include "test_server.hpp"

#include "pg_cluster.hpp"

#include <fcntl.h>
#include <signal.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace cloudretail::testing {

namespace {

std::vector<std::string> build_env(const std::map<std::string, std::string>& overrides) {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    auto eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const auto& [k, v] : overrides) env[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

pid_t spawn(const std::vector<std::string>& args, const std::vector<std::string>& env, const std::string& log_path,
            long open_files_limit) {
  std::vector<char*> argv;
  std::string bin = binary_path();
  argv.push_back(bin.data());
  std::vector<std::string> args_copy = args;
  for (auto& a : args_copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_copy = env;
  std::vector<char*> envp;
  for (auto& e : env_copy) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    if (open_files_limit > 0) {
      struct rlimit limit {
        static_cast<rlim_t>(open_files_limit), static_cast<rlim_t>(open_files_limit)
      };
      setrlimit(RLIMIT_NOFILE, &limit);
    }
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  return pid;
}

int wait_status(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// CLOUDRETAIL_TEST_DATABASE=pg: unless the test chose DATABASE_URL itself, a
/// DATA_DIR gets its own fresh PostgreSQL database, the same one each time it is
/// used in this process (restarts, `migrate`/`seed` then `serve`, split processes).
void use_postgres_if_asked(std::map<std::string, std::string>& env) {
  if (!testing_on_postgres() || env.count("DATABASE_URL") || !env.count("DATA_DIR")) return;
  static std::mutex mutex;
  static std::map<std::string, std::string> url_by_dir;
  std::lock_guard lock(mutex);
  auto& url = url_by_dir[env.at("DATA_DIR")];
  if (url.empty()) {
    auto fresh = fresh_pg_database();
    if (!fresh) throw std::runtime_error("CLOUDRETAIL_TEST_DATABASE=pg but no CLOUDRETAIL_TEST_PG_URL[_FILE]");
    url = *fresh;
  }
  env["DATABASE_URL"] = url;
}

/// Check (3) of the OpenAPI document: every exchange a test makes is appended as
/// one JSON line to a file of this process under CLOUDRETAIL_EXCHANGE_LOG_DIR
/// (default: the build's openapi-exchanges/; empty turns it off), and
/// tests/openapi/validate_exchanges.js checks them after the suites ran.
void log_exchange(const http::ClientRequest& req, const Reply& reply) {
  static const std::string dir = [] {
    const char* env = std::getenv("CLOUDRETAIL_EXCHANGE_LOG_DIR");
#ifdef CLOUDRETAIL_EXCHANGE_LOG_DIR
    if (!env) env = CLOUDRETAIL_EXCHANGE_LOG_DIR;
#endif
    return std::string(env ? env : "");
  }();
  if (dir.empty() || reply.status == 0) return;
  boost::json::object x;
  x["method"] = http::method_name(req.method);
  x["target"] = req.target;
  x["status"] = reply.status;
  boost::json::array headers;
  bool textual = false;
  for (const auto& [k, v] : reply.headers) {
    headers.push_back(boost::json::array{boost::json::string(k), boost::json::string(v)});
    if (strcasecmp(k.c_str(), "Content-Type") == 0)
      textual = v.find("json") != std::string::npos || v.rfind("text/", 0) == 0;
  }
  x["headers"] = std::move(headers);
  if (textual) x["body"] = reply.body;  // binary media are checked by status and type only
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::ofstream(dir + "/exchanges-" + std::to_string(::getpid()) + ".jsonl", std::ios::app)
      << boost::json::serialize(x) << '\n';
}

}  // namespace

std::string binary_path() {
#ifdef CLOUDRETAIL_BINARY
  return CLOUDRETAIL_BINARY;
#else
  return "build/cloudretail";
#endif
}

TestServer::TestServer(ServerOptions options) : options_(std::move(options)) {
  if (options_.data_dir.empty()) {
    data_dir_ = make_temp_dir();
    own_dir_ = true;
  } else {
    data_dir_ = options_.data_dir;
  }
  log_path_ = data_dir_ + "/server.log";
  start();
}

TestServer::~TestServer() {
  if (pid_ > 0) stop(SIGKILL);
  if (own_dir_ && !std::getenv("KEEP_TEST_DIRS")) {
    std::error_code ec;
    std::filesystem::remove_all(data_dir_, ec);
  }
}

std::string TestServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void TestServer::start() {
  std::map<std::string, std::string> env{{"PORT", "0"},
                                         {"HOST", "127.0.0.1"},
                                         {"DATA_DIR", data_dir_},
                                         {"SERVICE_TOKEN", kServiceToken},
                                         {"LOG_LEVEL", "info"}};
  for (const auto& [k, v] : options_.env) env[k] = v;
  use_postgres_if_asked(env);
  // Log offset: a restart appends to the same file; look only at new output.
  std::error_code ec;
  auto offset = std::filesystem::exists(log_path_, ec) ? std::filesystem::file_size(log_path_, ec) : 0;
  pid_ = spawn(options_.args, build_env(env), log_path_, options_.open_files_limit);
  if (!options_.wait_ready) return;

  static const std::regex kListening(R"(listening on http://[^:]+:(\d+))");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    std::string out = read_file(log_path_);
    if (out.size() > offset) {
      std::smatch m;
      std::string fresh = out.substr(offset);
      if (std::regex_search(fresh, m, kListening)) {
        port_ = static_cast<uint16_t>(std::stoi(m[1]));
        client_ = std::make_unique<http::HttpClient>(base_url());
        return;
      }
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("cloudretail exited before listening:\n" + read_file(log_path_));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("cloudretail did not start within 30 s:\n" + read_file(log_path_));
}

int TestServer::stop(int signal) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, signal);
  int status = wait_status(pid_);
  pid_ = -1;
  client_.reset();
  return status;
}

void TestServer::restart() {
  if (pid_ > 0) stop(SIGKILL);
  start();
}

std::string TestServer::output() const { return read_file(log_path_); }

long TestServer::rss_kib() const {
  if (pid_ <= 0) return -1;
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

int run_command(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                std::string* output) {
  std::string dir = make_temp_dir("cloudretail-cmd-");
  std::string log = dir + "/out.log";
  auto with_db = env;
  use_postgres_if_asked(with_db);
  pid_t pid = spawn(args, build_env(with_db), log, 0);
  int status = wait_status(pid);
  if (output) *output = read_file(log);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return status;
}

std::string Reply::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
  return {};
}

Reply call(http::HttpClient& client, http::Method method, const std::string& target, const std::string& body,
           Headers headers) {
  http::ClientRequest req;
  req.method = method;
  req.target = target;
  req.body = body;
  req.headers = std::move(headers);
  req.timeout = std::chrono::seconds(30);
  auto res = client.send(req);
  Reply r;
  if (!res) {
    r.status = 0;
    r.body = res.error().message;
    return r;
  }
  r.status = res->status;
  r.body = res->body;
  r.headers = res->headers;
  boost::system::error_code ec;
  r.json = boost::json::parse(r.body, ec);
  if (ec) r.json = nullptr;
  log_exchange(req, r);
  return r;
}

Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
Headers service_token() { return {{"X-Service-Token", kServiceToken}}; }

std::string msg(const Reply& r) {
  const auto* message = r.json.is_object() ? r.json.as_object().if_contains("message") : nullptr;
  return message && message->is_string() ? std::string(message->as_string()) : "<" + r.body + ">";
}

std::string target_of(const std::string& url) {
  auto scheme = url.find("://");
  auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

}  // namespace cloudretail::testing
