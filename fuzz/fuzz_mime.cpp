// The MIME builder and its encoders on arbitrary UTF-8 (and non-UTF-8) input.
// Properties: the message has CRLF line ends only and no line over 998 octets
// (RFC 5322), quoted-printable lines stay within 76, encoded-words carry no line
// break (no header injection through a subject or a display name).
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "notification/mime.hpp"

using namespace cloudretail::notification;

namespace {

void finding(const char* what, const std::string& text) {
  std::fprintf(stderr, "%s:\n%s\n", what, text.c_str());
  std::abort();
}

/// CRLF only, and no line longer than `max` octets.
void check_lines(const std::string& text, size_t max, const char* what) {
  size_t line = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      if (i + 1 >= text.size() || text[i + 1] != '\n') finding(what, text);
      ++i;
      line = 0;
    } else if (text[i] == '\n') {
      finding(what, text);
    } else if (++line > max) {
      finding(what, text);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  std::string name = in.ConsumeRandomLengthString(100);
  std::string subject = in.ConsumeRandomLengthString(300);
  std::string text = in.ConsumeRandomLengthString(2000);
  std::string html = in.ConsumeRemainingBytesAsString();

  std::string words = encode_header_words(subject);
  if (words.find_first_of("\r\n") != std::string::npos && words.find("\r\n ") == std::string::npos)
    finding("an encoded subject with a bare line break", words);
  check_lines(quoted_printable_encode(text), 76, "quoted-printable: bare LF/CR or a line over 76");
  std::string from = format_mailbox(name, "noreply@shop.example");
  if (mailbox_address(from) != std::optional<std::string>("noreply@shop.example"))
    finding("format_mailbox/mailbox_address do not agree", from);

  MimeMessage m;
  m.from = from;
  m.to = "buyer@example.com";
  m.subject = subject;
  m.text = text;
  m.html = html;
  m.date_ms = 1770112800000;
  m.message_id = "abc@shop.example";
  m.boundary = "boundaryxyz";
  std::string message = build_mime(m);
  check_lines(message, 998, "message: bare LF/CR or a line over 998");
  // The headers end at the first empty line; a header line never starts a new field
  // that we did not write (injection shows up as e.g. "Bcc:").
  std::string headers = message.substr(0, message.find("\r\n\r\n"));
  if (headers.find("\r\nBcc:") != std::string::npos) finding("header injection", headers);
  return 0;
}
