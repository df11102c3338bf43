-- Prefix indexes for every prefix length a search word commonly has. A word of q is
-- queried as ("w" OR "w"*); FTS5 (SQLite 3.40) answers "w"* lazily from a prefix index
-- of exactly len(w) characters, but without one it reads the doclist of every term
-- starting with w and merges them all into memory before the AND can skip anything:
-- at 100,000 products the MATCH of `bench product 12345` took 4.5 ms with prefix='2 3',
-- 0.1 ms with '2 3 4 5 6 7 8' (the whole query, with bm25: 16 -> 8.6 ms; see
-- bench/RESULTS.md, "Search at 100,000 products").
-- Why 2..8: each length costs one more doclist entry per indexed word at least that
-- long (+30% database at 100,000 bench products); most words people type have 2..8
-- characters. A longer word still matches (same results, same ranking), by the
-- in-memory merge, whose cost is the number of products holding a word it starts:
-- small for such specific words, and a query matching that many products ranks them
-- all anyway. A 1-character word stays unindexed: it starts too many words to be
-- selective. See services/product/README.md (search).
-- The triggers of 003 name products_fts and are resolved when they fire, so they keep
-- writing to the new table. The rebuild indexes active products only, as 003 did.
DROP TABLE products_fts;
CREATE VIRTUAL TABLE products_fts USING fts5(name, description, category,
  content='products', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2',
  prefix='2 3 4 5 6 7 8');
INSERT INTO products_fts (rowid, name, description, category)
  SELECT rowid, name, description, category FROM products WHERE archived_at IS NULL;
-- One merged segment: a freshly rebuilt index is read fastest as one b-tree.
INSERT INTO products_fts (products_fts) VALUES ('optimize');
