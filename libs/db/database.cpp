#include "db/database.hpp"

#include <charconv>
#include <exception>

#include "db/postgres_database.hpp"
#include "db/sqlite_database.hpp"

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

/// This thread's open SharedTransaction: its database and connection.
struct SharedTransaction::Joined {
  Database* db;
  Connection* conn;
  const Joined* outer;
};
namespace {
thread_local const SharedTransaction::Joined* t_joined = nullptr;
}

Lease Database::acquire() {
  for (const auto* j = t_joined; j; j = j->outer)
    if (j->db == this) return Lease(*j->conn);
  return Lease(this, take());
}

SharedTransaction::SharedTransaction(Database* db) : db_(db) {
  if (!db_) return;
  lease_ = std::make_unique<Lease>(db_->acquire());  // an enclosing one on db_: its connection
  tx_ = std::make_unique<Transaction>(**lease_, Transaction::kWrite);
  joined_ = std::make_unique<Joined>(Joined{db_, &**lease_, t_joined});
  t_joined = joined_.get();
  uncaught_ = std::uncaught_exceptions();
}

SharedTransaction::~SharedTransaction() noexcept(false) {
  if (!db_) return;
  t_joined = joined_->outer;
  if (std::uncaught_exceptions() > uncaught_) return;  // tx_ rolls back as it goes
  tx_->commit();
}

Transaction::Transaction(Connection& conn, Kind kind) : conn_(conn) {
  if (conn_.open_transactions_ > 0) {
    nested_ = true;
    if (kind == kWrite) {
      savepoint_ = "nested_" + std::to_string(conn_.open_transactions_);
      conn_.run_deferrable("SAVEPOINT " + savepoint_);
    }
  } else {
    kind == kWrite ? conn_.begin_write() : conn_.begin_read();
  }
  ++conn_.open_transactions_;
}

Transaction::~Transaction() {
  if (done_) return;
  --conn_.open_transactions_;
  if (!nested_) {
    conn_.rollback();
    return;
  }
  if (savepoint_.empty()) return;
  try {
    conn_.run_script("ROLLBACK TO " + savepoint_ + "; RELEASE " + savepoint_);
  } catch (...) {
    // The enclosing transaction is broken too; its own rollback or commit says so.
  }
}

void Transaction::commit() {
  if (nested_) {
    if (!savepoint_.empty()) conn_.run_deferrable("RELEASE " + savepoint_);
  } else {
    conn_.commit();
  }
  done_ = true;
  --conn_.open_transactions_;
}

std::unique_ptr<Database> open_database(const OpenOptions& options) {
  if (options.url.rfind("postgresql://", 0) == 0 || options.url.rfind("postgres://", 0) == 0)
    return open_postgres(options.url, options.pool_size);
  return open_sqlite(options.sqlite_path, options.pool_size, options.sqlite_synchronous);
}

}  // namespace cloudretail::db
