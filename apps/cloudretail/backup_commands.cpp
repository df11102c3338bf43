#include "backup_commands.hpp"

#include <fmt/format.h>

#include "ops/sqlite_backup.hpp"

namespace cloudretail::app {

namespace {

bool is_postgres(const Config& config) {
  return config.database_url.rfind("postgresql:", 0) == 0 || config.database_url.rfind("postgres:", 0) == 0;
}

// The URL may carry a password: the advice names the variable, never its value.
constexpr const char* kPgBackupAdvice =
    "cloudretail: DATABASE_URL is PostgreSQL; back it up with PostgreSQL's own tools:\n"
    "  pg_dump --format=custom --file=FILE \"$DATABASE_URL\"\n"
    "a consistent snapshot taken while the shop serves. For point-in-time recovery, archive\n"
    "the WAL (archive_mode=on, archive_command) beside pg_basebackup; see README \"Backups\".\n";
constexpr const char* kPgRestoreAdvice =
    "cloudretail: DATABASE_URL is PostgreSQL; restore with PostgreSQL's own tools, every\n"
    "cloudretail process stopped, into an empty database:\n"
    "  pg_restore --clean --if-exists --no-owner --dbname=\"$DATABASE_URL\" FILE\n"
    "then start the services (see README \"Backups\").\n";

}  // namespace

int run_backup(const Config& config, const std::string& to) {
  if (is_postgres(config)) {
    fmt::print(stderr, "{}", kPgBackupAdvice);
    return 1;
  }
  auto report = ops::backup_sqlite(config.sqlite_path(), to);
  if (!report) {
    fmt::print(stderr, "cloudretail: backup failed: {}\n", report.error().message);
    return 1;
  }
  fmt::print("backup of {} written to {}: {} bytes, {} pages, {} ms\n", config.sqlite_path(), to, report->bytes,
             report->pages, report->milliseconds);
  return 0;
}

int run_restore(const Config& config, const std::string& from) {
  if (is_postgres(config)) {
    fmt::print(stderr, "{}", kPgRestoreAdvice);
    return 1;
  }
  auto report = ops::restore_sqlite(from, config.sqlite_path());
  if (!report) {
    fmt::print(stderr, "cloudretail: restore failed: {}\n", report.error().message);
    return 1;
  }
  fmt::print(
      "restored {} from {} ({} bytes, integrity_check ok, {} ms); the previous database, if any, is kept as "
      "{}.pre-restore\n",
      config.sqlite_path(), from, report->bytes, report->milliseconds, config.sqlite_path());
  return 0;
}

}  // namespace cloudretail::app
