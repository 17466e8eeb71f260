-- A launch's calls are its stored batches (scorm_commits, in sequence order); the copy of all of them
-- that every batch rewrote grew with the square of a launch's length and is gone.
ALTER TABLE scorm_sessions DROP COLUMN calls_json;
