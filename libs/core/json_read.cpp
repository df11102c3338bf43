#include "core/json_read.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>
#include <charconv>
#include <cmath>

#include "core/money.hpp"

namespace cloudretail {

namespace detail {

bool decimal_text_is_whole_cents(std::string_view text) {
  // JSON number: -?int(.frac)?([eE][+-]?exp)?  value = digits x 10^(exp - fraction digits)
  size_t i = 0;
  if (i < text.size() && text[i] == '-') ++i;
  std::string_view int_part, frac_part;
  size_t start = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  int_part = text.substr(start, i - start);
  if (i < text.size() && text[i] == '.') {
    start = ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    frac_part = text.substr(start, i - start);
  }
  int64_t exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i)
      exponent = std::min<int64_t>(exponent * 10 + (text[i] - '0'), int64_t{1} << 40);  // saturate
    if (negative) exponent = -exponent;
  }
  // Trailing zeros of all the digits; an all-zero number is 0, a whole number of cents.
  size_t trailing_zeros = 0;
  bool all_zero = true;
  for (std::string_view part : {frac_part, int_part}) {
    for (size_t k = part.size(); k-- > 0;) {
      if (part[k] != '0') {
        all_zero = false;
        break;
      }
      ++trailing_zeros;
    }
    if (!all_zero) break;
  }
  if (all_zero) return true;
  // digits x 10^(exponent - frac + 2) must be an integer.
  int64_t shift = exponent - static_cast<int64_t>(frac_part.size()) + 2;
  return shift >= 0 || static_cast<int64_t>(trailing_zeros) >= -shift;
}

}  // namespace detail

namespace {

/// Boost's own value-building handler, except for on_double (see parse_json_exact).
struct ExactHandler {
  static constexpr std::size_t max_object_size = boost::json::object::max_size();
  static constexpr std::size_t max_array_size = boost::json::array::max_size();
  static constexpr std::size_t max_key_size = boost::json::string::max_size();
  static constexpr std::size_t max_string_size = boost::json::string::max_size();

  boost::json::value_stack st;
  std::string number;  // the text of a number split across parts (not with one buffer)

  bool on_document_begin(boost::system::error_code&) { return true; }
  bool on_document_end(boost::system::error_code&) { return true; }
  bool on_object_begin(boost::system::error_code&) { return true; }
  bool on_object_end(std::size_t n, boost::system::error_code&) {
    st.push_object(n);
    return true;
  }
  bool on_array_begin(boost::system::error_code&) { return true; }
  bool on_array_end(std::size_t n, boost::system::error_code&) {
    st.push_array(n);
    return true;
  }
  bool on_key_part(boost::json::string_view s, std::size_t, boost::system::error_code&) {
    st.push_chars(s);
    return true;
  }
  bool on_key(boost::json::string_view s, std::size_t, boost::system::error_code&) {
    st.push_key(s);
    return true;
  }
  bool on_string_part(boost::json::string_view s, std::size_t, boost::system::error_code&) {
    st.push_chars(s);
    return true;
  }
  bool on_string(boost::json::string_view s, std::size_t, boost::system::error_code&) {
    st.push_string(s);
    return true;
  }
  bool on_number_part(boost::json::string_view s, boost::system::error_code&) {
    number.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, boost::json::string_view, boost::system::error_code&) {
    number.clear();
    st.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, boost::json::string_view, boost::system::error_code&) {
    number.clear();
    st.push_uint64(u);
    return true;
  }
  bool on_double(double d, boost::json::string_view s, boost::system::error_code&) {
    number.append(s.data(), s.size());
    st.push_double(exact_double(d, number));
    number.clear();
    return true;
  }
  bool on_bool(bool b, boost::system::error_code&) {
    st.push_bool(b);
    return true;
  }
  bool on_null(boost::system::error_code&) {
    st.push_null();
    return true;
  }
  bool on_comment_part(boost::json::string_view, boost::system::error_code&) { return true; }
  bool on_comment(boost::json::string_view, boost::system::error_code&) { return true; }

  static double exact_double(double boost_value, std::string_view text) {
    double d = boost_value;
    // from_chars rounds correctly; keep Boost's value where it refuses (out of range).
    double correct = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), correct);
    if (ec == std::errc() && ptr == text.data() + text.size()) d = correct;
    if (!std::isfinite(d) || detail::decimal_text_is_whole_cents(text)) return d;
    // Not a whole count of cents, but on the double of one: step off it by one ulp.
    if (money_from_double(d)) d = std::nextafter(d, d < 0 ? -INFINITY : INFINITY);
    return d;
  }
};

}  // namespace

boost::json::value parse_json_exact(std::string_view text, boost::system::error_code& ec) {
  boost::json::basic_parser<ExactHandler> parser(boost::json::parse_options{});
  parser.handler().st.reset();  // the stack needs a reset before the first push
  size_t n = parser.write_some(false, text.data(), text.size(), ec);
  if (ec) return nullptr;
  if (n < text.size()) {
    ec = boost::json::error::extra_data;
    return nullptr;
  }
  return parser.handler().st.release();
}

Result<boost::json::object> parse_json_object(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return boost::json::object{};
  boost::system::error_code ec;
  boost::json::value v = parse_json_exact(body, ec);
  if (ec || !v.is_object()) return bad_request("Invalid JSON body");
  return std::move(v.as_object());
}

std::optional<std::string> json_string(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return std::nullopt;
  return std::string(it->value().get_string());
}

std::optional<int64_t> json_int(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return std::nullopt;
  const auto& v = it->value();
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<uint64_t>(INT64_MAX)) return static_cast<int64_t>(v.get_uint64());
  // 3.0 is an integer; 3.5 is not.
  if (v.is_double() && std::isfinite(v.get_double()) && std::floor(v.get_double()) == v.get_double() &&
      std::abs(v.get_double()) < 9e15)
    return static_cast<int64_t>(v.get_double());
  return std::nullopt;
}

}  // namespace cloudretail
