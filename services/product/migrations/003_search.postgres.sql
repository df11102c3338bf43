-- Search over name, description and category, kept in step with product writes
-- inside the writing transaction. PostgreSQL: a stored generated tsvector with a
-- partial GIN index. SQLite: 003_search.sqlite.sql.
ALTER TABLE products ADD COLUMN search tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', name), 'A') || setweight(to_tsvector('simple', category), 'B') ||
  setweight(to_tsvector('simple', description), 'C')) STORED;
CREATE INDEX products_search_idx ON products USING GIN (search) WHERE archived_at IS NULL;
