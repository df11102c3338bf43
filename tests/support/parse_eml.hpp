#pragma once
/// The C++ side of parse_eml.py: .eml files read as a mail reader reads them (Python's
/// `email` package), for the suites that check what the shop sends.
#include <boost/json.hpp>
#include <string>
#include <vector>

namespace cloudretail::testing {

/// Runs `command` through the shell and returns what it wrote to stdout (empty when
/// it could not start).
std::string run_capture(const std::string& command);

/// parse_eml.py's object for each file, in the order given: from, to, subject, text,
/// html, parts, defects, …. Throws std::runtime_error when the script gives no JSON.
boost::json::array parse_eml_files(const std::vector<std::string>& paths);
boost::json::object parse_eml(const std::string& path);

}  // namespace cloudretail::testing
