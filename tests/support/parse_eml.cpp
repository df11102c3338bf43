#include "parse_eml.hpp"

#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace cloudretail::testing {

namespace {

// The system Python first: the SMTP sink's aiosmtpd (Debian's python3-aiosmtpd) is
// only there, and the suites that parse mail also run the sink.
std::string python() { return std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3"; }

}  // namespace

std::string run_capture(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

boost::json::array parse_eml_files(const std::vector<std::string>& paths) {
  if (paths.empty()) return {};
  std::string command = python() + " " CLOUDRETAIL_TEST_SUPPORT_DIR "/parse_eml.py";
  for (const auto& path : paths) command += " '" + path + "'";
  std::string text = run_capture(command);
  boost::system::error_code ec;
  auto parsed = boost::json::parse(text, ec);
  if (ec || !(parsed.is_array() || parsed.is_object()))
    throw std::runtime_error("parse_eml.py gave no JSON: " + text.substr(0, 200));
  // One file gives one object, several a list of them.
  if (parsed.is_object()) return boost::json::array{parsed};
  return parsed.as_array();
}

boost::json::object parse_eml(const std::string& path) {
  auto all = parse_eml_files({path});
  if (all.size() != 1 || !all[0].is_object()) throw std::runtime_error("parse_eml.py gave no object for " + path);
  return all[0].as_object();
}

}  // namespace cloudretail::testing
