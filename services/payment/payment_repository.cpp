#include "payment/payment_repository.hpp"

#include "idempotency/sql_key_store.hpp"

namespace cloudretail::payment {

namespace {
constexpr const char* kSelect =
    "SELECT payment_id, order_id, user_id, amount_minor, currency, status, provider, created_at, email_state,"
    " email_type, email_to, email_attempts, state FROM payments";

/// A value no version of the code wrote: the row is damaged, not the request.
template <typename T>
T read_enum(std::optional<T> parsed, const char* column, const std::string& text) {
  if (!parsed)
    throw db::DbError(db::DbError::Kind::kOther, std::string("payments.") + column + " holds an unknown value: " + text);
  return *parsed;
}

PaymentRecord read(const db::Row& r) {
  PaymentRecord p;
  p.payment_id = r.text(0);
  p.order_id = r.text(1);
  p.user_id = r.text(2);
  p.amount_minor = r.int64(3);
  p.currency = r.text(4);
  p.status = read_enum(parse_payment_status(r.text(5)), "status", r.text(5));
  p.provider = r.text(6);
  p.created_at_ms = r.int64(7);
  p.email_state = read_enum(parse_email_state(r.text(8)), "email_state", r.text(8));
  p.email_type = r.text(9);
  p.email_to = r.text(10);
  p.email_attempts = r.int64(11);
  p.state = read_enum(parse_payment_state(r.text(12)), "state", r.text(12));
  return p;
}
}  // namespace

std::vector<db::Migration> PaymentRepository::migrations() {
  return {{"payment", 1,
           "CREATE TABLE payments ("
           " payment_id TEXT PRIMARY KEY, order_id TEXT NOT NULL, user_id TEXT NOT NULL,"
           " amount_minor BIGINT NOT NULL, currency TEXT NOT NULL, status TEXT NOT NULL, provider TEXT NOT NULL,"
           " created_at BIGINT NOT NULL, email_state TEXT NOT NULL, email_type TEXT NOT NULL,"
           " email_to TEXT NOT NULL, email_attempts BIGINT NOT NULL);"
           "CREATE INDEX payments_order ON payments (order_id);"
           "CREATE INDEX payments_email_state ON payments (email_state)",
           ""},
          idempotency::SqlKeyStore::migration("payment", 2, "payment_idempotency_keys"),
          {"payment", 3,
           "ALTER TABLE payments ADD COLUMN state TEXT NOT NULL DEFAULT 'applied';"
           "CREATE INDEX payments_state ON payments (state, created_at)",
           ""},
          // Refunds: at most one per order, whatever retries and recovery do.
          {"payment", 4, "CREATE UNIQUE INDEX payments_one_refund ON payments (order_id) WHERE status = 'REFUNDED'",
           ""},
          // The attempt cap: one row per order, counted by a conditional upsert.
          {"payment", 5,
           "CREATE TABLE payment_attempts (order_id TEXT PRIMARY KEY, attempts INTEGER NOT NULL)", ""}};
}

bool PaymentRepository::take_attempt(const std::string& order_id, int max) {
  auto conn = db_.acquire();
  // One statement on both backends: concurrent attempts cannot exceed the cap.
  return conn->execute(
             "INSERT INTO payment_attempts (order_id, attempts) VALUES (?, 1) ON CONFLICT (order_id)"
             " DO UPDATE SET attempts = payment_attempts.attempts + 1 WHERE payment_attempts.attempts < ?",
             order_id, max) == 1;
}

void PaymentRepository::insert(const PaymentRecord& p) {
  auto conn = db_.acquire();
  conn->execute(
      "INSERT INTO payments (payment_id, order_id, user_id, amount_minor, currency, status, provider, created_at,"
      " email_state, email_type, email_to, email_attempts, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      p.payment_id, p.order_id, p.user_id, p.amount_minor, p.currency, to_string(p.status), p.provider, p.created_at_ms,
      to_string(p.email_state), p.email_type, p.email_to, p.email_attempts, to_string(p.state));
}

PaymentRecord PaymentRepository::insert_refund(const PaymentRecord& p) {
  auto conn = db_.acquire();
  db::Transaction tx(*conn, db::Transaction::kWrite);
  conn->execute(
      "INSERT INTO payments (payment_id, order_id, user_id, amount_minor, currency, status, provider, created_at,"
      " email_state, email_type, email_to, email_attempts, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      " ON CONFLICT (order_id) WHERE status = 'REFUNDED' DO NOTHING",
      p.payment_id, p.order_id, p.user_id, p.amount_minor, p.currency, to_string(p.status), p.provider, p.created_at_ms,
      to_string(p.email_state), p.email_type, p.email_to, p.email_attempts, to_string(p.state));
  auto rows = conn->query(std::string(kSelect) + " WHERE order_id = ? AND status = 'REFUNDED'", p.order_id);
  PaymentRecord stored = read(rows.first());
  tx.commit();
  return stored;
}

std::optional<PaymentRecord> PaymentRepository::find(const std::string& payment_id) {
  auto conn = db_.acquire();
  auto rows = conn->query(std::string(kSelect) + " WHERE payment_id = ?", payment_id);
  if (rows.empty()) return std::nullopt;
  return read(rows.first());
}

void PaymentRepository::mark_applied(const std::string& payment_id) {
  auto conn = db_.acquire();
  conn->execute("UPDATE payments SET state = 'applied' WHERE payment_id = ?", payment_id);
}

void PaymentRepository::remove_pending(const std::string& payment_id) {
  auto conn = db_.acquire();
  conn->execute("DELETE FROM payments WHERE payment_id = ? AND state = 'pending'", payment_id);
}

std::vector<PaymentRecord> PaymentRepository::stale_pending(int64_t before_ms, int limit) {
  auto conn = db_.acquire();
  auto rows = conn->query(std::string(kSelect) + " WHERE state = 'pending' AND created_at < ? LIMIT ?", before_ms,
                          int64_t{limit});
  std::vector<PaymentRecord> out;
  for (const auto& r : rows.rows) out.push_back(read(r));
  return out;
}

void PaymentRepository::set_email_state(const std::string& payment_id, EmailState state, int64_t attempts) {
  auto conn = db_.acquire();
  conn->execute("UPDATE payments SET email_state = ?, email_attempts = ? WHERE payment_id = ?", to_string(state),
                attempts, payment_id);
}

std::vector<PaymentRecord> PaymentRepository::failed_emails(int64_t max_attempts, int limit) {
  auto conn = db_.acquire();
  auto rows = conn->query(std::string(kSelect) + " WHERE email_state = 'failed' AND state = 'applied' AND email_attempts < ? LIMIT ?",
                          max_attempts, int64_t{limit});
  std::vector<PaymentRecord> out;
  for (const auto& r : rows.rows) out.push_back(read(r));
  return out;
}

}  // namespace cloudretail::payment
