-- The audit trail: append-only and hash-chained (see mist_core::audit for the canonical form).
CREATE TABLE audit_log (
    seq             INTEGER PRIMARY KEY NOT NULL,   -- 1, 2, 3 … without gaps
    at              TEXT NOT NULL,
    actor           BLOB,
    organization_id BLOB,
    action          TEXT NOT NULL,
    subject         TEXT NOT NULL,
    detail          TEXT NOT NULL,                  -- JSON text, hashed exactly as stored
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_organization ON audit_log (organization_id, seq);
CREATE INDEX audit_log_subject ON audit_log (subject, seq);

-- The chain's head: appending starts by updating this one row, which serializes writers (SQLite's write
-- lock, PostgreSQL's row lock) and lets `mist audit verify` notice records removed from the end.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
) STRICT;
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
