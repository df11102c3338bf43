#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <functional>
#include <string>
#include <utility>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/crypto.hpp"
#include "core/html_escape.hpp"
#include "core/json_read.hpp"
#include "core/json_writer.hpp"
#include "core/money.hpp"
#include "core/percent_encode.hpp"

using namespace cloudretail;

TEST(Money, ParsesTwoDecimalsExactly) {
  EXPECT_EQ(money_from_json(boost::json::value(29.99)), 2999);
  EXPECT_EQ(money_from_json(boost::json::value(49.99)), 4999);
  EXPECT_EQ(money_from_json(boost::json::value(0.1)), 10);
  EXPECT_EQ(money_from_json(boost::json::value(30)), 3000);
  EXPECT_EQ(money_from_json(boost::json::parse("1e2")), 10000);
}

TEST(Money, RefusesMoreThanTwoDecimalsAndNonNumbers) {
  EXPECT_FALSE(money_from_json(boost::json::value(29.999)));
  EXPECT_FALSE(money_from_json(boost::json::value(0.001)));
  EXPECT_FALSE(money_from_json(boost::json::value("29.99")));
  EXPECT_FALSE(money_from_json(boost::json::value(1e300)));
  EXPECT_FALSE(money_from_json(boost::json::value(nullptr)));
}

/// Money as a request body carries it: through the exact JSON reader.
std::optional<int64_t> money_in(const std::string& number_text) {
  auto body = parse_json_object("{\"price\":" + number_text + "}");
  if (!body) return std::nullopt;
  return money_from_json(body->at("price"));
}

TEST(Money, ReadFromTheJsonTextExactly) {
  EXPECT_EQ(money_in("29.99"), 2999);
  EXPECT_EQ(money_in("30"), 3000);
  EXPECT_EQ(money_in("29.990"), 2999);  // the same number, exactly
  EXPECT_EQ(money_in("2999e-2"), 2999);
  EXPECT_EQ(money_in("10000.55"), 1000055);
  EXPECT_EQ(money_in("99999999999.99"), 9999999999999);
  EXPECT_EQ(money_in("-0.05"), -5);
  // Never rounded: each of these has a digit beyond the cents.
  for (const char* text : {"29.999", "10000.555", "29.990001", "1e-3", "5000.005", "99999999999.995",
                           "29.9900000000000000001", "29.98999999999999999999", "0.001", "1.000000000000001"})
    EXPECT_FALSE(money_in(text)) << text;
}

TEST(Money, EveryWholeCentReadsBack) {
  // Every cents value written by format_money reads back as itself (up to 1e6 cents,
  // and a sample up to the 1e13 limit).
  for (int64_t k = 0; k <= 1000000; ++k) ASSERT_EQ(money_in(format_money(k)), k) << k;
  for (int64_t k = 1000001; k < 10000000000000; k = k * 3 + 7) ASSERT_EQ(money_in(format_money(k)), k) << k;
}

TEST(Money, WholeCentsTextRule) {
  EXPECT_TRUE(detail::decimal_text_is_whole_cents("0"));
  EXPECT_FALSE(detail::decimal_text_is_whole_cents("0.0000010"));
  EXPECT_TRUE(detail::decimal_text_is_whole_cents("1.10"));
  EXPECT_TRUE(detail::decimal_text_is_whole_cents("1.100000"));
  EXPECT_TRUE(detail::decimal_text_is_whole_cents("1e-2"));
  EXPECT_FALSE(detail::decimal_text_is_whole_cents("1e-3"));
  EXPECT_TRUE(detail::decimal_text_is_whole_cents("100e-4"));
  EXPECT_TRUE(detail::decimal_text_is_whole_cents("0.0e-99999999999999999999"));
  EXPECT_FALSE(detail::decimal_text_is_whole_cents("1e-99999999999999999999"));
  EXPECT_TRUE(detail::decimal_text_is_whole_cents("1.234e5"));
}

TEST(Money, SumIsExactAndFormatsShortest) {
  int64_t total = 2 * *money_from_json(boost::json::value(29.99)) + *money_from_json(boost::json::value(49.99));
  EXPECT_EQ(format_money(total), "109.97");
  EXPECT_EQ(format_money(1050), "10.5");
  EXPECT_EQ(format_money(3000), "30");
  EXPECT_EQ(format_money(5), "0.05");
  EXPECT_EQ(format_money(-5), "-0.05");
  EXPECT_EQ(format_money(0), "0");
}

TEST(Money, CurrencyShape) {
  EXPECT_TRUE(is_currency_code("USD"));
  EXPECT_FALSE(is_currency_code("usd"));
  EXPECT_FALSE(is_currency_code("US"));
  EXPECT_FALSE(is_currency_code("USDX"));
}

TEST(JsonWriter, WritesNestedStructuresAndEscapes) {
  JsonWriter w;
  w.begin_object()
      .field("a", "x\"y\n\x01")
      .key("list")
      .begin_array()
      .number(1)
      .money(10997)
      .begin_object()
      .field("b", true)
      .end_object()
      .end_array()
      .key("n")
      .null()
      .end_object();
  EXPECT_EQ(w.str(), R"({"a":"x\"y\n\u0001","list":[1,109.97,{"b":true}],"n":null})");
  // And it is valid JSON that round-trips.
  auto v = boost::json::parse(w.str());
  EXPECT_EQ(v.at("a").as_string(), "x\"y\n\x01");
}

TEST(JsonRead, RejectsMalformedAndNonObjects) {
  EXPECT_FALSE(parse_json_object("{bad"));
  EXPECT_FALSE(parse_json_object("[1,2]"));
  EXPECT_EQ(parse_json_object("{bad").error().message, "Invalid JSON body");
  ASSERT_TRUE(parse_json_object(""));
  EXPECT_TRUE(parse_json_object("")->empty());
  auto o = parse_json_object(R"({"qty": 3, "f": 3.5, "s": "x"})");
  ASSERT_TRUE(o);
  EXPECT_EQ(json_int(*o, "qty"), 3);
  EXPECT_FALSE(json_int(*o, "f"));
  EXPECT_FALSE(json_int(*o, "s"));
  EXPECT_EQ(json_string(*o, "s"), "x");
}

TEST(HtmlEscape, CoversTheFiveCharacters) {
  EXPECT_EQ(html_escape("<script>alert(\"x\" & 'y')</script>"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;");
  EXPECT_EQ(html_escape("plain text \xC3\xA9"), "plain text \xC3\xA9");  // UTF-8 passes through
  EXPECT_EQ(html_escape(""), "");
}

TEST(PercentEncode, KeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(percent_encode("AZaz09-_.~"), "AZaz09-_.~");
  EXPECT_EQ(percent_encode("a b/c?d=e&f#%"), "a%20b%2Fc%3Fd%3De%26f%23%25");
  EXPECT_EQ(percent_encode(std::string("\x00\xFF\xC3\xA9", 4)), "%00%FF%C3%A9");  // bytes, upper-case hex
  EXPECT_EQ(percent_encode(""), "");
}

TEST(PercentEncode, KeepSlashLeavesPathSeparators) {
  EXPECT_EQ(percent_encode("/products/a b/x.jpg", true), "/products/a%20b/x.jpg");
  EXPECT_EQ(percent_encode("/products/a b/x.jpg", false), "%2Fproducts%2Fa%20b%2Fx.jpg");
}

TEST(Clock, FormatsIsoUtcWithMilliseconds) {
  EXPECT_EQ(format_timestamp(1770112800000), "2026-02-03T10:00:00.000Z");
  EXPECT_EQ(format_timestamp(1770112800123), "2026-02-03T10:00:00.123Z");
  EXPECT_EQ(parse_timestamp("2026-02-03T10:00:00.123Z"), 1770112800123);
  EXPECT_FALSE(parse_timestamp("2026-02-03 10:00"));
}

TEST(Clock, IgnoresMachineTimeZone) {
  setenv("TZ", "Asia/Kolkata", 1);
  tzset();
  EXPECT_EQ(format_timestamp(1770112800000), "2026-02-03T10:00:00.000Z");
  unsetenv("TZ");
  tzset();
}

TEST(Crypto, KnownVectors) {
  EXPECT_EQ(crypto::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 4231 test case 2
  EXPECT_EQ(crypto::hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  std::string decoded;
  ASSERT_TRUE(crypto::base64url_decode(crypto::base64url_encode("hello?>"), decoded));
  EXPECT_EQ(decoded, "hello?>");
  EXPECT_EQ(crypto::base64url_encode("\xfb\xff"), "-_8");
  auto id = crypto::uuid4();
  EXPECT_EQ(id.size(), 36u);
  EXPECT_EQ(id[14], '4');
  EXPECT_NE(crypto::uuid4(), id);
}

TEST(Config, DefaultsAndValidation) {
  auto none = [](const char*) -> const char* { return nullptr; };
  Config c = Config::from_env(none);
  EXPECT_EQ(c.port, 8080);
  EXPECT_EQ(c.host, "127.0.0.1");
  EXPECT_EQ(c.data_dir, "./data");
  EXPECT_EQ(c.sqlite_path(), "./data/cloudretail.db");

  auto bad_port = [](const char* n) -> const char* { return std::string_view(n) == "PORT" ? "80a" : nullptr; };
  try {
    Config::from_env(bad_port);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("PORT"), std::string::npos);
  }
  auto bad_store = [](const char* n) -> const char* { return std::string_view(n) == "OBJECT_STORE" ? "ftp" : nullptr; };
  EXPECT_THROW(Config::from_env(bad_store), ConfigError);
  auto base = [](const char* n) -> const char* { return std::string_view(n) == "API_BASE_PATH" ? "/dev/" : nullptr; };
  EXPECT_EQ(Config::from_env(base).api_base_path, "/dev");
}

namespace {
/// A fake environment holding exactly one variable.
std::function<const char*(const char*)> env_with(std::string name, std::string value) {
  return [name = std::move(name), value = std::move(value)](const char* n) -> const char* {
    return n == name ? value.c_str() : nullptr;
  };
}
}  // namespace

TEST(Config, TimingSettingsHaveTheirDefaults) {
  Config c = Config::from_env([](const char*) -> const char* { return nullptr; });
  EXPECT_EQ(c.http_idle_timeout_ms, 30000);
  EXPECT_EQ(c.notify_retry_base_ms, 1000);
  EXPECT_EQ(c.notify_retry_max_ms, 60000);
  EXPECT_EQ(c.notify_max_attempts, 8);
  EXPECT_EQ(c.notify_poll_ms, 250);
  EXPECT_EQ(c.checkout_recovery_grace_ms, 10000);
}

TEST(Config, TimingSettingsAreRead) {
  EXPECT_EQ(Config::from_env(env_with("HTTP_IDLE_TIMEOUT_MS", "300")).http_idle_timeout_ms, 300);
  EXPECT_EQ(Config::from_env(env_with("NOTIFY_RETRY_BASE_MS", "50")).notify_retry_base_ms, 50);
  EXPECT_EQ(Config::from_env(env_with("NOTIFY_RETRY_MAX_MS", "400")).notify_retry_max_ms, 400);
  EXPECT_EQ(Config::from_env(env_with("NOTIFY_MAX_ATTEMPTS", "1000")).notify_max_attempts, 1000);
  EXPECT_EQ(Config::from_env(env_with("NOTIFY_POLL_MS", "10")).notify_poll_ms, 10);
  EXPECT_EQ(Config::from_env(env_with("CHECKOUT_RECOVERY_GRACE_MS", "0")).checkout_recovery_grace_ms, 0);
}

TEST(Config, BadTimingSettingsAreRefusedNamingTheVariable) {
  const std::pair<const char*, const char*> bad[] = {
      {"HTTP_IDLE_TIMEOUT_MS", "abc"},
      {"HTTP_IDLE_TIMEOUT_MS", "99"},
      {"HTTP_IDLE_TIMEOUT_MS", "3600001"},
      {"NOTIFY_RETRY_BASE_MS", "0"},
      {"NOTIFY_RETRY_BASE_MS", "10ms"},
      {"NOTIFY_RETRY_MAX_MS", "86400001"},
      {"NOTIFY_MAX_ATTEMPTS", "0"},
      {"NOTIFY_MAX_ATTEMPTS", "1001"},
      {"NOTIFY_POLL_MS", "9"},
      {"NOTIFY_POLL_MS", "60001"},
      {"CHECKOUT_RECOVERY_GRACE_MS", "-1"},
      {"CHECKOUT_RECOVERY_GRACE_MS", "86400001"},
      {"CHECKOUT_RECOVERY_GRACE_MS", "1.5"},
  };
  for (const auto& [name, value] : bad) {
    try {
      Config::from_env(env_with(name, value));
      ADD_FAILURE() << name << "=" << value << " was accepted";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  }
}
