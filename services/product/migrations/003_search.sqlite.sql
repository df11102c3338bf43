-- Search over name, description and category, kept in step with product writes
-- inside the writing transaction. SQLite: triggers into an FTS5 index (external
-- content, active products only). PostgreSQL: 003_search.postgres.sql.
CREATE VIRTUAL TABLE products_fts USING fts5(name, description, category,
  content='products', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='2 3');
INSERT INTO products_fts (rowid, name, description, category)
  SELECT rowid, name, description, category FROM products WHERE archived_at IS NULL;
CREATE TRIGGER products_fts_insert AFTER INSERT ON products WHEN new.archived_at IS NULL BEGIN
  INSERT INTO products_fts (rowid, name, description, category)
  VALUES (new.rowid, new.name, new.description, new.category); END;
CREATE TRIGGER products_fts_update AFTER UPDATE OF name, description, category, archived_at ON products
  BEGIN
  INSERT INTO products_fts (products_fts, rowid, name, description, category)
  SELECT 'delete', old.rowid, old.name, old.description, old.category WHERE old.archived_at IS NULL;
  INSERT INTO products_fts (rowid, name, description, category)
  SELECT new.rowid, new.name, new.description, new.category WHERE new.archived_at IS NULL; END;
CREATE TRIGGER products_fts_delete AFTER DELETE ON products WHEN old.archived_at IS NULL BEGIN
  INSERT INTO products_fts (products_fts, rowid, name, description, category)
  VALUES ('delete', old.rowid, old.name, old.description, old.category); END;
