#pragma once
/// Builds RFC 5322 / MIME messages: multipart/alternative with a text/plain and a
/// text/html part, UTF-8, quoted-printable bodies (digits and ASCII words stay
/// readable in the raw file), an RFC 2047 encoded-word subject, CRLF line ends.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cloudretail::notification {

struct MimeMessage {
  std::string from;        // "Shop <noreply@shop.example>" or "noreply@shop.example"
  std::string to;          // bare address
  std::string subject;     // UTF-8
  std::string text;        // UTF-8, "\n" or "\r\n" line ends
  std::string html;        // UTF-8
  int64_t date_ms = 0;     // Date header
  std::string message_id;  // without angle brackets: "abc@shop.example"
  std::string boundary;    // multipart boundary
};

/// The whole message, headers and body, with CRLF line ends.
std::string build_mime(const MimeMessage& m);

/// Quoted-printable (RFC 2045): lines of at most 76 characters, CRLF line ends.
std::string quoted_printable_encode(std::string_view utf8);
/// Standard base64 with padding.
std::string base64_encode(std::string_view bytes);
/// A header value as RFC 2047 encoded-words (=?UTF-8?B?...?=), folded so that no
/// word exceeds 75 characters and no character is split across words.
std::string encode_header_words(std::string_view utf8);
/// RFC 5322 date: "Tue, 03 Feb 2026 10:00:00 +0000".
std::string rfc5322_date(int64_t epoch_ms);
/// The From header value for a display name and an address ("Shop" <a@b>).
std::string format_mailbox(std::string_view display_name, std::string_view address);
/// The address inside "Name <addr>" or a bare address; nullopt when malformed.
std::optional<std::string> mailbox_address(std::string_view mailbox);
/// A token of lower-case letters only (message ids, boundaries): never a run of
/// digits that a reader could mistake for a code.
std::string random_letters(size_t n);

}  // namespace cloudretail::notification
