#include "db/postgres_database.hpp"

#include "db/connection_pool.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <charconv>
#include <chrono>
#include <cstring>
#include <thread>
#include <unordered_map>
#include <vector>

namespace cloudretail::db {

namespace {

// Type OIDs from pg_type.h (catalog/pg_type_d.h is a server header).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;

std::string trimmed(const char* msg) {
  std::string s = msg ? msg : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s.empty() ? "PostgreSQL error" : s;
}

/// `?` -> $1..$n, leaving `?` inside '…' literals, "…" identifiers and comments alone.
std::string rewrite_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 8);
  int n = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '\'' || c == '"') {
      size_t end = sql.find(c, i + 1);  // a doubled quote is two adjacent literals: same result
      if (end == std::string_view::npos) end = sql.size() - 1;
      out.append(sql.substr(i, end - i + 1));
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t end = sql.find('\n', i);
      if (end == std::string_view::npos) end = sql.size() - 1;
      out.append(sql.substr(i, end - i + 1));
      i = end;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      size_t end = sql.find("*/", i + 2);
      end = end == std::string_view::npos ? sql.size() - 1 : end + 1;
      out.append(sql.substr(i, end - i + 1));
      i = end;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

bool starts_with(const char* s, std::string_view prefix) {
  return s && std::strncmp(s, prefix.data(), prefix.size()) == 0;
}

class PgConnection final : public Connection {
 public:
  explicit PgConnection(const std::string& url) {
    // connect_timeout first: a value in the URL overrides it.
    const char* keys[] = {"connect_timeout", "application_name", "client_encoding", "dbname", nullptr};
    const char* values[] = {"5", "cloudretail", "UTF8", url.c_str(), nullptr};
    conn_ = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = conn_ ? trimmed(PQerrorMessage(conn_)) : "out of memory";
      PQfinish(conn_);
      conn_ = nullptr;
      throw DbError(DbError::Kind::kUnavailable, "cannot connect to PostgreSQL: " + msg);
    }
    // NOTICEs ("relation ... already exists, skipping") are not errors: keep stderr quiet.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
  }

  ~PgConnection() override { PQfinish(conn_); }

  /// False once the server went away: the pool drops the connection.
  bool usable() const { return !broken_ && PQstatus(conn_) == CONNECTION_OK; }

  /// An idle pooled connection whose socket is readable has been closed or told to
  /// terminate by the server (we never leave results unread and LISTEN nothing).
  bool looks_alive() const {
    if (!usable()) return false;
    pollfd pfd{PQsocket(conn_), POLLIN, 0};
    return ::poll(&pfd, 1, 0) == 0;
  }

  /// Called when the connection comes back to the pool.
  bool reset_for_pool() noexcept {
    if (!usable()) return false;
    if (!held_back_.empty()) rollback();
    switch (PQtransactionStatus(conn_)) {
      case PQTRANS_IDLE:
        return true;
      case PQTRANS_INTRANS:
      case PQTRANS_INERROR:
        rollback();
        return usable() && PQtransactionStatus(conn_) == PQTRANS_IDLE;
      default:
        return false;  // a command still running, or unknown
    }
  }

  QueryResult run(std::string_view sql, std::span<const Param> params) override {
    const std::string& name = prepare(sql, params.size());

    // Parameters go as text; libpq wants NUL-terminated strings, so keep copies.
    std::vector<std::string> storage;
    storage.reserve(params.size());                           // no reallocation: the c_str() pointers stay valid
    std::vector<const char*> values(params.size(), nullptr);  // nullptr = NULL
    for (size_t i = 0; i < params.size(); ++i) {
      if (auto n = std::get_if<int64_t>(&params[i])) {
        values[i] = storage.emplace_back(std::to_string(*n)).c_str();
      } else if (auto s = std::get_if<std::string_view>(&params[i])) {
        values[i] = storage.emplace_back(*s).c_str();
      }
    }

    const int n = static_cast<int>(params.size());
    PGresult* res = held_back_.empty()
                        ? PQexecPrepared(conn_, name.c_str(), n, values.data(), nullptr, nullptr, /*resultFormat=*/0)
                        : send_held_back_with([&] {
                            return PQsendQueryPrepared(conn_, name.c_str(), n, values.data(), nullptr, nullptr, 0);
                          });
    ResultGuard guard{res};
    check(res, /*statement=*/&sql);

    QueryResult result;
    if (PQresultStatus(res) == PGRES_TUPLES_OK) {
      const int rows = PQntuples(res), cols = PQnfields(res);
      std::vector<Oid> types(static_cast<size_t>(cols));
      for (int c = 0; c < cols; ++c) types[static_cast<size_t>(c)] = PQftype(res, c);
      result.rows.reserve(static_cast<size_t>(rows));
      for (int r = 0; r < rows; ++r) {
        std::vector<Value> row;
        row.reserve(static_cast<size_t>(cols));
        for (int c = 0; c < cols; ++c) {
          if (PQgetisnull(res, r, c)) {
            row.emplace_back(nullptr);
            continue;
          }
          const char* v = PQgetvalue(res, r, c);
          const int len = PQgetlength(res, r, c);
          const Oid t = types[static_cast<size_t>(c)];
          if (t == kInt8Oid || t == kInt4Oid || t == kInt2Oid) {
            int64_t n = 0;
            std::from_chars(v, v + len, n);
            row.emplace_back(n);
          } else if (t == kBoolOid) {
            row.emplace_back(int64_t{v[0] == 't' ? 1 : 0});
          } else {
            row.emplace_back(std::string(v, static_cast<size_t>(len)));
          }
        }
        result.rows.emplace_back(std::move(row));
      }
    }
    // Like SQLite's changes(): only statements that change rows count (PostgreSQL
    // also reports a row count for SELECT).
    const char* status = PQcmdStatus(res);
    if (starts_with(status, "INSERT") || starts_with(status, "UPDATE") || starts_with(status, "DELETE") ||
        starts_with(status, "MERGE")) {
      const char* tuples = PQcmdTuples(res);
      std::from_chars(tuples, tuples + std::strlen(tuples), result.affected);
    }
    return result;
  }

  void run_script(std::string_view sql) override {
    if (!held_back_.empty()) {
      // A script runs now: what was held back goes first (with a no-op to carry it).
      ResultGuard flushed{send_held_back_with(
          [&] { return PQsendQueryParams(conn_, "SELECT 1", 0, nullptr, nullptr, nullptr, nullptr, 0); })};
      check(flushed.res, nullptr);
    }
    const std::string script(sql);
    // Outside a transaction a multi-statement script runs as one implicit transaction,
    // so a failed attempt left nothing behind. Two sessions racing on
    // `CREATE TABLE IF NOT EXISTS` can fail with a unique violation on the catalog
    // (or "already exists"); a second attempt then sees the table.
    const bool may_retry = PQtransactionStatus(conn_) == PQTRANS_IDLE;
    for (int attempt = 0;; ++attempt) {
      PGresult* res = PQexec(conn_, script.c_str());
      ResultGuard guard{res};
      try {
        check(res, nullptr);
        return;
      } catch (const DbError& e) {
        const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
        const bool race = state && (std::strcmp(state, "23505") == 0 || std::strcmp(state, "42P07") == 0 ||
                                    std::strcmp(state, "42710") == 0);
        if (!(may_retry && race && attempt < 3 && usable())) throw;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20 * (attempt + 1)));
    }
  }

  // BEGIN goes with the transaction's first statement (see run_deferrable).
  void begin_read() override { held_back_.emplace_back("BEGIN"); }
  // READ COMMITTED: conditional UPDATEs re-check their WHERE clause on the locked row.
  void begin_write() override { held_back_.emplace_back("BEGIN"); }

  void run_deferrable(std::string_view sql) override { held_back_.emplace_back(sql); }

  void commit() override {
    if (held_back_.size() == 1 && held_back_[0] == "BEGIN") {  // nothing ran: nothing to commit
      held_back_.clear();
      return;
    }
    PGresult* res = held_back_.empty() ? PQexec(conn_, "COMMIT") : send_held_back_with([&] {
      return PQsendQueryParams(conn_, "COMMIT", 0, nullptr, nullptr, nullptr, nullptr, 0);
    });
    ResultGuard guard{res};
    check(res, nullptr);
    // COMMIT of a failed transaction "succeeds" as a ROLLBACK.
    if (starts_with(PQcmdStatus(res), "ROLLBACK"))
      throw DbError(DbError::Kind::kOther, "transaction was rolled back after an error");
  }

  void rollback() noexcept override {
    held_back_.clear();  // a BEGIN never sent left nothing to roll back on the server
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) return;
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return;
    PGresult* res = PQexec(conn_, "ROLLBACK");
    if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) broken_ = true;
    PQclear(res);
  }

 private:
  struct ResultGuard {
    PGresult* res;
    ~ResultGuard() { PQclear(res); }
  };

  /// One round trip for the held-back commands (BEGIN, SAVEPOINT, RELEASE) and the
  /// statement `send_last` queues (libpq pipeline mode). Returns that statement's
  /// result (which may be an error, for the caller's check()); throws when a held-back
  /// command failed, or the connection did.
  template <typename SendLast>
  PGresult* send_held_back_with(SendLast send_last) {
    std::vector<std::string> commands = std::move(held_back_);
    held_back_.clear();
    bool sent = PQenterPipelineMode(conn_) == 1;
    for (const auto& c : commands)
      sent = sent && PQsendQueryParams(conn_, c.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
    sent = sent && send_last() == 1 && PQpipelineSync(conn_) == 1;
    if (!sent) lost_in_pipeline();
    PGresult* last = nullptr;
    PGresult* failure = nullptr;  // the first held-back command that failed
    for (size_t i = 0; i <= commands.size(); ++i) {
      PGresult* r = PQgetResult(conn_);
      if (!r) {
        PQclear(failure);
        lost_in_pipeline();
      }
      while (PGresult* rest = PQgetResult(conn_)) PQclear(rest);  // each query's results end with null
      const ExecStatusType st = PQresultStatus(r);
      const bool failed = st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_PIPELINE_ABORTED;
      if (i == commands.size()) {
        last = r;
      } else if (failed && !failure) {
        failure = r;
      } else {
        PQclear(r);
      }
    }
    PQclear(PQgetResult(conn_));  // PGRES_PIPELINE_SYNC
    if (PQexitPipelineMode(conn_) != 1) broken_ = true;
    if (failure) {
      PQclear(last);
      ResultGuard guard{failure};
      check(failure, nullptr);
    }
    return last;
  }

  [[noreturn]] void lost_in_pipeline() {
    broken_ = true;  // results unread or the link gone: the pool drops this connection
    throw DbError(DbError::Kind::kUnavailable, "PostgreSQL unavailable: " + trimmed(PQerrorMessage(conn_)));
  }

  const std::string& prepare(std::string_view sql, size_t nparams) {
    auto it = statements_.find(std::string(sql));
    if (it != statements_.end()) return it->second;
    std::string name = "cr_" + std::to_string(++counter_);
    const std::string text = rewrite_placeholders(sql);
    const int n = static_cast<int>(nparams);
    // A failed PREPARE aborts the transaction too: a held-back SAVEPOINT must go first.
    PGresult* res =
        held_back_.empty()
            ? PQprepare(conn_, name.c_str(), text.c_str(), n, nullptr)
            : send_held_back_with([&] { return PQsendPrepare(conn_, name.c_str(), text.c_str(), n, nullptr); });
    ResultGuard guard{res};
    check(res, &sql);
    return statements_.emplace(std::string(sql), std::move(name)).first->second;
  }

  /// Throws DbError unless `res` is a success; classifies by SQLSTATE.
  void check(PGresult* res, const std::string_view* statement) {
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) return;
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string msg = trimmed(res ? PQresultErrorMessage(res) : PQerrorMessage(conn_));
    std::string code = state ? state : "";
    if (PQstatus(conn_) != CONNECTION_OK || code.rfind("08", 0) == 0 || code == "57P01" || code == "57P02" ||
        code == "57P03") {
      broken_ = true;
      throw DbError(DbError::Kind::kUnavailable, "PostgreSQL unavailable: " + msg);
    }
    // A statement prepared before a schema change may need preparing again.
    if (code == "0A000" && statement && msg.find("cached plan") != std::string::npos) {
      auto it = statements_.find(std::string(*statement));
      if (it != statements_.end()) {
        PQclear(PQexec(conn_, ("DEALLOCATE " + it->second).c_str()));
        statements_.erase(it);
      }
    }
    if (code == "23505") throw DbError(DbError::Kind::kUniqueViolation, msg);
    if (code == "40001" || code == "40P01" || code == "55P03") throw DbError(DbError::Kind::kBusy, msg);
    throw DbError(DbError::Kind::kOther, msg);
  }

  PGconn* conn_ = nullptr;
  bool broken_ = false;
  uint64_t counter_ = 0;
  std::unordered_map<std::string, std::string> statements_;  // SQL text -> prepared name
  std::vector<std::string> held_back_;                       // commands to send with the next statement
};

class PgDatabase final : public Database {
 public:
  PgDatabase(std::string url, int pool_size)
      : pool_(pool_size,
              {.open = [url]() -> std::unique_ptr<Connection> { return std::make_unique<PgConnection>(url); },
               // A closed socket means a server restart or failover.
               .alive = [](Connection& c) { return static_cast<PgConnection&>(c).looks_alive(); },
               .reset = [](Connection& c) { return static_cast<PgConnection&>(c).reset_for_pool(); }}) {}

  Dialect dialect() const override { return Dialect::kPostgres; }
  std::unique_ptr<Connection> take() override { return pool_.take(); }

  DbStats stats() const override {
    DbStats out;
    out.pool_waits = pool_.waits();
    out.pool_wait_us = pool_.wait_us();
    return out;
  }

 protected:
  void release(std::unique_ptr<Connection> conn) noexcept override { pool_.give_back(std::move(conn)); }

 private:
  ConnectionPool pool_;
};

}  // namespace

std::unique_ptr<Database> open_postgres(const std::string& url, int pool_size) {
  return std::make_unique<PgDatabase>(url, pool_size);
}

}  // namespace cloudretail::db
