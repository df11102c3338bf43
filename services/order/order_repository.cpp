#include "order/order_repository.hpp"

#include <stdexcept>

#include "idempotency/sql_key_store.hpp"

namespace cloudretail::order {

namespace {
constexpr const char* kColumns =
    "order_id, user_id, user_email, status, total_minor, currency, created_at, updated_at, expires_at,"
    " reservation_id, stock_held, shipped_at, tracking_number, refunded_at, refund_payment_id, email_pending";

OrderStatus read_status(const std::string& text) {
  auto s = parse_order_status(text);
  if (!s) throw db::DbError(db::DbError::Kind::kOther, "orders.status holds an unknown value: " + text);
  return *s;
}

void check_move(OrderStatus from, OrderStatus to) {
  if (!can_transition(from, to))
    throw std::logic_error("order status cannot move from " + std::string(to_string(from)) + " to " +
                           std::string(to_string(to)));
}

OrderRecord read_order(const db::Row& r) {
  OrderRecord o;
  o.info.order_id = r.text(0);
  o.info.user_id = r.text(1);
  o.info.user_email = r.text(2);
  o.info.status = read_status(r.text(3));
  o.info.total_minor = r.int64(4);
  o.info.currency = r.text(5);
  o.info.created_at_ms = r.int64(6);
  o.info.updated_at_ms = r.int64(7);
  o.info.expires_at_ms = r.opt_int64(8);
  o.reservation_id = r.text(9);
  o.stock_held = r.int64(10) != 0;
  o.info.shipped_at_ms = r.opt_int64(11);
  o.info.tracking_number = r.opt_text(12);
  o.info.refunded_at_ms = r.opt_int64(13);
  o.refund_payment_id = r.opt_text(14);
  o.email_pending = r.opt_text(15);
  return o;
}

std::vector<std::string> ids(const db::QueryResult& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows.rows) out.push_back(r.text(0));
  return out;
}
}  // namespace

std::vector<db::Migration> OrderRepository::migrations() {
  return {{"order", 1,
           "CREATE TABLE orders ("
           " order_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, user_email TEXT NOT NULL, status TEXT NOT NULL,"
           " total_minor BIGINT NOT NULL, currency TEXT NOT NULL, created_at BIGINT NOT NULL,"
           " updated_at BIGINT NOT NULL, expires_at BIGINT, reservation_id TEXT NOT NULL,"
           " stock_held BIGINT NOT NULL);"
           "CREATE INDEX orders_user_created ON orders (user_id, created_at, order_id);"
           "CREATE INDEX orders_status ON orders (status, updated_at);"
           "CREATE TABLE order_lines ("
           " order_id TEXT NOT NULL, product_id TEXT NOT NULL, position BIGINT NOT NULL,"
           " qty BIGINT NOT NULL, price_minor BIGINT NOT NULL, PRIMARY KEY (order_id, product_id));"
           "CREATE INDEX order_lines_product ON order_lines (product_id)",
           ""},
          idempotency::SqlKeyStore::migration("order", 2, "idempotency_keys"),
          // Running a shop: the admin list across users (newest first, optionally one
          // status), shipping and refunds, and their emails until handed over.
          {"order", 3,
           "ALTER TABLE orders ADD COLUMN shipped_at BIGINT;"
           "ALTER TABLE orders ADD COLUMN tracking_number TEXT;"
           "ALTER TABLE orders ADD COLUMN refunded_at BIGINT;"
           "ALTER TABLE orders ADD COLUMN refund_payment_id TEXT;"
           "ALTER TABLE orders ADD COLUMN email_pending TEXT;"
           "CREATE INDEX orders_created ON orders (created_at, order_id);"
           "CREATE INDEX orders_status_created ON orders (status, created_at, order_id);",
           ""}};
}

void OrderRepository::insert(const OrderRecord& o) {
  auto conn = db_.acquire();
  db::Transaction tx(*conn, db::Transaction::kWrite);
  conn->execute(
      "INSERT INTO orders (order_id, user_id, user_email, status, total_minor, currency, created_at, updated_at,"
      " expires_at, reservation_id, stock_held) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      o.info.order_id, o.info.user_id, o.info.user_email, to_string(o.info.status), o.info.total_minor, o.info.currency,
      o.info.created_at_ms, o.info.updated_at_ms, o.info.expires_at_ms, o.reservation_id, o.stock_held);
  int64_t position = 0;
  for (const auto& l : o.info.items)
    conn->execute("INSERT INTO order_lines (order_id, product_id, position, qty, price_minor) VALUES (?, ?, ?, ?, ?)",
                  o.info.order_id, l.product_id, position++, l.qty, l.price_minor);
  tx.commit();
}

std::vector<OrderLine> OrderRepository::lines_of(db::Connection& conn, const std::string& order_id) {
  std::vector<OrderLine> lines;
  auto rows = conn.query("SELECT product_id, qty, price_minor FROM order_lines WHERE order_id = ? ORDER BY position",
                         order_id);
  for (const auto& r : rows.rows) lines.push_back({r.text(0), r.int64(1), r.int64(2)});
  return lines;
}

std::optional<OrderRecord> OrderRepository::find(const std::string& order_id) {
  auto conn = db_.acquire();
  db::Transaction tx(*conn, db::Transaction::kRead);
  auto rows = conn->query(std::string("SELECT ") + kColumns + " FROM orders WHERE order_id = ?", order_id);
  if (rows.empty()) return std::nullopt;
  OrderRecord o = read_order(rows.first());
  o.info.items = lines_of(*conn, order_id);
  tx.commit();
  return o;
}

bool OrderRepository::transition(const std::string& order_id, OrderStatus from, OrderStatus to, int64_t now_ms,
                                 std::optional<int64_t> expires_at_ms) {
  check_move(from, to);
  auto conn = db_.acquire();
  return conn->execute("UPDATE orders SET status = ?, updated_at = ?, expires_at = ? WHERE order_id = ? AND status = ?",
                       to_string(to), now_ms, expires_at_ms, order_id, to_string(from)) == 1;
}

bool OrderRepository::begin_reservation_retry(const std::string& order_id, const std::string& reservation_id,
                                              int64_t now_ms) {
  auto conn = db_.acquire();
  return conn->execute(
             "UPDATE orders SET status = 'RESERVING', reservation_id = ?, stock_held = 1, updated_at = ?"
             " WHERE order_id = ? AND status = 'PAYMENT_FAILED' AND stock_held = 0",
             reservation_id, now_ms, order_id) == 1;
}

bool OrderRepository::clear_stock_held(const std::string& order_id, OrderStatus status,
                                       const std::string& reservation_id) {
  auto conn = db_.acquire();
  return conn->execute(
             "UPDATE orders SET stock_held = 0 WHERE order_id = ? AND status = ? AND reservation_id = ?", order_id,
             to_string(status), reservation_id) == 1;
}

OrderListPage OrderRepository::list_for_user(const std::string& user_id, const std::optional<OrderCursor>& after,
                                             int limit) {
  return list_where("user_id = ?", {user_id}, after, limit);
}

OrderListPage OrderRepository::list_all(const std::vector<OrderStatus>& statuses,
                                        const std::optional<OrderCursor>& after, int limit) {
  if (statuses.empty()) return list_where("", {}, after, limit);
  std::string in = "status IN (?";
  for (size_t i = 1; i < statuses.size(); ++i) in += ", ?";
  std::vector<std::string> texts;
  for (OrderStatus s : statuses) texts.emplace_back(to_string(s));
  return list_where(in + ")", texts, after, limit);
}

OrderListPage OrderRepository::list_where(const std::string& filter, const std::vector<std::string>& args,
                                          const std::optional<OrderCursor>& after, int limit) {
  auto conn = db_.acquire();
  db::Transaction tx(*conn, db::Transaction::kRead);
  // Keyset on (created_at, order_id), newest first: one index range scan per page.
  std::string sql = std::string("SELECT ") + kColumns + " FROM orders WHERE status NOT IN ('CREATING', 'ABORTED')";
  if (!filter.empty()) sql += " AND " + filter;
  std::vector<db::Param> params(args.begin(), args.end());
  if (after) {
    sql += " AND (created_at < ? OR (created_at = ? AND order_id < ?))";
    params.emplace_back(after->created_at_ms);
    params.emplace_back(after->created_at_ms);
    params.emplace_back(std::string_view(after->order_id));
  }
  sql += " ORDER BY created_at DESC, order_id DESC LIMIT ?";
  params.emplace_back(int64_t{limit + 1});
  auto rows = conn->run(sql, params);
  OrderListPage page;
  for (size_t i = 0; i < rows.rows.size() && static_cast<int>(i) < limit; ++i) {
    page.items.push_back(read_order(rows.rows[i]));
    page.items.back().info.items = lines_of(*conn, page.items.back().info.order_id);
  }
  if (static_cast<int>(rows.rows.size()) > limit && !page.items.empty())
    page.next = OrderCursor{page.items.back().info.created_at_ms, page.items.back().info.order_id};
  tx.commit();
  return page;
}

std::vector<std::string> OrderRepository::pending_expired(int64_t now_ms, int limit) {
  auto conn = db_.acquire();
  return ids(conn->query("SELECT order_id FROM orders WHERE status = 'PENDING' AND expires_at <= ? LIMIT ?", now_ms,
                         int64_t{limit}));
}

std::vector<std::string> OrderRepository::stale_in_flight(int64_t before_ms, int limit) {
  auto conn = db_.acquire();
  return ids(conn->query(
      "SELECT order_id FROM orders WHERE status IN ('CREATING', 'RESERVING') AND updated_at < ? LIMIT ?", before_ms,
      int64_t{limit}));
}

std::vector<std::string> OrderRepository::unreleased(int limit) {
  auto conn = db_.acquire();
  return ids(conn->query(
      "SELECT order_id FROM orders WHERE stock_held = 1"
      " AND status IN ('ABORTED', 'PAYMENT_FAILED', 'CANCELLED', 'EXPIRED', 'REFUNDED') LIMIT ?",
      int64_t{limit}));
}

bool OrderRepository::mark_shipped(const std::string& order_id, const std::optional<std::string>& tracking,
                                   int64_t now_ms) {
  auto conn = db_.acquire();
  return conn->execute(
             "UPDATE orders SET status = 'SHIPPED', shipped_at = ?, tracking_number = ?, updated_at = ?,"
             " email_pending = 'order-shipped' WHERE order_id = ? AND status = 'CONFIRMED'",
             now_ms, tracking, now_ms, order_id) == 1;
}

bool OrderRepository::mark_refunded(const std::string& order_id, OrderStatus from, int64_t now_ms) {
  check_move(from, OrderStatus::kRefunded);
  auto conn = db_.acquire();
  // From SHIPPED only once the shipment's stock has left (stock_held = 0), so a
  // REFUNDED order still holding stock always means "give it back".
  return conn->execute(
             "UPDATE orders SET status = 'REFUNDED', refunded_at = ?, updated_at = ?, email_pending = 'order-refunded'"
             " WHERE order_id = ? AND status = ? AND (status = 'CONFIRMED' OR stock_held = 0)",
             now_ms, now_ms, order_id, to_string(from)) == 1;
}

void OrderRepository::set_refund_payment(const std::string& order_id, const std::string& payment_id) {
  auto conn = db_.acquire();
  conn->execute("UPDATE orders SET refund_payment_id = ? WHERE order_id = ? AND refund_payment_id IS NULL", payment_id,
                order_id);
}

void OrderRepository::clear_email_pending(const std::string& order_id, const std::string& type) {
  auto conn = db_.acquire();
  conn->execute("UPDATE orders SET email_pending = NULL WHERE order_id = ? AND email_pending = ?", order_id, type);
}

std::vector<std::string> OrderRepository::unshipped(int limit) {
  auto conn = db_.acquire();
  return ids(conn->query("SELECT order_id FROM orders WHERE status = 'SHIPPED' AND stock_held = 1 LIMIT ?",
                         int64_t{limit}));
}

std::vector<std::string> OrderRepository::refunds_unrecorded(int limit) {
  auto conn = db_.acquire();
  return ids(conn->query("SELECT order_id FROM orders WHERE status = 'REFUNDED' AND refund_payment_id IS NULL LIMIT ?",
                         int64_t{limit}));
}

std::vector<std::string> OrderRepository::emails_due(int64_t before_ms, int limit) {
  auto conn = db_.acquire();
  return ids(conn->query("SELECT order_id FROM orders WHERE email_pending IS NOT NULL AND updated_at < ? LIMIT ?",
                         before_ms, int64_t{limit}));
}

std::map<std::string, int64_t> OrderRepository::expected_reserved() {
  auto conn = db_.acquire();
  auto rows = conn->query(
      "SELECT l.product_id, CAST(SUM(l.qty) AS BIGINT) FROM order_lines l JOIN orders o ON o.order_id = l.order_id"
      " WHERE o.status IN ('PENDING', 'CONFIRMED') GROUP BY l.product_id");
  std::map<std::string, int64_t> out;
  for (const auto& r : rows.rows) out[r.text(0)] = r.int64(1);
  return out;
}

std::map<std::string, int64_t> OrderRepository::count_by_status() {
  auto conn = db_.acquire();
  std::map<std::string, int64_t> counts;
  for (const auto& row : conn->query("SELECT status, COUNT(*) FROM orders GROUP BY status").rows)
    counts[row.text(0)] = row.int64(1);
  return counts;
}

}  // namespace cloudretail::order
