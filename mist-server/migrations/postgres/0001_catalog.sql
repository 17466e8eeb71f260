-- The course catalogue; see the SQLite migration of the same name for the reasoning.
CREATE TABLE courses (
    id          UUID PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    audience    TEXT NOT NULL CHECK (audience IN ('executive', 'administrator', 'staff')),
    origin      TEXT NOT NULL CHECK (origin IN ('builtin', 'authored', 'scorm')),
    position    BIGINT NOT NULL,
    model_json  TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
