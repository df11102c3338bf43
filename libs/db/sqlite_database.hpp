#pragma once
#include <memory>
#include <string>

#include "db/database.hpp"

namespace cloudretail::db {

/// SQLite in WAL mode with foreign keys, a busy timeout, and a pool of
/// connections opened lazily (so a missing file shows up as "not ready", not as a
/// crash at start). Writers in this process queue on one mutex before
/// BEGIN IMMEDIATE instead of spinning in SQLite's sleeping busy handler; the busy
/// timeout still covers other processes sharing the file.
std::unique_ptr<Database> open_sqlite(const std::string& path, int pool_size, const std::string& synchronous);

}  // namespace cloudretail::db
