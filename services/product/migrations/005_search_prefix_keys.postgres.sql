-- Prefix lexemes, so that a search word is an exact GIN key. The GIN index of 003
-- answers 'w':* by a partial match: it reads the posting list of every lexeme starting
-- with w into one bitmap before the AND can skip anything (at 100,000 products
-- `bench product 12345` took 15 ms, reading all 100,000 rows of bench:* and product:*).
-- This index holds each active product under the first 1..8 characters of each of its
-- lexemes, so the repository looks a word up as the exact key 'w', which GIN intersects
-- without reading the common keys whole (0.1 ms). Eight as on SQLite
-- (004_search_prefix_indexes.sqlite.sql): a longer word (or one with non-ASCII letters,
-- which the parser may split) is looked up by its first 8 characters and the rows found
-- are checked against 'w':* as before. Results and the
-- ts_rank ranking do not change. 003's index goes: every search starts from this one,
-- and the planner can no longer pick the partial match. Size at 100,000 bench products:
-- 8.1 MB built at once (003's: 8.0 MB), 12 MB grown by single inserts (003's: 8.0 MB).
CREATE FUNCTION product_search_prefixes(search tsvector) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_to_tsvector(array_agg(DISTINCT left(lexeme, n))), ''::tsvector)
  FROM unnest(tsvector_to_array(search)) AS lexeme, generate_series(1, least(length(lexeme), 8)) AS n $$;
-- fastupdate off: with it on, new entries wait in a pending list of up to 4 MB that every
-- search reads in full until (auto)vacuum merges it; at 100,000 products a full list
-- made this query 5-6 ms instead of 0.3 ms. Off costs each product write ~0.1 ms more.
CREATE INDEX products_search_prefix_idx ON products USING GIN (product_search_prefixes(search))
  WITH (fastupdate = off) WHERE archived_at IS NULL;
DROP INDEX products_search_idx;
