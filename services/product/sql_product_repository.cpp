#include "product/sql_product_repository.hpp"

#include <algorithm>
#include <cctype>

namespace cloudretail::product {

namespace {

// Every read names these columns in this order (to_product reads them by position).
#define PRODUCT_COLUMNS \
  "product_id, name, category, price_minor, currency, image_key, created_at, description, updated_at"

Product to_product(const db::Row& row) {
  return Product{row.text(0),     row.text(1),  row.text(2), row.int64(3),    row.text(4),
                 row.opt_text(5), row.int64(6), row.text(7), row.opt_int64(8)};
}

}  // namespace

std::vector<db::Migration> SqlProductRepository::migrations(db::Dialect dialect) {
  return db::migrations_for("product", migration_files(), dialect);
}

bool SqlProductRepository::insert(const Product& p) {
  auto conn = db_.acquire();
  return conn->execute(
             "INSERT INTO products (product_id, name, category, price_minor, currency, image_key, created_at, "
             "description)"
             " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (product_id) DO NOTHING",
             p.product_id, p.name, p.category, p.price_minor, p.currency, p.image_key, p.created_at_ms,
             p.description) == 1;
}

std::optional<Product> SqlProductRepository::find(const std::string& product_id) {
  auto conn = db_.acquire();
  auto rows =
      conn->query("SELECT " PRODUCT_COLUMNS " FROM products WHERE product_id = ? AND archived_at IS NULL", product_id);
  if (rows.empty()) return std::nullopt;
  return to_product(rows.first());
}

std::vector<Product> SqlProductRepository::list(const std::string& after, const std::optional<std::string>& category,
                                                int limit) {
  auto conn = db_.acquire();
  // Keyset pagination: a range scan on the primary key (or the category index)
  // that starts after the cursor, so page N costs what page 1 costs.
  auto rows =
      category
          ? conn->query("SELECT " PRODUCT_COLUMNS
                        " FROM products"
                        " WHERE category = ? AND product_id > ? AND archived_at IS NULL ORDER BY product_id LIMIT ?",
                        *category, after, int64_t{limit})
          : conn->query("SELECT " PRODUCT_COLUMNS
                        " FROM products"
                        " WHERE product_id > ? AND archived_at IS NULL ORDER BY product_id LIMIT ?",
                        after, int64_t{limit});
  std::vector<Product> out;
  out.reserve(rows.rows.size());
  for (const auto& row : rows.rows) out.push_back(to_product(row));
  return out;
}

std::optional<Product> SqlProductRepository::set_image_key(const std::string& product_id,
                                                           const std::string& image_key) {
  auto conn = db_.acquire();
  auto rows = conn->query(
      "UPDATE products SET image_key = ? WHERE product_id = ? AND archived_at IS NULL RETURNING " PRODUCT_COLUMNS,
      image_key, product_id);
  if (rows.empty()) return std::nullopt;
  return to_product(rows.first());
}

std::optional<Product> SqlProductRepository::update(const std::string& product_id, const ProductPatch& patch,
                                                    int64_t now_ms) {
  auto conn = db_.acquire();
  // One conditional statement: an absent field keeps its value (COALESCE), and
  // only an active product changes.
  auto rows = conn->query(
      "UPDATE products SET name = COALESCE(?, name), description = COALESCE(?, description),"
      " category = COALESCE(?, category), price_minor = COALESCE(?, price_minor),"
      " image_key = CASE WHEN ? = 1 THEN ? ELSE image_key END, updated_at = ?"
      " WHERE product_id = ? AND archived_at IS NULL RETURNING " PRODUCT_COLUMNS,
      patch.name, patch.description, patch.category, patch.price_minor, int64_t{patch.image_key ? 1 : 0},
      patch.image_key ? *patch.image_key : std::nullopt, now_ms, product_id);
  if (rows.empty()) return std::nullopt;
  return to_product(rows.first());
}

bool SqlProductRepository::archive(const std::string& product_id, int64_t now_ms) {
  auto conn = db_.acquire();
  return conn->execute(
             "UPDATE products SET archived_at = ?, updated_at = ? WHERE product_id = ? AND archived_at IS NULL", now_ms,
             now_ms, product_id) == 1;
}

std::vector<CategoryCount> SqlProductRepository::categories() {
  auto conn = db_.acquire();
  auto rows = conn->query(
      "SELECT category, CAST(COUNT(*) AS BIGINT) FROM products WHERE archived_at IS NULL"
      " GROUP BY category ORDER BY category");
  std::vector<CategoryCount> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back({r.text(0), r.int64(1)});
  return out;
}

namespace {

// Each word matches itself or any word it starts; the exact form is a second
// alternative, so a product holding the exact word ranks above one that only
// holds a longer word it starts ("mouse" before "mousepad").
std::string fts5_query(const std::vector<std::string>& words) {
  std::string q;
  for (const auto& w : words) {
    if (!q.empty()) q += " AND ";
    q += "(\"" + w + "\" OR \"" + w + "\"*)";  // words hold no quote (see search_words)
  }
  return q;
}

// PostgreSQL folds 'w' and 'w':* into one item when ranking, so the exact words are
// ranked by a second query (any of them) added to the rank of the match itself.
std::string tsquery(const std::vector<std::string>& words, bool prefix) {
  std::string q;
  for (const auto& w : words) {
    if (!q.empty()) q += prefix ? " & " : " | ";
    q += "'" + w + (prefix ? "':*" : "'");  // words hold no quote or operator
  }
  return q;
}

// PostgreSQL finds a search's rows by GIN keys (005_search_prefix_keys.postgres.sql
// indexes the first 1..8 characters of every lexeme): each word cut to its first 8
// characters, for plainto_tsquery, which ANDs whatever lexemes the parser makes of them.
// A product matching 'w':* holds every key, so the keys never miss one.
constexpr int kIndexedPrefixChars = 8;

std::string prefix_keys(const std::vector<std::string>& words) {
  std::string keys;
  for (const auto& w : words) {
    if (!keys.empty()) keys += ' ';
    int chars = 0;
    for (char c : w) {
      const bool starts_char = (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // not a UTF-8 continuation
      if (starts_char && ++chars > kIndexedPrefixChars) break;
      keys += c;
    }
  }
  return keys;
}

// The keys are the match itself when every word is at most 8 ASCII letters or digits
// (one lexeme each, uncut): a product holds the key "w" exactly when one of its
// lexemes starts with w. Otherwise (a longer word, or one the parser may split) the
// rows the keys find are checked against 'w':* too.
bool keys_are_the_match(const std::vector<std::string>& words) {
  return std::all_of(words.begin(), words.end(), [](const std::string& w) {
    return w.size() <= kIndexedPrefixChars &&
           std::all_of(w.begin(), w.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
  });
}

}  // namespace

SearchRows SqlProductRepository::search(const std::vector<std::string>& words,
                                        const std::optional<std::string>& category,
                                        const std::optional<SearchCursor>& after, int limit) {
  auto conn = db_.acquire();
  const bool pg = db_.dialect() == db::Dialect::kPostgres;
  // The score is the backend's relevance as an integer (scaled), so that the order
  // (score desc, product_id) and the cursor compare exactly.
  std::string inner =
      pg ? "SELECT " PRODUCT_COLUMNS
           ", CAST((ts_rank(search, to_tsquery('simple', ?)) +"
           " ts_rank(search, to_tsquery('simple', ?))) * 1000000 AS BIGINT) AS score"
           " FROM products WHERE product_search_prefixes(search) @@ plainto_tsquery('simple', ?)"
           " AND archived_at IS NULL"
         : "SELECT p.product_id, p.name, p.category, p.price_minor, p.currency, p.image_key, p.created_at,"
           " p.description, p.updated_at, CAST(product_rank(products_fts, 10.0, 2.0, 5.0) * 1000000 AS INTEGER) AS "
           "score"
           " FROM products_fts JOIN products p ON p.rowid = products_fts.rowid"
           " WHERE products_fts MATCH ? AND p.archived_at IS NULL";
  const std::string match = pg ? tsquery(words, true) : fts5_query(words);
  const std::string exact = pg ? tsquery(words, false) : std::string();
  const std::string keys = pg ? prefix_keys(words) : std::string();
  std::vector<db::Param> params;
  params.emplace_back(std::string_view(match));
  if (pg) {
    params.emplace_back(std::string_view(exact));
    params.emplace_back(std::string_view(keys));
    if (!keys_are_the_match(words)) {
      inner += " AND search @@ to_tsquery('simple', ?)";
      params.emplace_back(std::string_view(match));
    }
  }
  if (category) {
    inner += pg ? " AND category = ?" : " AND p.category = ?";
    params.emplace_back(std::string_view(*category));
  }
  std::string sql = "SELECT * FROM (" + inner + ") AS found";
  if (after) {
    sql += " WHERE (score < ? OR (score = ? AND product_id > ?))";
    params.emplace_back(after->score);
    params.emplace_back(after->score);
    params.emplace_back(std::string_view(after->product_id));
  }
  sql += " ORDER BY score DESC, product_id LIMIT ?";
  params.emplace_back(int64_t{limit});
  auto rows = conn->run(sql, params);
  SearchRows out;
  out.reserve(rows.rows.size());
  for (const auto& row : rows.rows) out.push_back({to_product(row), row.int64(9)});
  return out;
}

}  // namespace cloudretail::product
