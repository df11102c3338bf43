#include <curl/curl.h>

#include <cstring>
#include <memory>
#include <mutex>

#include "core/chunked_reader.hpp"
#include "notification/transport.hpp"

namespace cloudretail::notification {

namespace {

// host:port of an smtp:// URL without userinfo, for logs.
std::string redacted_host(const std::string& url) {
  auto scheme_end = url.find("://");
  std::string rest = scheme_end == std::string::npos ? url : url.substr(scheme_end + 3);
  if (auto at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
  if (auto slash = rest.find('/'); slash != std::string::npos) rest = rest.substr(0, slash);
  return rest;
}

}  // namespace

SmtpTransport::SmtpTransport(SmtpSettings settings) : settings_(std::move(settings)) {
  // Once per process, before any thread uses libcurl.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string SmtpTransport::describe() const { return "smtp " + redacted_host(settings_.url); }

Status SmtpTransport::deliver(const OutgoingMessage& m) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) return unavailable("smtp: cannot initialise libcurl");
  CURL* c = curl.get();
  char errbuf[CURL_ERROR_SIZE] = {0};
  const std::string from = "<" + m.envelope_from + ">";
  const std::string to = "<" + m.envelope_to + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, to.c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt_guard(rcpt, &curl_slist_free_all);
  ChunkedReader upload{m.data};

  curl_easy_setopt(c, CURLOPT_URL, settings_.url.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, &ChunkedReader::read);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(m.data.size()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, settings_.connect_timeout_ms);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, settings_.timeout_ms);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // worker threads: no SIGALRM for timeouts
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  // SMTP_USER/SMTP_PASSWORD override userinfo in the URL; libcurl reads the latter itself.
  if (!settings_.user.empty()) curl_easy_setopt(c, CURLOPT_USERNAME, settings_.user.c_str());
  if (!settings_.password.empty()) curl_easy_setopt(c, CURLOPT_PASSWORD, settings_.password.c_str());
  if (settings_.starttls) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));

  CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) return ok_status();
  long smtp_code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &smtp_code);
  // errbuf and curl_easy_strerror never carry the password.
  std::string why =
      std::string("smtp ") + redacted_host(settings_.url) + ": " + (errbuf[0] ? errbuf : curl_easy_strerror(rc));
  if (smtp_code > 0) why += " (reply " + std::to_string(smtp_code) + ")";
  Error error = unavailable(why);
  switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
      error.name = kTransportDown;
      break;
    case CURLE_LOGIN_DENIED:    // our credentials: fixable by the operator, keep retrying
    case CURLE_USE_SSL_FAILED:  // STARTTLS required but not offered: a server-side setting
      break;
    default:
      // A 5xx reply to MAIL FROM, RCPT TO or DATA refuses this message for good.
      if (smtp_code >= 500 && smtp_code < 600) error.name = kMessageRejected;
  }
  return error;
}

}  // namespace cloudretail::notification
