#pragma once
/// product_rank(products_fts, w_name, w_description, w_category): the SQLite search
/// ranking, an FTS5 auxiliary function registered on every SQLite connection the
/// process opens. It is FTS5's bm25 (same formula, weights and sign: larger is better)
/// except how it learns each phrase's document count: bm25 counts every row holding
/// the phrase, once per query (~2 ms per common phrase at 100,000 products); this one
/// stops after kCountedRows rows and extrapolates. Below that count the score is
/// bm25's exactly. See services/product/README.md (search).

namespace cloudretail::product {

/// Rows counted per phrase before the count is extrapolated.
inline constexpr long long kCountedRows = 1000;

/// Makes every SQLite connection opened from now on know product_rank (SQLite's
/// sqlite3_auto_extension). Idempotent; runs before main (search_rank.cpp).
void register_product_rank();

}  // namespace cloudretail::product
