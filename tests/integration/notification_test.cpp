// The notification service over real HTTP, against the real binary: outbox files
// and a real SMTP server (aiosmtpd, tests/support/smtp_sink.py). Every message is
// parsed with Python's `email` package (tests/support/parse_eml.py).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "parse_eml.hpp"
#include "test_server.hpp"

using namespace cloudretail;
using namespace cloudretail::testing;
using Method = http::Method;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

const std::string kSupportDir = CLOUDRETAIL_TEST_SUPPORT_DIR;

// aiosmtpd comes from Debian's python3-aiosmtpd, which only the system Python sees.
std::string python() { return fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3"; }

bool has_aiosmtpd() {
  static const bool ok = std::system((python() + " -c 'import aiosmtpd' >/dev/null 2>&1").c_str()) == 0;
  return ok;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string str(const json::object& o, const char* key) {
  const auto& v = o.at(key);
  return v.is_string() ? std::string(v.as_string()) : std::string();
}

std::vector<std::string> eml_files(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".eml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> wait_for_files(const std::string& dir, size_t count, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto files = eml_files(dir);
    if (files.size() >= count || std::chrono::steady_clock::now() > deadline) return files;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

/// aiosmtpd on a fixed port, saving each message to a directory; can be stopped
/// and started again on the same port.
class SmtpSink {
 public:
  SmtpSink(uint16_t port, std::string dir) : port_(port), dir_(std::move(dir)) { fs::create_directories(dir_); }
  /// "user:password": the sink then requires SMTP AUTH with these.
  void require_auth(std::string credentials) { auth_ = std::move(credentials); }
  ~SmtpSink() { stop(); }

  void start() {
    std::string log = dir_ + "/../smtp-sink.log";
    std::string script = kSupportDir + "/smtp_sink.py";
    std::string py = python();
    std::string port = std::to_string(port_);
    pid_ = fork();
    if (pid_ == 0) {
      if (!auth_.empty()) setenv("SINK_AUTH", auth_.c_str(), 1);
      int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
      }
      execl(py.c_str(), py.c_str(), script.c_str(), port.c_str(), dir_.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
      if (read_file(log).find("READY") != std::string::npos) return;
      int status;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("smtp sink exited: " + read_file(log));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("smtp sink did not start: " + read_file(log));
  }
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  const std::string& dir() const { return dir_; }

 private:
  uint16_t port_;
  std::string dir_;
  std::string auth_;
  pid_t pid_ = -1;
};

Reply notify(TestServer& server, const std::string& type, const std::string& body) {
  return call(server.client(), Method::kPost, "/notifications/" + type, body, service_token());
}

int64_t metric(TestServer& server, const std::string& name) {
  auto r = call(server.client(), Method::kGet, "/metrics", "", service_token());
  std::smatch m;
  if (!std::regex_search(r.body, m, std::regex("\n" + name + " (\\d+)"))) return -1;
  return std::stoll(m[1]);
}

struct Expectation {
  std::string type, body, subject_part;
  std::vector<std::string> text_parts, html_parts;
};

const std::vector<Expectation>& all_templates() {
  static const std::vector<Expectation> kAll = {
      {"user-registered",
       R"({"email":"reg@example.com","userId":"U1001"})",
       "Welcome to Acme Shop",
       {"Hi U1001, your account has been created successfully.", "Thanks,\nAcme Shop\n"},
       {"<h2>Welcome to Acme Shop \xF0\x9F\x8E\x89</h2>",
        "<p>Hi <b>U1001</b>, your account has been created successfully.</p>", "<p>Thanks,<br/>Acme Shop</p>"}},
      {"order-confirmed",
       R"({"email":"buyer@example.com","userId":"U1001","orderId":"O-a1b2c3d4","amount":109.97,"currency":"USD"})",
       "Order Confirmed",
       {"Hi U1001,\n\nYour order O-a1b2c3d4 is confirmed.\nTotal: 109.97 USD\n\nThanks,\nAcme Shop\n"},
       {"<h2>\xE2\x9C\x85 Order Confirmed</h2>", "<p>Your order <b>O-a1b2c3d4</b> is confirmed.</p>",
        "<p><b>Total:</b> 109.97 USD</p>", "<p>Thanks,<br/>Acme Shop</p>"}},
      {"payment-failed",
       R"({"email":"buyer@example.com","userId":"U1001","orderId":"O-a1b2c3d4"})",
       "Payment Failed",
       {"Hi U1001,\n\nYour payment for order O-a1b2c3d4 failed.\nPlease try again.\n\nThanks,\nAcme Shop\n"},
       {"<h2>\xE2\x9D\x8C Payment Failed</h2>", "<p>Your payment for order <b>O-a1b2c3d4</b> failed.</p>",
        "<p>Please try again.</p>"}},
      {"verification-code",
       R"({"email":"new@example.com","userId":"7c1e0f2a-0000-4000-8000-000000000001","code":"493817"})",
       "verification code",
       {"Your Acme Shop verification code is:\n\n493817\n"},
       {"493817"}},
      {"password-reset-code",
       R"({"email":"forgot@example.com","userId":"7c1e0f2a-0000-4000-8000-000000000002","code":"051234"})",
       "password reset code",
       {"Your Acme Shop password reset code is:\n\n051234\n", "It expires in one hour."},
       {"<h2>Your Acme Shop password reset code</h2>", "051234"}},
  };
  return kAll;
}

std::string to_of(const Expectation& e) { return std::string(json::parse(e.body).at("email").as_string()); }

void expect_message(const json::object& m, const Expectation& e) {
  SCOPED_TRACE(e.type);
  EXPECT_EQ(str(m, "contentType"), "multipart/alternative");
  EXPECT_EQ(str(m, "to"), to_of(e));
  EXPECT_EQ(str(m, "from"), "Acme Shop <shop@acme.example>");
  EXPECT_NE(str(m, "subject").find(e.subject_part), std::string::npos) << str(m, "subject");
  EXPECT_NE(str(m, "subject").find("Acme Shop"), std::string::npos) << str(m, "subject");
  EXPECT_FALSE(str(m, "date").empty());
  EXPECT_FALSE(str(m, "messageId").empty());
  EXPECT_EQ(str(m, "mimeVersion"), "1.0");
  EXPECT_EQ(m.at("defects").as_array().size(), 0u);
  std::string text = str(m, "text"), html = str(m, "html");
  for (const auto& t : e.text_parts) EXPECT_NE(text.find(t), std::string::npos) << "text lacks: " << t << "\n" << text;
  for (const auto& h : e.html_parts) EXPECT_NE(html.find(h), std::string::npos) << "html lacks: " << h << "\n" << html;
}

ServerOptions shop_options(std::map<std::string, std::string> extra = {}) {
  ServerOptions o;
  o.env = {{"APP_NAME", "Acme Shop"}, {"SES_FROM_EMAIL", "shop@acme.example"}, {"LOG_LEVEL", "warn"}};
  for (auto& [k, v] : extra) o.env[k] = v;
  return o;
}

}  // namespace

TEST(NotificationOutbox, EachTemplateIsWrittenAsAParsableEmlFile) {
  TestServer server(shop_options());
  const std::string outbox = server.data_dir() + "/outbox";
  for (const auto& e : all_templates()) {
    auto r = notify(server, e.type, e.body);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json.at("message").as_string(), "Notification sent");
    EXPECT_EQ(r.json.at("type").as_string(), e.type);
    EXPECT_EQ(r.json.at("toEmail").as_string(), to_of(e));
    // Delivered at once means the file is already there, complete.
    auto files = eml_files(outbox);
    ASSERT_FALSE(files.empty());
    expect_message(parse_eml(files.back()), e);
    // Each file holds one message; the newest is this one.
    EXPECT_EQ(files.size(), static_cast<size_t>(&e - &all_templates()[0] + 1));
  }
  // The verification code is the first 6-digit run in its raw file (the fourth written).
  auto files = eml_files(outbox);
  ASSERT_GE(files.size(), 4u);
  std::string raw = read_file(files[3]);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(raw, m, std::regex(R"(\b\d{6}\b)")));
  EXPECT_EQ(m.str(), "493817");
  // No temporary files left behind.
  for (const auto& e : fs::directory_iterator(outbox)) EXPECT_EQ(e.path().extension(), ".eml") << e.path();
  EXPECT_EQ(metric(server, "cloudretail_emails_sent_total"), static_cast<int64_t>(all_templates().size()));
}

TEST(NotificationOutbox, ConcurrentRequestsEachWriteExactlyOneFile) {
  TestServer server(shop_options());
  constexpr int kThreads = 8, kPerThread = 10;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      http::HttpClient client(server.base_url());
      for (int i = 0; i < kPerThread; ++i) {
        std::string body =
            R"({"email":"u)" + std::to_string(t) + "-" + std::to_string(i) + R"(@example.com","userId":"U1"})";
        auto r = call(client, Method::kPost, "/notifications/user-registered", body, service_token());
        if (r.status == 200) ++ok;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), kThreads * kPerThread);
  // The worker has nothing left to send twice.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto files = eml_files(server.data_dir() + "/outbox");
  EXPECT_EQ(files.size(), static_cast<size_t>(kThreads * kPerThread));
  std::set<std::string> recipients;
  for (const auto& f : files) {
    std::string raw = read_file(f);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(raw, m, std::regex("\r\nTo: ([^\r]+)\r\n")));
    recipients.insert(m[1]);
  }
  EXPECT_EQ(recipients.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(metric(server, "cloudretail_emails_sent_total"), kThreads * kPerThread);
  EXPECT_EQ(metric(server, "cloudretail_emails_queued"), 0);
}

TEST(NotificationOutbox, UserIdIsEscapedInHtml) {
  TestServer server(shop_options());
  auto r = notify(server, "order-confirmed",
                  R"({"email":"x@example.com","userId":"<script>alert('x')</script>","orderId":"O-<b>1</b>",)"
                  R"("amount":5,"currency":"EUR"})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto files = eml_files(server.data_dir() + "/outbox");
  ASSERT_EQ(files.size(), 1u);
  auto m = parse_eml(files[0]);
  std::string html = str(m, "html"), text = str(m, "text");
  EXPECT_EQ(html.find("<script>"), std::string::npos) << html;
  EXPECT_NE(html.find("Hi <b>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</b>,"), std::string::npos) << html;
  EXPECT_NE(html.find("<b>O-&lt;b&gt;1&lt;/b&gt;</b>"), std::string::npos) << html;
  EXPECT_NE(text.find("Hi <script>alert('x')</script>,"), std::string::npos) << text;
  EXPECT_NE(text.find("Total: 5 EUR"), std::string::npos) << text;
}

TEST(NotificationOutbox, ValidationAndGuards) {
  TestServer server(shop_options());
  struct Case {
    std::string type, body, message;
  };
  for (const auto& c : std::vector<Case>{
           {"user-registered", R"({"userId":"U1"})", "email is required"},
           {"user-registered", R"({"email":"not-an-email","userId":"U1"})", "email is invalid"},
           {"user-registered", R"({"email":"a@b.example\r\nBcc: x@y.z","userId":"U1"})", "email is invalid"},
           {"user-registered", R"({"email":"a@b.example"})", "userId is required"},
           {"order-confirmed", R"({"email":"a@b.example","userId":"U1","orderId":"O-1","currency":"USD"})",
            "amount is required"},
           {"order-confirmed",
            R"({"email":"a@b.example","userId":"U1","orderId":"O-1","amount":1.234,"currency":"USD"})",
            "amount is invalid"},
           {"order-confirmed", R"({"email":"a@b.example","userId":"U1","orderId":"O-1","amount":"x","currency":"USD"})",
            "amount is invalid"},
           {"payment-failed", R"({"email":"a@b.example","userId":"U1"})", "orderId is required"},
           {"verification-code", R"({"email":"a@b.example"})", "code is required"},
           {"user-registered", R"({"email":42,"userId":"U1"})", "email is invalid"},
           {"user-registered", R"({"email":["a@b.example"],"userId":"U1"})", "email must be a string"},
       }) {
    auto r = notify(server, c.type, c.body);
    EXPECT_EQ(r.status, 400) << c.body << " -> " << r.body;
    if (r.json.is_object()) {
      EXPECT_EQ(r.json.at("message").as_string(), c.message) << c.body;
    }
  }
  auto r = notify(server, "user-registered", "{not json");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json.at("message").as_string(), "Invalid JSON body");
  // Internal routes: no token is 401, a wrong service token too.
  r = call(server.client(), Method::kPost, "/notifications/user-registered",
           R"({"email":"a@b.example","userId":"U1"})");
  EXPECT_EQ(r.status, 401);
  r = call(server.client(), Method::kPost, "/notifications/user-registered", R"({"email":"a@b.example","userId":"U1"})",
           {{"X-Service-Token", "wrong-token-wrong-token"}});
  EXPECT_TRUE(r.status == 401 || r.status == 403) << r.status;
  r = call(server.client(), Method::kGet, "/notifications/user-registered", "", service_token());
  EXPECT_EQ(r.status, 405);
  // Nothing was written for any of them.
  EXPECT_TRUE(eml_files(server.data_dir() + "/outbox").empty());
}

class NotificationSmtp : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!has_aiosmtpd()) GTEST_SKIP() << "python3-aiosmtpd is not installed (scripts/setup.sh --test)";
    dir_ = make_temp_dir("cloudretail-smtp-");
    sink_ = std::make_unique<SmtpSink>(free_port(), dir_ + "/mail");
  }
  void TearDown() override {
    sink_.reset();
    if (!dir_.empty() && !std::getenv("KEEP_TEST_DIRS")) fs::remove_all(dir_);
  }
  std::string dir_;
  std::unique_ptr<SmtpSink> sink_;
};

TEST_F(NotificationSmtp, EachTemplateArrivesAndParses) {
  sink_->start();
  TestServer server(shop_options({{"SMTP_URL", sink_->url()}}));
  size_t n = 0;
  for (const auto& e : all_templates()) {
    auto r = notify(server, e.type, e.body);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json.at("message").as_string(), "Notification sent");
    auto files = wait_for_files(sink_->dir(), ++n, std::chrono::seconds(5));
    ASSERT_EQ(files.size(), n);
    expect_message(parse_eml(files.back()), e);
    // The envelope names the sender and the one recipient.
    auto env = json::parse(read_file(files.back().substr(0, files.back().size() - 4) + ".json")).as_object();
    EXPECT_EQ(env.at("mailFrom").as_string(), "shop@acme.example");
    ASSERT_EQ(env.at("rcptTos").as_array().size(), 1u);
    EXPECT_EQ(env.at("rcptTos").as_array()[0].as_string(), to_of(e));
  }
  // Nothing went to the outbox directory.
  EXPECT_TRUE(eml_files(server.data_dir() + "/outbox").empty());
}

TEST_F(NotificationSmtp, QueuedWhileDownDeliveredOnceAfterRestartAndRecovery) {
  // The SMTP server is not running yet.
  TestServer server(shop_options({{"SMTP_URL", sink_->url()},
                                  {"NOTIFY_RETRY_BASE_MS", "100"},
                                  {"NOTIFY_RETRY_MAX_MS", "400"},
                                  {"NOTIFY_MAX_ATTEMPTS", "1000"},
                                  // A kill during an attempt leaves its row claimed: short claims
                                  // let the restarted process take it within the wait below.
                                  {"NOTIFY_CLAIM_MS", "2000"}}));
  const auto& e = all_templates()[1];  // order-confirmed
  auto r = notify(server, e.type, e.body);
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.json.at("message").as_string(), "Notification queued");
  EXPECT_EQ(r.json.at("type").as_string(), "order-confirmed");
  EXPECT_EQ(r.json.at("toEmail").as_string(), "buyer@example.com");
  const auto& v = all_templates()[3];  // verification-code, also queued
  ASSERT_EQ(notify(server, v.type, v.body).status, 202);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_GE(metric(server, "cloudretail_emails_retried_total"), 2);
  EXPECT_EQ(metric(server, "cloudretail_emails_queued"), 2);

  // Killed while the messages are queued: nothing is lost.
  server.stop(SIGKILL);
  sink_->start();
  server.restart();
  auto files = wait_for_files(sink_->dir(), 2, std::chrono::seconds(15));
  ASSERT_EQ(files.size(), 2u);
  // Exactly once: no duplicates arrive later.
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  files = eml_files(sink_->dir());
  ASSERT_EQ(files.size(), 2u);
  std::map<std::string, json::object> by_to;
  for (const auto& f : files) {
    auto m = parse_eml(f);
    by_to[str(m, "to")] = m;
  }
  ASSERT_TRUE(by_to.count("buyer@example.com"));
  ASSERT_TRUE(by_to.count("new@example.com"));
  expect_message(by_to["buyer@example.com"], e);
  expect_message(by_to["new@example.com"], v);
  EXPECT_EQ(metric(server, "cloudretail_emails_sent_total"), 2);
  EXPECT_EQ(metric(server, "cloudretail_emails_queued"), 0);

  // With the server up, the next message is sent at once.
  r = notify(server, "payment-failed", all_templates()[2].body);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(wait_for_files(sink_->dir(), 3, std::chrono::seconds(5)).size(), 3u);
}

TEST_F(NotificationSmtp, GivesUpAfterMaxAttempts) {
  TestServer server(shop_options({{"SMTP_URL", sink_->url()},
                                  {"NOTIFY_RETRY_BASE_MS", "50"},
                                  {"NOTIFY_RETRY_MAX_MS", "100"},
                                  {"NOTIFY_MAX_ATTEMPTS", "3"}}));
  ASSERT_EQ(notify(server, "user-registered", all_templates()[0].body).status, 202);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (metric(server, "cloudretail_emails_failed_total") < 1 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(metric(server, "cloudretail_emails_failed_total"), 1);
  EXPECT_EQ(metric(server, "cloudretail_emails_retried_total"), 2);
  // A failed message is not retried once the server is back.
  sink_->start();
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_TRUE(eml_files(sink_->dir()).empty());
  EXPECT_EQ(metric(server, "cloudretail_emails_sent_total"), 0);
}

TEST_F(NotificationSmtp, AuthenticatesWithSmtpUserAndPasswordAndNeverLogsThePassword) {
  sink_->require_auth("mailer:Sup3r-Secret-Pw");
  sink_->start();
  {
    TestServer server(shop_options({{"SMTP_URL", sink_->url()},
                                    {"SMTP_USER", "mailer"},
                                    {"SMTP_PASSWORD", "Sup3r-Secret-Pw"},
                                    {"LOG_LEVEL", "info"}}));
    auto r = notify(server, "user-registered", all_templates()[0].body);
    ASSERT_EQ(r.status, 200) << r.body << server.output();
    ASSERT_EQ(wait_for_files(sink_->dir(), 1, std::chrono::seconds(5)).size(), 1u);
    EXPECT_NE(read_file(sink_->dir() + "/auth.log").find("mailer"), std::string::npos);
    EXPECT_EQ(server.output().find("Sup3r-Secret-Pw"), std::string::npos);
  }
  // A wrong password: queued for retry, and neither password shows in the log.
  TestServer server(shop_options({{"SMTP_URL", sink_->url()},
                                  {"SMTP_USER", "mailer"},
                                  {"SMTP_PASSWORD", "Wrong-Secret-Pw"},
                                  {"LOG_LEVEL", "info"}}));
  auto r = notify(server, "user-registered", all_templates()[0].body);
  EXPECT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(eml_files(sink_->dir()).size(), 1u);
  std::string log = server.output();
  EXPECT_NE(log.find("not delivered"), std::string::npos) << log;
  EXPECT_EQ(log.find("Wrong-Secret-Pw"), std::string::npos) << log;
}

TEST_F(NotificationSmtp, ARejectedRecipientFailsAtOnceWithoutRetries) {
  sink_->start();
  TestServer server(shop_options({{"SMTP_URL", sink_->url()}, {"NOTIFY_RETRY_BASE_MS", "50"}}));
  auto r = notify(server, "user-registered", R"({"email":"reject-me@example.com","userId":"U1"})");
  EXPECT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(metric(server, "cloudretail_emails_failed_total"), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_EQ(metric(server, "cloudretail_emails_retried_total"), 0);
  EXPECT_TRUE(eml_files(sink_->dir()).empty());
  // Other recipients are unaffected.
  EXPECT_EQ(notify(server, "user-registered", all_templates()[0].body).status, 200);
}

TEST_F(NotificationSmtp, StartTlsRequiredButNotOfferedIsNotSentInTheClear) {
  sink_->start();  // plain SMTP, no STARTTLS
  TestServer server(shop_options({{"SMTP_URL", sink_->url()}, {"SMTP_STARTTLS", "true"}}));
  auto r = notify(server, "user-registered", all_templates()[0].body);
  EXPECT_EQ(r.status, 202) << r.body;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(eml_files(sink_->dir()).empty());
}
