#pragma once
#include <memory>
#include <string>

#include "db/database.hpp"

namespace cloudretail::db {

/// PostgreSQL through libpq: a pool of connections, statements prepared once per
/// connection, `?` placeholders rewritten to $n.
std::unique_ptr<Database> open_postgres(const std::string& url, int pool_size);

}  // namespace cloudretail::db
