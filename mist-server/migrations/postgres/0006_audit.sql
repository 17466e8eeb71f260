-- The audit trail: append-only and hash-chained (see mist_core::audit for the canonical form).
CREATE TABLE audit_log (
    seq             BIGINT PRIMARY KEY,             -- 1, 2, 3 … without gaps
    at              TIMESTAMPTZ NOT NULL,
    actor           UUID,
    organization_id UUID,
    action          TEXT NOT NULL,
    subject         TEXT NOT NULL,
    detail          TEXT NOT NULL,                  -- JSON text, hashed exactly as stored
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL
);
CREATE INDEX audit_log_organization ON audit_log (organization_id, seq);
CREATE INDEX audit_log_subject ON audit_log (subject, seq);

-- The chain's head: appending starts by updating this one row, which serializes writers (SQLite's write
-- lock, PostgreSQL's row lock) and lets `mist audit verify` notice records removed from the end.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
