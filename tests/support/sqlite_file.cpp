#include "sqlite_file.hpp"

#include <sqlite3.h>

namespace cloudretail::testing {

int sqlite_exec(const std::string& db_path, const std::string& sql, std::string* error) {
  sqlite3* db = nullptr;
  if (sqlite3_open(db_path.c_str(), &db) != SQLITE_OK) {
    if (error) *error = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return -1;
  }
  sqlite3_busy_timeout(db, 5000);
  char* message = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  if (error) *error = message ? message : "";
  sqlite3_free(message);
  sqlite3_close(db);
  return rc;
}

}  // namespace cloudretail::testing
