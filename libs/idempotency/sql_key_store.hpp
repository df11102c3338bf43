#pragma once
/// Idempotency-Keys in a table of the service's own database (each service its own
/// table, so that services can split). Keys are kept 24 h. The claim is atomic on
/// both backends (INSERT ... ON CONFLICT DO NOTHING). The table name is the only
/// text spliced into SQL: it is checked against [a-z][a-z0-9_]* at construction and
/// every statement is built once then; values are always bound parameters.
#include <cstdint>
#include <string>

#include "core/clock.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "idempotency/key_store.hpp"

namespace cloudretail::idempotency {

class SqlKeyStore final : public KeyStore {
 public:
  static constexpr int64_t kKeepMs = 24LL * 3600 * 1000;
  /// An in_progress row this old is taken to be from a process that died.
  static constexpr int64_t kStaleInProgressMs = 120'000;

  /// Throws std::invalid_argument for a table name that is not a plain identifier.
  SqlKeyStore(db::Database& db, const std::string& table, const Clock& clock);

  Claim claim(const std::string& scope, const std::string& key, const std::string& request_hash) override;
  void complete(const std::string& scope, const std::string& key, int status, const std::string& body) override;
  void abandon(const std::string& scope, const std::string& key) override;
  /// Deletes keys older than 24 h (the service's background loop calls it).
  void purge_expired();

  /// The table's migration, for the owning service's list (same text as ever:
  /// existing databases recorded it by version). Built here rather than kept as a
  /// services/<name>/migrations file: the table's shape belongs with the statements
  /// above that use it, and order and payment each own a copy under their own name.
  static db::Migration migration(const std::string& service, int version, const std::string& table);

 private:
  struct Statements {
    std::string take_over;  // deletes an expired or dead in_progress row of the key
    std::string insert;
    std::string select;
    std::string complete;
    std::string abandon;
    std::string purge;
  };
  static Statements statements_for(const std::string& table);

  db::Database& db_;
  const Clock& clock_;
  const Statements sql_;
};

/// True for names SqlKeyStore accepts: [a-z][a-z0-9_]*, at most 63 characters.
bool valid_table_name(const std::string& table);

}  // namespace cloudretail::idempotency
