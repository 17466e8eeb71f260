-- See the SQLite migration of the same name.
ALTER TABLE courses ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
