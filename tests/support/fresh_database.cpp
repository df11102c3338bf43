#include "fresh_database.hpp"

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>

#include "pg_cluster.hpp"

namespace cloudretail::testing {

std::string backend_name(Backend backend) { return backend == Backend::kSqlite ? "Sqlite" : "Postgres"; }

void PrintTo(Backend backend, std::ostream* os) { *os << backend_name(backend); }

std::string make_temp_dir(const std::string& prefix) {
  std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

FreshDatabase::FreshDatabase(Backend backend, const std::string& prefix)
    : backend_(backend), dir_(make_temp_dir(prefix)) {
  if (backend == Backend::kPostgres) url_ = fresh_pg_database().value_or("");
}

FreshDatabase::~FreshDatabase() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::unique_ptr<db::Database> FreshDatabase::open(int pool, const std::string& sqlite_synchronous) const {
  return db::open_database({url_, sqlite_path(), pool, sqlite_synchronous});
}

}  // namespace cloudretail::testing
