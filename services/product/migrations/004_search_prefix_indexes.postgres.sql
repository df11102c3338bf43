-- Nothing to do on PostgreSQL: 004 gives SQLite's FTS5 index prefix indexes for longer
-- words; the GIN index of 003 answers a prefix query ('w':*) from its sorted entries.
SELECT 1;
