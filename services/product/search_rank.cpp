#include "product/search_rank.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace cloudretail::product {
namespace {

// What a query's rows share: computed on its first row, kept with the cursor.
struct QueryStats {
  double avg_tokens = 0;     // tokens per row, all columns
  std::vector<double> idf;   // per phrase
  std::vector<double> freq;  // per phrase, for the current row (scratch)
};

struct PhraseCount {
  long long rows = 0;
  long long last_rowid = 0;
};

int count_row(const Fts5ExtensionApi* api, Fts5Context* fts, void* user) {
  auto* c = static_cast<PhraseCount*>(user);
  c->last_rowid = api->xRowid(fts);
  return ++c->rows < kCountedRows ? SQLITE_OK : SQLITE_DONE;  // SQLITE_DONE: stop, no error
}

// How many rows hold phrase i. Up to kCountedRows it is counted; past that the phrase
// is common, and its rows are assumed spread evenly over rowids 1..: rowids are
// assigned in insertion order and rows are visited in rowid order, so if the first
// kCountedRows hits end at rowid r, about rows * kCountedRows / r rows hold it. An
// estimate only moves the IDF of a word in at least 1,000 products, which bm25 ranks
// near zero anyway (it floors a word in over half of the rows at 1e-6).
int phrase_rows(const Fts5ExtensionApi* api, Fts5Context* fts, int i, long long table_rows, long long& out) {
  PhraseCount c;
  const int rc = api->xQueryPhrase(fts, i, &c, count_row);
  if (rc != SQLITE_OK) return rc;
  out = c.rows;
  if (c.rows >= kCountedRows && c.last_rowid > 0) {
    const double est =
        static_cast<double>(c.rows) * static_cast<double>(table_rows) / static_cast<double>(c.last_rowid);
    out = std::clamp(static_cast<long long>(est), c.rows, std::max(c.rows, table_rows));
  }
  return SQLITE_OK;
}

int query_stats(const Fts5ExtensionApi* api, Fts5Context* fts, QueryStats*& out) {
  out = static_cast<QueryStats*>(api->xGetAuxdata(fts, 0));
  if (out) return SQLITE_OK;
  auto stats = new QueryStats;
  const int phrases = api->xPhraseCount(fts);
  stats->idf.resize(phrases);
  stats->freq.resize(phrases);
  sqlite3_int64 rows = 0, tokens = 0;
  int rc = api->xRowCount(fts, &rows);
  if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
  if (rc == SQLITE_OK) stats->avg_tokens = static_cast<double>(tokens) / static_cast<double>(rows);
  for (int i = 0; rc == SQLITE_OK && i < phrases; ++i) {
    long long hits = 0;
    rc = phrase_rows(api, fts, i, rows, hits);
    const double idf = std::log((static_cast<double>(rows - hits) + 0.5) / (static_cast<double>(hits) + 0.5));
    stats->idf[i] = idf <= 0.0 ? 1e-6 : idf;  // as bm25
  }
  if (rc == SQLITE_OK)
    rc = api->xSetAuxdata(fts, stats, [](void* p) { delete static_cast<QueryStats*>(p); });
  else
    delete stats;
  if (rc == SQLITE_OK) out = stats;
  return rc;
}

// bm25 (k1 = 1.2, b = 0.75) as FTS5's fts5_aux.c computes it, from this row's hits.
void product_rank(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int nargs,
                  sqlite3_value** args) {
  constexpr double k1 = 1.2, b = 0.75;
  QueryStats* stats = nullptr;
  int rc = query_stats(api, fts, stats);
  int hits = 0;
  if (rc == SQLITE_OK) {
    std::fill(stats->freq.begin(), stats->freq.end(), 0.0);
    rc = api->xInstCount(fts, &hits);
  }
  for (int i = 0; rc == SQLITE_OK && i < hits; ++i) {
    int phrase = 0, column = 0, offset = 0;
    rc = api->xInst(fts, i, &phrase, &column, &offset);
    if (rc == SQLITE_OK) stats->freq[phrase] += nargs > column ? sqlite3_value_double(args[column]) : 1.0;
  }
  int tokens = 0;
  if (rc == SQLITE_OK) rc = api->xColumnSize(fts, -1, &tokens);
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  const double length_norm = k1 * (1 - b + b * static_cast<double>(tokens) / stats->avg_tokens);
  double score = 0;
  for (size_t i = 0; i < stats->freq.size(); ++i)
    score += stats->idf[i] * ((stats->freq[i] * (k1 + 1.0)) / (stats->freq[i] + length_norm));  // bm25's rounding
  sqlite3_result_double(ctx, score);
}

fts5_api* fts5_of(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK) return nullptr;
  sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  return api;
}

int on_open(sqlite3* db, char** error, const sqlite3_api_routines*) {
  fts5_api* fts5 = fts5_of(db);
  if (!fts5 || fts5->iVersion < 2) {
    *error = sqlite3_mprintf("product_rank: this SQLite has no FTS5");
    return SQLITE_ERROR;
  }
  return fts5->xCreateFunction(fts5, "product_rank", nullptr, product_rank, nullptr);
}

// Before main, so connections opened before the product repository exists (migrations,
// the pool) know the function too.
[[maybe_unused]] const bool kRegistered = (register_product_rank(), true);

}  // namespace

void register_product_rank() {
  sqlite3_auto_extension(reinterpret_cast<void (*)()>(on_open));  // idempotent by SQLite
}

}  // namespace cloudretail::product
