#include "db/database.hpp"

#include <charconv>

#include "db/sqlite_database.hpp"
#include "db/postgres_database.hpp"

namespace cloudretail::db {

int64_t Row::int64(size_t i) const {
  const Value& v = values_.at(i);
  if (auto p = std::get_if<int64_t>(&v)) return *p;
  if (auto s = std::get_if<std::string>(&v)) {
    int64_t out = 0;
    std::from_chars(s->data(), s->data() + s->size(), out);
    return out;
  }
  return 0;
}

std::string Row::text(size_t i) const {
  const Value& v = values_.at(i);
  if (auto s = std::get_if<std::string>(&v)) return *s;
  if (auto p = std::get_if<int64_t>(&v)) return std::to_string(*p);
  return {};
}

std::optional<std::string> Row::opt_text(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}

std::optional<int64_t> Row::opt_int64(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return int64(i);
}

bool Database::ping() noexcept {
  try {
    auto conn = acquire();
    conn->query("SELECT 1");
    return true;
  } catch (...) {
    return false;
  }
}

Lease::~Lease() {
  if (conn_ && owner_) owner_->release(std::move(conn_));
}

std::unique_ptr<Database> open_database(const OpenOptions& options) {
  if (options.url.rfind("postgresql://", 0) == 0 || options.url.rfind("postgres://", 0) == 0)
    return open_postgres(options.url, options.pool_size);
  return open_sqlite(options.sqlite_path, options.pool_size, options.sqlite_synchronous);
}

}  // namespace cloudretail::db
