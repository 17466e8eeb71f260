-- A revision number per course, raised on every change, so that server processes can cache parsed
-- courses and notice changes made by another process.
ALTER TABLE courses ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
