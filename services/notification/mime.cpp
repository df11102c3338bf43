#include "notification/mime.hpp"

#include <fmt/format.h>

#include <ctime>

#include "core/crypto.hpp"

namespace cloudretail::notification {

namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kHex[] = "0123456789ABCDEF";

bool is_ascii_printable(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

// Strips CR and LF so no value can start a header of its own.
std::string one_line(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) out += (c == '\r' || c == '\n') ? ' ' : c;
  return out;
}

}  // namespace

std::string base64_encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += kB64[v & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string quoted_printable_encode(std::string_view in) {
  constexpr size_t kMax = 76;  // including the '=' of a soft break
  std::string out;
  out.reserve(in.size() + in.size() / 4);
  size_t pos = 0;
  while (pos <= in.size()) {
    size_t eol = in.find('\n', pos);
    bool last = eol == std::string_view::npos;
    std::string_view line = in.substr(pos, last ? std::string_view::npos : eol - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (last && line.empty()) break;  // no trailing empty line after a final "\n"

    size_t col = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(line[i]);
      bool at_end = i + 1 == line.size();
      bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_end);
      // A leading '.' is encoded so no line of the body can read as SMTP's end of data.
      if (c == '.' && col == 0) literal = false;
      std::string token = literal ? std::string(1, char(c)) : std::string{'=', kHex[c >> 4], kHex[c & 15]};
      // Keep room for the soft break '=' (and for the last token's own length).
      if (col + token.size() > kMax - 1 && !(at_end && col + token.size() <= kMax)) {
        out += "=\r\n";
        col = 0;
        if (c == '.') token = "=2E";
      }
      out += token;
      col += token.size();
    }
    out += "\r\n";
    if (last) break;
    pos = eol + 1;
  }
  return out;
}

std::string encode_header_words(std::string_view utf8) {
  std::string clean = one_line(utf8);
  // 45 input bytes -> 60 base64 characters; with "=?UTF-8?B?" and "?=" a word is 72.
  constexpr size_t kChunk = 45;
  std::string out;
  size_t pos = 0;
  while (pos < clean.size() || out.empty()) {
    size_t end = std::min(clean.size(), pos + kChunk);
    // Back off to a UTF-8 character boundary (continuation bytes are 10xxxxxx); a
    // chunk of nothing but continuation bytes (not UTF-8) is cut where it is, or this
    // loop would never advance (found by fuzz_mime).
    size_t cut = end;
    while (cut < clean.size() && cut > pos && (static_cast<unsigned char>(clean[cut]) & 0xC0) == 0x80) --cut;
    if (cut > pos) end = cut;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64_encode(std::string_view(clean).substr(pos, end - pos)) + "?=";
    pos = end;
    if (clean.empty()) break;
  }
  return out;
}

std::string rfc5322_date(int64_t epoch_ms) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t t = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{}, {:02d} {} {:04d} {:02d}:{:02d}:{:02d} +0000", kDays[tm.tm_wday], tm.tm_mday,
                     kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string format_mailbox(std::string_view display_name, std::string_view address) {
  std::string name = one_line(display_name);
  if (name.empty()) return std::string(address);
  if (!is_ascii_printable(name)) return encode_header_words(name) + " <" + std::string(address) + ">";
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += '"';
  return quoted + " <" + std::string(address) + ">";
}

std::optional<std::string> mailbox_address(std::string_view mailbox) {
  auto lt = mailbox.rfind('<');
  std::string_view addr = mailbox;
  if (lt != std::string_view::npos) {
    auto gt = mailbox.find('>', lt);
    if (gt == std::string_view::npos) return std::nullopt;
    addr = mailbox.substr(lt + 1, gt - lt - 1);
  }
  while (!addr.empty() && addr.front() == ' ') addr.remove_prefix(1);
  while (!addr.empty() && addr.back() == ' ') addr.remove_suffix(1);
  auto at = addr.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == addr.size()) return std::nullopt;
  for (unsigned char c : addr)
    if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '"' || c == ',') return std::nullopt;
  return std::string(addr);
}

std::string random_letters(size_t n) {
  std::string bytes = crypto::random_bytes(n);
  std::string out(n, 'a');
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<char>('a' + static_cast<unsigned char>(bytes[i]) % 26);
  return out;
}

std::string build_mime(const MimeMessage& m) {
  std::string out;
  out.reserve(m.text.size() + m.html.size() + 1024);
  auto header = [&out](std::string_view name, std::string_view value) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  };
  header("From", one_line(m.from));
  header("To", one_line(m.to));
  header("Subject", encode_header_words(m.subject));
  header("Date", rfc5322_date(m.date_ms));
  header("Message-ID", "<" + one_line(m.message_id) + ">");
  header("MIME-Version", "1.0");
  header("Content-Type", "multipart/alternative; boundary=\"" + m.boundary + "\"");
  out += "\r\n";
  out += "This is a multi-part message in MIME format.\r\n";
  auto part = [&](std::string_view type, std::string_view body) {
    out += "\r\n--" + m.boundary + "\r\n";
    out += "Content-Type: " + std::string(type) + "; charset=UTF-8\r\n";
    out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
    out += quoted_printable_encode(body);
  };
  part("text/plain", m.text);
  part("text/html", m.html);
  out += "\r\n--" + m.boundary + "--\r\n";
  return out;
}

}  // namespace cloudretail::notification
