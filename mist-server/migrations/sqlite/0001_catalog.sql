-- The course catalogue. A course's content is the mist-core model serialized as JSON: the domain owns its
-- shape, and the server stores it whole so that a course is replaced atomically when it is re-imported.
CREATE TABLE courses (
    id          BLOB PRIMARY KEY NOT NULL,  -- UUID
    slug        TEXT NOT NULL UNIQUE,
    audience    TEXT NOT NULL CHECK (audience IN ('executive', 'administrator', 'staff')),
    origin      TEXT NOT NULL CHECK (origin IN ('builtin', 'authored', 'scorm')),
    position    INTEGER NOT NULL,           -- catalogue order
    model_json  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
