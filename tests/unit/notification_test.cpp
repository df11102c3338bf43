// Notification pieces without a server: HTML escaping, MIME building, templates,
// validation, backoff, and the durable queue over a real SQLite file with a fake
// transport and a fake clock.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <sstream>
#include <thread>

#include "core/clock.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "fresh_database.hpp"
#include "notification/mime.hpp"
#include "notification/notification_repository.hpp"
#include "notification/notification_service.hpp"
#include "notification/templates.hpp"
#include "notification/transport.hpp"

using namespace cloudretail;
using namespace cloudretail::notification;

namespace {

// Minimal quoted-printable decoder to check round trips.
std::string qp_decode(const std::string& in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '=' && i + 2 < in.size() && in[i + 1] == '\r' && in[i + 2] == '\n') {
      i += 2;
    } else if (in[i] == '=' && i + 2 < in.size()) {
      out += static_cast<char>(std::stoi(in.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

std::vector<std::string> crlf_lines(const std::string& s) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t e = s.find("\r\n", pos);
    if (e == std::string::npos) {
      lines.push_back(s.substr(pos));
      break;
    }
    lines.push_back(s.substr(pos, e - pos));
    pos = e + 2;
  }
  return lines;
}

EmailRequest order_request() {
  EmailRequest r;
  r.type = EmailType::kOrderConfirmed;
  r.email = "user@example.com";
  r.user_id = "U1001";
  r.order_id = "O-a1b2c3d4";
  r.amount_minor = 10997;
  r.currency = "USD";
  return r;
}

}  // namespace

TEST(NotificationTemplates, ValuesAreEscapedInHtmlAndKeptInText) {
  EmailRequest r = order_request();
  r.user_id = "<script>alert(1)</script>";
  auto e = render_email(r, "Shop & Co");
  EXPECT_EQ(e.html.find("<script>"), std::string::npos);
  EXPECT_NE(e.html.find("Hi <b>&lt;script&gt;alert(1)&lt;/script&gt;</b>,"), std::string::npos);
  EXPECT_NE(e.html.find("Thanks,<br/>Shop &amp; Co"), std::string::npos);
  EXPECT_NE(e.text.find("Hi <script>alert(1)</script>,"), std::string::npos);
  EXPECT_NE(e.text.find("Total: 109.97 USD"), std::string::npos);
  EXPECT_NE(e.html.find("<p><b>Total:</b> 109.97 USD</p>"), std::string::npos);
  EXPECT_NE(e.subject.find("Shop & Co"), std::string::npos);
}

TEST(NotificationTemplates, EachTypeNamesTheShop) {
  for (EmailType t : {EmailType::kUserRegistered, EmailType::kOrderConfirmed, EmailType::kPaymentFailed,
                      EmailType::kVerificationCode, EmailType::kPasswordResetCode}) {
    EmailRequest r = order_request();
    r.type = t;
    r.code = "482910";
    auto e = render_email(r, "Acme Store");
    EXPECT_NE(e.subject.find("Acme Store"), std::string::npos) << email_type_name(t);
    EXPECT_NE(e.text.find("Thanks,\nAcme Store\n"), std::string::npos) << email_type_name(t);
    EXPECT_NE(e.html.find("Thanks,<br/>Acme Store"), std::string::npos) << email_type_name(t);
  }
  EmailRequest r = order_request();
  r.type = EmailType::kUserRegistered;
  EXPECT_NE(render_email(r, "CloudRetail").html.find("<h2>Welcome to CloudRetail \xF0\x9F\x8E\x89</h2>"),
            std::string::npos);
  r.type = EmailType::kPaymentFailed;
  EXPECT_NE(render_email(r, "CloudRetail").text.find("Your payment for order O-a1b2c3d4 failed."), std::string::npos);
}

TEST(NotificationTemplates, TypeNames) {
  EXPECT_EQ(email_type_name(EmailType::kUserRegistered), "user-registered");
  EXPECT_EQ(email_type_name(EmailType::kOrderConfirmed), "order-confirmed");
  EXPECT_EQ(email_type_name(EmailType::kPaymentFailed), "payment-failed");
  EXPECT_EQ(email_type_name(EmailType::kVerificationCode), "verification-code");
  EXPECT_EQ(email_type_name(EmailType::kPasswordResetCode), "password-reset-code");
}

TEST(NotificationMime, Base64) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(NotificationMime, QuotedPrintableRoundTripsAndKeepsLinesShort) {
  std::string text = "Caf\xC3\xA9 = 5 \xE2\x82\xAC\nline with trailing space \n.leading dot\n" + std::string(200, 'x') +
                     "\n" + std::string(100, '=') + "\n";
  std::string qp = quoted_printable_encode(text);
  for (const auto& line : crlf_lines(qp)) EXPECT_LE(line.size(), 76u) << line;
  EXPECT_EQ(qp.find('\n' + std::string(".")), std::string::npos);  // no line starts with '.'
  EXPECT_NE(qp.find("Caf=C3=A9 =3D 5 =E2=82=AC\r\n"), std::string::npos);
  EXPECT_NE(qp.find("space=20\r\n"), std::string::npos);
  // Decoding gives the text back with CRLF line ends.
  std::string expected = std::regex_replace(text, std::regex("\n"), "\r\n");
  EXPECT_EQ(qp_decode(qp), expected);
  // No bare LF or CR anywhere.
  EXPECT_EQ(std::regex_replace(qp, std::regex("\r\n"), "").find_first_of("\r\n"), std::string::npos);
}

TEST(NotificationMime, EncodedWordSubjectFoldsOnCharacterBoundaries) {
  EXPECT_EQ(encode_header_words("Hi"), "=?UTF-8?B?SGk=?=");
  std::string long_subject;
  for (int i = 0; i < 40; ++i) long_subject += "\xE2\x9C\x85";  // 40 x 3-byte check marks
  std::string enc = encode_header_words(long_subject);
  std::string decoded;
  for (const auto& line : crlf_lines(enc)) {
    std::string word = line[0] == ' ' ? line.substr(1) : line;
    EXPECT_LE(word.size(), 75u);
    ASSERT_EQ(word.rfind("=?UTF-8?B?", 0), 0u);
    ASSERT_EQ(word.substr(word.size() - 2), "?=");
    std::string b64 = word.substr(10, word.size() - 12);
    // Each word decodes to whole characters: a multiple of 3 bytes here.
    size_t pad = std::count(b64.begin(), b64.end(), '=');
    size_t bytes = b64.size() / 4 * 3 - pad;
    EXPECT_EQ(bytes % 3, 0u);
    decoded += std::string(bytes, '?');
  }
  EXPECT_EQ(decoded.size(), long_subject.size());
  // CR/LF in a value cannot inject a header.
  EXPECT_EQ(encode_header_words("a\r\nBcc: x@y").find('\n'), std::string::npos);
}

TEST(NotificationMime, EncodedWordsEndOnASubjectThatIsNotUtf8) {
  // 100 continuation bytes and no lead byte: this used to loop for ever (fuzz_mime).
  std::string not_utf8 = "Order " + std::string(100, '\xBA');
  std::string enc = encode_header_words(not_utf8);
  size_t words = 0;
  for (const auto& line : crlf_lines(enc)) {
    std::string word = line[0] == ' ' ? line.substr(1) : line;
    EXPECT_LE(word.size(), 75u);
    ++words;
  }
  // 106 bytes in chunks of at most 45 (the first ends at the space, a boundary).
  EXPECT_GE(words, 3u);
  EXPECT_LE(words, 4u);
}

TEST(NotificationMime, DateMailboxAndAddress) {
  EXPECT_EQ(rfc5322_date(1'770'112'800'000), "Tue, 03 Feb 2026 10:00:00 +0000");
  EXPECT_EQ(format_mailbox("CloudRetail", "noreply@x.com"), "\"CloudRetail\" <noreply@x.com>");
  EXPECT_EQ(format_mailbox("Say \"hi\"", "a@b.c"), "\"Say \\\"hi\\\"\" <a@b.c>");
  EXPECT_EQ(format_mailbox("Caf\xC3\xA9", "a@b.c"), "=?UTF-8?B?Q2Fmw6k=?= <a@b.c>");
  EXPECT_EQ(mailbox_address("Shop <noreply@shop.example>"), "noreply@shop.example");
  EXPECT_EQ(mailbox_address("noreply@shop.example"), "noreply@shop.example");
  EXPECT_FALSE(mailbox_address("no address"));
  EXPECT_FALSE(mailbox_address("Shop <broken"));
  std::string letters = random_letters(24);
  EXPECT_TRUE(std::regex_match(letters, std::regex("[a-z]{24}")));
}

TEST(NotificationMime, MessageStructure) {
  MimeMessage m;
  m.from = "\"CloudRetail\" <noreply@cloudretail.local>";
  m.to = "user@example.com";
  m.subject = "Welcome to CloudRetail \xF0\x9F\x8E\x89";
  m.text = "Hi U1001,\n\nYour code:\n\n123456\n";
  m.html = "<p>Hi <b>U1001</b></p>\n";
  m.date_ms = 1'770'112'800'000;
  m.message_id = "abc@cloudretail.local";
  m.boundary = "alt-boundary";
  std::string raw = build_mime(m);
  auto head_end = raw.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos);
  std::string head = raw.substr(0, head_end + 2);
  for (const char* h :
       {"From: \"CloudRetail\" <noreply@cloudretail.local>\r\n", "To: user@example.com\r\n", "Subject: =?UTF-8?B?",
        "Date: Tue, 03 Feb 2026 10:00:00 +0000\r\n", "Message-ID: <abc@cloudretail.local>\r\n", "MIME-Version: 1.0\r\n",
        "Content-Type: multipart/alternative; boundary=\"alt-boundary\"\r\n"})
    EXPECT_NE(head.find(h), std::string::npos) << h;
  auto text_at = raw.find(
      "--alt-boundary\r\nContent-Type: text/plain; charset=UTF-8\r\n"
      "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
  auto html_at = raw.find(
      "--alt-boundary\r\nContent-Type: text/html; charset=UTF-8\r\n"
      "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
  ASSERT_NE(text_at, std::string::npos);
  ASSERT_NE(html_at, std::string::npos);
  EXPECT_LT(text_at, html_at);  // multipart/alternative: preferred (HTML) last
  EXPECT_NE(raw.find("\r\n--alt-boundary--\r\n"), std::string::npos);
  // The code is readable in the raw file, and it is the first 6-digit run.
  std::smatch match;
  ASSERT_TRUE(std::regex_search(raw, match, std::regex(R"(\d{6})")));
  EXPECT_EQ(match.str(), "123456");
  // CRLF only, every line within the RFC 5322 limit.
  EXPECT_EQ(std::regex_replace(raw, std::regex("\r\n"), "").find_first_of("\r\n"), std::string::npos);
  for (const auto& line : crlf_lines(raw)) EXPECT_LE(line.size(), 78u);
}

TEST(NotificationValidation, Fields) {
  EmailRequest r = order_request();
  EXPECT_TRUE(validate_request(r).ok());
  auto msg = [](const EmailRequest& x) {
    auto s = validate_request(x);
    return s.ok() ? std::string("ok") : s.error().message;
  };
  r.email = "";
  EXPECT_EQ(msg(r), "email is required");
  for (const char* bad :
       {"no-at-sign", "a@", "@b.c", "a b@c.d", "a@b@c", "a@b..c", "a@-\r\nBcc: x", "<a@b.c>", "caf\xC3\xA9@b.c"}) {
    r.email = bad;
    EXPECT_EQ(msg(r), "email is invalid") << bad;
  }
  r.email = "first.last+tag@sub.example.co";
  EXPECT_EQ(msg(r), "ok");
  r = order_request();
  r.user_id = "";
  EXPECT_EQ(msg(r), "userId is required");
  r = order_request();
  r.order_id = "";
  EXPECT_EQ(msg(r), "orderId is required");
  r = order_request();
  r.currency = "usd1";
  EXPECT_EQ(msg(r), "currency is invalid");
  r = order_request();
  r.type = EmailType::kVerificationCode;
  r.user_id = "";
  EXPECT_EQ(msg(r), "code is required");
  r.code = "123456";
  EXPECT_EQ(msg(r), "ok");
  r.code = "12\n34";
  EXPECT_EQ(msg(r), "code is invalid");
}

TEST(NotificationQueue, BackoffDoublesUpToTheCap) {
  EXPECT_EQ(backoff_ms(1, 1000, 60000), 1000);
  EXPECT_EQ(backoff_ms(2, 1000, 60000), 2000);
  EXPECT_EQ(backoff_ms(3, 1000, 60000), 4000);
  EXPECT_EQ(backoff_ms(7, 1000, 60000), 60000);
  EXPECT_EQ(backoff_ms(1000, 1000, 60000), 60000);
}

namespace {

class FakeTransport final : public Transport {
 public:
  Status deliver(const OutgoingMessage& m) override {
    std::lock_guard lock(mutex_);
    ++calls;
    if (hold) {
      // Simulate a slow delivery: let another thread try meanwhile.
      mutex_.unlock();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      mutex_.lock();
    }
    if (!up) {
      Error e = unavailable("server down");
      e.name = failure_name;
      return e;
    }
    delivered.push_back(m);
    return ok_status();
  }
  std::string describe() const override { return "fake"; }

  std::mutex mutex_;
  bool up = true;
  bool hold = false;
  std::string failure_name = "ServiceUnavailable";
  int calls = 0;
  std::vector<OutgoingMessage> delivered;
};

using cloudretail::testing::Backend;

/// The queue over SQLite and PostgreSQL: the same SQL must hold on both.
class QueueTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (!fresh_.available()) GTEST_SKIP() << cloudretail::testing::kNoTestPostgres;
    db_ = fresh_.open(4);
    db::apply_migrations(*db_, NotificationRepository::migrations(db_->dialect()));
    repo_ = std::make_unique<NotificationRepository>(*db_);
    settings_.retry_base_ms = 1000;
    settings_.retry_max_ms = 4000;
    settings_.max_attempts = 4;
    settings_.app_name = "CloudRetail";
    settings_.mail_from = "noreply@cloudretail.local";
    make_service();
  }
  void TearDown() override {
    service_.reset();
    repo_.reset();
    db_.reset();
  }
  void make_service() {
    service_ = std::make_unique<NotificationService>(*repo_, transport_, clock_, settings_,
                                                     NotificationCounters{&sent_, &retried_, &failed_});
  }

  cloudretail::testing::FreshDatabase fresh_{GetParam(), "notify-unit-"};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<NotificationRepository> repo_;
  FakeTransport transport_;
  FakeClock clock_;
  NotificationSettings settings_;
  std::atomic<uint64_t> sent_{0}, retried_{0}, failed_{0};
  std::unique_ptr<NotificationService> service_;
};

}  // namespace

TEST_P(QueueTest, DeliveredAtOnceIsSentOnce) {
  auto out = service_->send(order_request());
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->delivered);
  EXPECT_EQ(out->type, "order-confirmed");
  EXPECT_EQ(out->to_email, "user@example.com");
  ASSERT_EQ(transport_.delivered.size(), 1u);
  EXPECT_EQ(transport_.delivered[0].envelope_from, "noreply@cloudretail.local");
  EXPECT_EQ(transport_.delivered[0].envelope_to, "user@example.com");
  EXPECT_NE(transport_.delivered[0].data.find("Total: 109.97 USD"), std::string::npos);
  EXPECT_EQ(repo_->count_with_status(notification::EmailStatus::kSent), 1);
  // Once sent, the body (codes, addresses) is not kept.
  auto row = repo_->find(transport_.delivered[0].id);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->status, notification::EmailStatus::kSent);
  EXPECT_EQ(row->mime, "");
  clock_.advance_ms(100000);
  EXPECT_EQ(service_->process_due(), 0);
  EXPECT_EQ(transport_.calls, 1);
  EXPECT_EQ(sent_.load(), 1u);
}

TEST_P(QueueTest, InvalidRequestStoresNothing) {
  EmailRequest r = order_request();
  r.email = "nope";
  auto out = service_->send(r);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(repo_->count_with_status(notification::EmailStatus::kQueued), 0);
  EXPECT_EQ(transport_.calls, 0);
}

TEST_P(QueueTest, FailureIsQueuedAndRetriedWithBackoff) {
  transport_.up = false;
  auto out = service_->send(order_request());
  ASSERT_TRUE(out.ok());
  EXPECT_FALSE(out->delivered);
  EXPECT_EQ(repo_->count_with_status(notification::EmailStatus::kQueued), 1);
  EXPECT_EQ(retried_.load(), 1u);
  // Not due before the first backoff (1 s).
  clock_.advance_ms(999);
  service_->process_due();
  EXPECT_EQ(transport_.calls, 1);
  clock_.advance_ms(1);
  service_->process_due();
  EXPECT_EQ(transport_.calls, 2);
  // Second retry after 2 s more.
  clock_.advance_ms(1999);
  service_->process_due();
  EXPECT_EQ(transport_.calls, 2);
  transport_.up = true;
  clock_.advance_ms(1);
  EXPECT_EQ(service_->process_due(), 1);
  EXPECT_EQ(transport_.calls, 3);
  EXPECT_EQ(repo_->count_with_status(notification::EmailStatus::kSent), 1);
  EXPECT_EQ(repo_->count_with_status(notification::EmailStatus::kQueued), 0);
  EXPECT_EQ(sent_.load(), 1u);
  EXPECT_EQ(retried_.load(), 2u);
}

TEST_P(QueueTest, GivesUpAfterMaxAttempts) {
  transport_.up = false;
  ASSERT_TRUE(service_->send(order_request()).ok());
  for (int i = 0; i < 10; ++i) {
    clock_.advance_ms(10000);
    service_->process_due();
  }
  EXPECT_EQ(transport_.calls, 4);
  EXPECT_EQ(repo_->count_with_status(notification::EmailStatus::kFailed), 1);
  EXPECT_EQ(repo_->count_with_status(notification::EmailStatus::kQueued), 0);
  EXPECT_EQ(failed_.load(), 1u);
  EXPECT_EQ(retried_.load(), 3u);
}

TEST_P(QueueTest, QueuedMessagesSurviveANewServiceInstance) {
  transport_.up = false;
  ASSERT_TRUE(service_->send(order_request()).ok());
  // "Restart": a new repository and service over the same database file.
  service_.reset();
  repo_ = std::make_unique<NotificationRepository>(*db_);
  make_service();
  transport_.up = true;
  clock_.advance_ms(1000);
  EXPECT_EQ(service_->process_due(), 1);
  ASSERT_EQ(transport_.delivered.size(), 1u);
}

TEST_P(QueueTest, AClaimedRowIsNotSentTwice) {
  transport_.up = false;
  ASSERT_TRUE(service_->send(order_request()).ok());
  clock_.advance_ms(1000);
  transport_.up = true;
  transport_.hold = true;
  // Two workers race for the same due row: exactly one claims it.
  std::atomic<int> delivered{0};
  std::thread a([&] { delivered += service_->process_due(); });
  std::thread b([&] { delivered += service_->process_due(); });
  a.join();
  b.join();
  EXPECT_EQ(delivered.load(), 1);
  EXPECT_EQ(transport_.delivered.size(), 1u);
}

TEST_P(QueueTest, AnInlineAttemptOwnsItsRowUntilItFinishes) {
  // The row is stored claimed: a worker pass during the inline attempt skips it.
  auto id_before = repo_->due(clock_.now_ms() + 1, 10);
  EXPECT_TRUE(id_before.empty());
  transport_.up = false;
  ASSERT_TRUE(service_->send(order_request()).ok());
  auto due = repo_->due(clock_.now_ms() + 1000, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_TRUE(repo_->claim(due[0], clock_.now_ms() + 1000, clock_.now_ms() + 5000));
  EXPECT_FALSE(repo_->claim(due[0], clock_.now_ms() + 1000, clock_.now_ms() + 5000));
  // Once the claim lapses (a crashed sender), it can be claimed again.
  EXPECT_TRUE(repo_->claim(due[0], clock_.now_ms() + 6000, clock_.now_ms() + 9000));
}

TEST_P(QueueTest, WhileTheServerIsUnreachableRequestsQueueWithoutWaiting) {
  transport_.up = false;
  transport_.failure_name = kTransportDown;
  auto first = service_->send(order_request());
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->delivered);
  EXPECT_EQ(transport_.calls, 1);
  // The next request skips its inline attempt; its row is left to the worker at once.
  auto second = service_->send(order_request());
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->delivered);
  EXPECT_EQ(transport_.calls, 1);
  EXPECT_EQ(repo_->due(clock_.now_ms(), 10).size(), 1u);
  // The worker probes; once it delivers, requests try inline again.
  transport_.up = true;
  clock_.advance_ms(1000);
  EXPECT_EQ(service_->process_due(), 2);
  auto third = service_->send(order_request());
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(third->delivered);
  EXPECT_EQ(transport_.calls, 4);
}

TEST_P(QueueTest, AWorkerPassStopsAtAnUnreachableServer) {
  transport_.up = false;
  transport_.failure_name = kTransportDown;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(service_->send(order_request()).ok());
  EXPECT_EQ(transport_.calls, 1);  // only the first tried inline
  clock_.advance_ms(1000);
  service_->process_due();
  EXPECT_EQ(transport_.calls, 2);  // one probe, not the whole batch
  transport_.up = true;
  clock_.advance_ms(2000);
  EXPECT_EQ(service_->process_due(), 3);
  EXPECT_EQ(repo_->count_with_status(notification::EmailStatus::kSent), 3);
}

TEST_P(QueueTest, ARejectedMessageIsFailedWithoutRetries) {
  transport_.up = false;
  transport_.failure_name = kMessageRejected;
  auto out = service_->send(order_request());
  ASSERT_TRUE(out.ok());
  EXPECT_FALSE(out->delivered);
  EXPECT_EQ(repo_->count_with_status(notification::EmailStatus::kFailed), 1);
  EXPECT_EQ(failed_.load(), 1u);
  EXPECT_EQ(retried_.load(), 0u);
  clock_.advance_ms(100000);
  service_->process_due();
  EXPECT_EQ(transport_.calls, 1);
}

// The transactional outbox (payments queue their email inside their own transaction).
TEST_P(QueueTest, AnOutboxMessageCommitsOrRollsBackWithTheCallersTransaction) {
  LocalNotificationClient client(*service_);
  try {
    db::SharedTransaction unit(db_.get());
    ASSERT_TRUE(client.queue(order_request()).ok());
    throw std::runtime_error("the caller fails after queuing");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(repo_->count_with_status(EmailStatus::kQueued), 0);  // gone with the caller's work

  std::optional<QueuedNotification> queued;
  {
    db::SharedTransaction unit(db_.get());
    auto q = client.queue(order_request());
    ASSERT_TRUE(q.ok());
    queued = std::move(q).value();
    EXPECT_EQ(transport_.calls, 0);  // nothing leaves before the commit
  }
  EXPECT_EQ(repo_->count_with_status(EmailStatus::kQueued), 1);
  EXPECT_TRUE(client.deliver(*queued));
  ASSERT_EQ(transport_.delivered.size(), 1u);
  EXPECT_EQ(repo_->count_with_status(EmailStatus::kSent), 1);
}

TEST_P(QueueTest, AnOutboxMessageNobodyDeliveredIsSentWhenItsClaimLapses) {
  // The process died between the caller's commit and deliver(): the worker sends it,
  // but not while the (dead) caller's claim still holds.
  LocalNotificationClient client(*service_);
  {
    db::SharedTransaction unit(db_.get());
    ASSERT_TRUE(client.queue(order_request()).ok());
  }
  clock_.advance_ms(settings_.claim_ms - 1);
  EXPECT_EQ(service_->process_due(), 0);
  clock_.advance_ms(2);
  EXPECT_EQ(service_->process_due(), 1);
  EXPECT_EQ(transport_.delivered.size(), 1u);
}

TEST_P(QueueTest, AFailedOutboxInsertLeavesTheCallersTransactionUsable) {
  {
    auto conn = db_->acquire();
    conn->execute("CREATE TABLE caller_work (n INTEGER)");
    conn->execute("ALTER TABLE email_queue RENAME TO email_queue_gone");  // every insert fails
  }
  LocalNotificationClient client(*service_);
  {
    db::SharedTransaction unit(db_.get());
    db_->acquire()->execute("INSERT INTO caller_work (n) VALUES (1)");
    auto q = client.queue(order_request());
    ASSERT_FALSE(q.ok());
    EXPECT_EQ(q.error().code, ErrorCode::kUnavailable);
    // On PostgreSQL a failed statement poisons its transaction unless it ran in a savepoint.
    db_->acquire()->execute("INSERT INTO caller_work (n) VALUES (2)");
  }
  auto rows = db_->acquire()->query("SELECT COUNT(*) FROM caller_work");
  EXPECT_EQ(rows.first().int64(0), 2);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, QueueTest, ::testing::Values(Backend::kSqlite),
                         [](const auto&) { return std::string("Sqlite"); });
INSTANTIATE_TEST_SUITE_P(Postgres, QueueTest, ::testing::Values(Backend::kPostgres),
                         [](const auto&) { return std::string("Postgres"); });

TEST(NotificationOutbox, WritesCompleteEmlFilesAtomically) {
  std::string dir = cloudretail::testing::make_temp_dir("notify-unit-") + "/outbox";
  OutboxTransport outbox(dir);
  OutgoingMessage m{"id-1", "a@b.c", "d@e.f", "Subject: x\r\n\r\nbody\r\n", 1'770'112'800'000};
  ASSERT_TRUE(outbox.deliver(m).ok());
  ASSERT_TRUE(outbox.deliver(m).ok());  // a retry rewrites the same file
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
  ASSERT_EQ(names.size(), 1u);
  EXPECT_EQ(names[0], "20260203T100000.000Z-id-1.eml");
  std::ifstream in(dir + "/" + names[0], std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), m.data);
  std::filesystem::remove_all(std::filesystem::path(dir).parent_path());
}
