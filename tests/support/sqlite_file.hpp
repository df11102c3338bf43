#pragma once
/// Editing a test server's SQLite file behind its back (ageing a code, leaking stock):
/// what a suite does to reach a state no HTTP call makes. SQLite runs only.
#include <string>

namespace cloudretail::testing {

/// Runs `sql` on the SQLite database at `db_path`, waiting up to 5 s for the server's
/// locks. Returns SQLite's result code (SQLITE_OK is 0), or -1 when the file does not
/// open; `error`, when given, receives SQLite's message.
int sqlite_exec(const std::string& db_path, const std::string& sql, std::string* error = nullptr);

}  // namespace cloudretail::testing
