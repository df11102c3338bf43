// Hostile clients against the real binary: what a careless or malicious peer sends
// on raw sockets (HEAD, odd Transfer-Encodings, request ids, malformed requests,
// more connections than descriptors), and money the catalog must refuse.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "auth_helpers.hpp"
#include "test_server.hpp"

using namespace cloudretail;
using namespace cloudretail::testing;
using Method = http::Method;
using namespace std::chrono_literals;

namespace {

/// A raw TCP connection to the server under test; closed on destruction.
class Raw {
 public:
  explicit Raw(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error("connect failed");
  }
  ~Raw() { close(); }
  Raw(Raw&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Raw(const Raw&) = delete;

  void send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }
  /// Everything until the server closes, or `limit` passes (then `closed()` is false).
  std::string read_until_close(std::chrono::milliseconds limit = 5s) { return read(limit, 0); }
  /// Reads until at least `bytes` arrived, the server closed, or `limit` passed.
  std::string read(std::chrono::milliseconds limit, size_t bytes) {
    std::string out;
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (bytes == 0 || out.size() < bytes) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return out;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[4096];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        return out;
      }
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }
  bool closed() const { return closed_; }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
  bool closed_ = false;
};

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

/// Splits response bytes; `head[i]` says the i-th answers a HEAD (no body follows).
std::vector<RawResponse> parse_responses(std::string bytes, const std::vector<bool>& head = {}) {
  std::vector<RawResponse> out;
  while (!bytes.empty()) {
    auto end = bytes.find("\r\n\r\n");
    if (end == std::string::npos || bytes.rfind("HTTP/1.1 ", 0) != 0) {
      out.push_back({-1, {}, bytes});  // garbage where a response should start
      break;
    }
    RawResponse r;
    r.status = std::stoi(bytes.substr(9, 3));
    std::istringstream lines(bytes.substr(0, end));
    std::string line;
    std::getline(lines, line);
    while (std::getline(lines, line)) {
      auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
      while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) value.pop_back();
      r.headers[name] = value;
    }
    bytes.erase(0, end + 4);
    size_t length = r.headers.count("content-length") ? std::stoul(r.headers["content-length"]) : 0;
    if (out.size() < head.size() && head[out.size()]) length = 0;
    r.body = bytes.substr(0, length);
    bytes.erase(0, std::min(length, bytes.size()));
    out.push_back(std::move(r));
  }
  return out;
}

/// User + system CPU the process has used, in seconds.
double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string f;
  long utime = 0, stime = 0;
  for (int i = 3; fields >> f; ++i) {
    if (i == 14) utime = std::stol(f);
    if (i == 15) {
      stime = std::stol(f);
      break;
    }
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

size_t count_lines_containing(const std::string& text, std::string_view needle) {
  size_t n = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    if (line.find(needle) != std::string::npos) ++n;
  return n;
}

const std::string kGetHealth = "GET /health HTTP/1.1\r\nHost: t\r\n\r\n";
const std::string kGetHealthAndClose = "GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";

}  // namespace

TEST(HostileClient, HeadIsAnsweredLikeGetWithoutABodyOnAKeptAliveConnection) {
  TestServer server;
  Raw c(server.port());
  // HEAD of a GET route, HEAD of a POST-only route (405), then a GET on the same connection.
  c.send(
      "HEAD /health HTTP/1.1\r\nHost: t\r\n\r\n"
      "HEAD /auth/login HTTP/1.1\r\nHost: t\r\n\r\n" +
      kGetHealthAndClose);
  auto responses = parse_responses(c.read_until_close(), {true, true, false});
  ASSERT_EQ(responses.size(), 3u);
  EXPECT_EQ(responses[0].status, 200);
  EXPECT_GT(std::stoul(responses[0].headers["content-length"]), 0u);  // GET's length, no body
  EXPECT_EQ(responses[1].status, 405);
  EXPECT_EQ(responses[1].headers["allow"], "POST");
  // Had either HEAD answer carried a body, it would stand where this response starts.
  EXPECT_EQ(responses[2].status, 200);
  EXPECT_NE(responses[2].body.find("health-service"), std::string::npos);

  // Allow lists HEAD wherever GET is allowed.
  auto r = call(server.client(), Method::kDelete, "/health");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("Allow"), "GET, HEAD");
}

TEST(HostileClient, TransferEncodingOtherThanChunkedIsRefusedAndNothingIsSmuggled) {
  TestServer server;
  for (std::string coding :
       {"xchunked", "chunked, identity", "identity", "gzip, chunked", "chunked\r\nTransfer-Encoding: chunked"}) {
    Raw c(server.port());
    // The "body" is a second request: parsed as one, it would be smuggled past a proxy.
    c.send("POST /auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: " + coding +
           "\r\n\r\n" + kGetHealth);
    auto bytes = c.read_until_close();
    EXPECT_TRUE(c.closed()) << coding;
    auto responses = parse_responses(bytes);
    ASSERT_EQ(responses.size(), 1u) << coding << "\n" << bytes;
    EXPECT_TRUE(responses[0].status == 501 || responses[0].status == 400) << coding;
    EXPECT_EQ(bytes.find("health-service"), std::string::npos) << coding;
  }
  // Plain chunked still works.
  Raw c(server.port());
  c.send(
      "POST /auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
      "Connection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
  auto responses = parse_responses(c.read_until_close());
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].status, 400);  // the body arrived: credentials missing
  EXPECT_NE(responses[0].body.find("required"), std::string::npos);
}

TEST(HostileClient, RequestIdOutsideTheRuleIsReplacedByANewOne) {
  TestServer server;
  auto answered = [&](const std::string& id) {
    Raw c(server.port());
    c.send("GET /health HTTP/1.1\r\nHost: t\r\nX-Request-Id: " + id + "\r\nConnection: close\r\n\r\n");
    auto responses = parse_responses(c.read_until_close());
    EXPECT_EQ(responses.size(), 1u);
    if (responses.empty()) return std::string();
    // The body stays valid JSON (valid UTF-8) and agrees with the header.
    boost::system::error_code ec;
    auto body = boost::json::parse(responses[0].body, ec);
    EXPECT_FALSE(ec) << responses[0].body;
    if (!ec) {
      EXPECT_EQ(body.at("requestId").as_string(), responses[0].headers["x-request-id"]);
    }
    return responses[0].headers["x-request-id"];
  };
  std::string longest(128, 'a');
  EXPECT_EQ(answered(longest), longest);
  EXPECT_EQ(answered("Req.1_a:b-C"), "Req.1_a:b-C");
  static const std::regex kRule("[A-Za-z0-9._:-]{1,128}");
  for (std::string bad : {std::string("a\xff"
                                      "b"),
                          std::string(129, 'a'), std::string("a b"), std::string("x\"y"), std::string("<script>"),
                          std::string("caf\xc3\xa9")}) {
    auto id = answered(bad);
    EXPECT_NE(id, bad);
    EXPECT_TRUE(std::regex_match(id, kRule)) << id;
  }
}

TEST(HostileClient, PricesAreReadFromTheJsonTextExactly) {
  TestServer server({.env = admin_env()});
  auto admin = bearer(login_admin(server).access_token);
  int n = 0;
  auto create = [&](const std::string& price) {
    std::string body = R"({"productId":"P-money-)" + std::to_string(++n) +
                       R"(","name":"Money","category":"test","currency":"USD","price":)" + price + "}";
    return call(server.client(), Method::kPost, "/products", body, admin);
  };
  for (const char* price : {"29.999", "10000.555", "29.990001", "1e-3", "5000.005", "-1", "0", "\"29.99\""}) {
    auto r = create(price);
    EXPECT_EQ(r.status, 400) << price << " " << r.body;
  }
  auto r = create("29.99");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_NE(r.body.find(R"("price":29.99)"), std::string::npos) << r.body;
  r = create("30");
  EXPECT_EQ(r.status, 201) << r.body;
  r = create("10000.55");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_NE(r.body.find("10000.55"), std::string::npos);
}

TEST(HostileClient, MalformedRequestsCostNoMoreMemoryThanWellFormedOnes) {
  TestServer server;
  constexpr int kConnections = 1500;
  for (int i = 0; i < 20; ++i) ASSERT_EQ(call(server.client(), Method::kGet, "/health").status, 200);
  long baseline = server.rss_kib();

  // Each malformed request is answered 400, then its connection lingers (draining)
  // for up to 2 s: all of them at once is the worst case.
  std::vector<Raw> connections;
  for (int i = 0; i < kConnections; ++i) {
    connections.emplace_back(server.port());
    connections.back().send("BAD\r\n\r\n");
  }
  int answered = 0;
  for (auto& c : connections)
    if (c.read(2s, 12).rfind("HTTP/1.1 400", 0) == 0) ++answered;
  long during = server.rss_kib();
  EXPECT_GT(answered, kConnections * 9 / 10);
  connections.clear();
  std::cout << "RSS: " << baseline / 1024 << " MiB before, " << during / 1024 << " MiB with " << kConnections
            << " malformed requests lingering\n";
  // A well-formed idle keep-alive session costs a few KiB; a 64 KiB drain buffer
  // per malformed request would add ~94 MiB here.
  EXPECT_LT(during - baseline, 32 * 1024);
  // And the server still answers.
  EXPECT_EQ(call(server.client(), Method::kGet, "/health").status, 200);
}

TEST(HostileClient, RunningOutOfDescriptorsPausesAcceptingAndLogsAtMostOnceASecond) {
  // A hard limit of 128 descriptors, and 300 idle connections.
  TestServer server({.open_files_limit = 128});
  EXPECT_NE(server.output().find("open-file limit 128 is below MAX_CONNECTIONS"), std::string::npos);
  std::vector<Raw> idle;
  for (int i = 0; i < 300; ++i) idle.emplace_back(server.port());
  std::this_thread::sleep_for(500ms);  // the server runs out of descriptors
  double cpu_before = cpu_seconds(server.pid());
  size_t lines_before = count_lines_containing(server.output(), "accept failed");
  std::this_thread::sleep_for(3s);
  double cpu = cpu_seconds(server.pid()) - cpu_before;
  size_t lines = count_lines_containing(server.output(), "accept failed") - lines_before;
  std::cout << "out of descriptors for 3 s: " << cpu << " s of CPU, " << lines << " log lines\n";
  EXPECT_GT(count_lines_containing(server.output(), "Too many open files"), 0u);
  EXPECT_LT(cpu, 0.6);   // an accept loop spinning on EMFILE burns a whole core
  EXPECT_LE(lines, 4u);  // at most one a second (plus one at a boundary)

  // Once the idle clients go, the server answers again.
  idle.clear();
  bool ok = false;
  for (int i = 0; i < 50 && !ok; ++i) {
    http::HttpClient fresh(server.base_url());
    ok = call(fresh, Method::kGet, "/health").status == 200;
    if (!ok) std::this_thread::sleep_for(200ms);
  }
  EXPECT_TRUE(ok);
}

TEST(HostileClient, ConnectionsBeyondMaxConnectionsAreClosedAtOnce) {
  TestServer server({.env = {{"MAX_CONNECTIONS", "20"}}});
  std::vector<Raw> kept;
  int served = 0, refused = 0;
  auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 30; ++i) {
    Raw c(server.port());
    c.send(kGetHealth);
    auto bytes = c.read(5s, 1);
    if (bytes.rfind("HTTP/1.1 200", 0) == 0) {
      ++served;
      kept.push_back(std::move(c));  // stays open: a kept-alive session
    } else {
      EXPECT_TRUE(bytes.empty());
      EXPECT_TRUE(c.closed());
      ++refused;
    }
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);  // refusals are prompt, not timeouts
  // The harness's own pooled connection may hold one of the 20.
  EXPECT_GE(served, 19);
  EXPECT_LE(served, 20);
  EXPECT_EQ(served + refused, 30);
  kept.clear();
  bool ok = false;
  for (int i = 0; i < 50 && !ok; ++i) {
    Raw c(server.port());
    c.send(kGetHealthAndClose);
    ok = c.read_until_close().rfind("HTTP/1.1 200", 0) == 0;
    if (!ok) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(ok);
}

TEST(HostileClient, SigtermWithIdleKeptAliveConnectionsExitsAtOnceAndClosesThem) {
  TestServer server;
  Raw kept(server.port());
  kept.send(kGetHealth);
  ASSERT_EQ(kept.read(5s, 1).rfind("HTTP/1.1 200", 0), 0u);
  Raw silent(server.port());  // connected, never sends a byte
  std::this_thread::sleep_for(200ms);

  // Idle sessions close at once: the process must not wait for the 20 s deadline
  // that only a request which never finishes should reach.
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(server.stop(SIGTERM), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_EQ(kept.read_until_close(2s), "");
  EXPECT_TRUE(kept.closed());
  EXPECT_EQ(silent.read_until_close(2s), "");
  EXPECT_TRUE(silent.closed());
}
