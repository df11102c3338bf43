-- Nothing to do on PostgreSQL: 004 gives SQLite's FTS5 index prefix indexes for longer
-- words. PostgreSQL's search got its prefix keys in 005_search_prefix_keys.postgres.sql.
SELECT 1;
