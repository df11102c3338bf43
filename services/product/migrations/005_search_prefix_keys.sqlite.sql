-- Nothing to do on SQLite: 005 gives PostgreSQL's search exact prefix keys; FTS5 has
-- had its prefix indexes since 004_search_prefix_indexes.sqlite.sql.
SELECT 1;
