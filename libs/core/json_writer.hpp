#pragma once
/// A small streaming JSON writer for responses. Faster than building a
/// boost::json::value and, unlike Boost.JSON 1.81's serializer, it writes money as
/// 109.97 rather than 1.0997E2.
#include <boost/json/fwd.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace cloudretail {

class JsonWriter {
 public:
  JsonWriter() { out_.reserve(256); }

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);

  JsonWriter& string(std::string_view s);
  JsonWriter& number(int64_t n);
  JsonWriter& boolean(bool b);
  JsonWriter& null();
  /// Minor units written as a number with at most two decimals.
  JsonWriter& money(int64_t minor);
  /// Already-serialized JSON (e.g. a cached product document).
  JsonWriter& raw(std::string_view json);
  /// Any Boost.JSON value (doubles as Boost prints them: keep money out of here).
  JsonWriter& value(const boost::json::value& v);

  // key + value shorthands
  JsonWriter& field(std::string_view k, std::string_view s) { return key(k).string(s); }
  JsonWriter& field(std::string_view k, const char* s) { return key(k).string(s); }
  JsonWriter& field(std::string_view k, const std::string& s) { return key(k).string(s); }
  JsonWriter& field(std::string_view k, int64_t n) { return key(k).number(n); }
  JsonWriter& field(std::string_view k, int n) { return key(k).number(n); }
  JsonWriter& field(std::string_view k, bool b) { return key(k).boolean(b); }
  JsonWriter& money_field(std::string_view k, int64_t minor) { return key(k).money(minor); }

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void before_value();
  void write_escaped(std::string_view s);

  std::string out_;
  // One bit per nesting level: has the container at this depth had an element yet?
  uint64_t has_element_ = 0;
  int depth_ = 0;
  bool after_key_ = false;
};

/// Escapes s as a JSON string literal, quotes included.
std::string json_quote(std::string_view s);

}  // namespace cloudretail
