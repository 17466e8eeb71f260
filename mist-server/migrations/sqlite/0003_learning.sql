-- Learning records: enrolments, progress, quiz attempts, completions and certificates.
CREATE TABLE enrollments (
    user_id      BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id    BLOB NOT NULL REFERENCES courses (id),
    enrolled_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, course_id)
) STRICT;

-- Progress is append-only rows, never a read-modify-write of one record, so that concurrent requests
-- (two tabs, two server processes) cannot lose each other's updates.
CREATE TABLE lesson_views (
    user_id          BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id        BLOB NOT NULL REFERENCES courses (id),
    module_slug      TEXT NOT NULL,
    lesson_slug      TEXT NOT NULL,
    first_viewed_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, course_id, module_slug, lesson_slug)
) STRICT;

-- Spans of video watched, in seconds, from the player's progress heartbeats.
CREATE TABLE video_spans (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id    BLOB NOT NULL REFERENCES courses (id),
    module_slug  TEXT NOT NULL,
    lesson_slug  TEXT NOT NULL,
    from_second  REAL NOT NULL,
    to_second    REAL NOT NULL,
    recorded_at  TEXT NOT NULL
) STRICT;
CREATE INDEX video_spans_learner ON video_spans (user_id, course_id, module_slug);

CREATE TABLE quiz_attempts (
    id            BLOB PRIMARY KEY NOT NULL,
    user_id       BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id     BLOB NOT NULL REFERENCES courses (id),
    module_slug   TEXT NOT NULL,
    seed          INTEGER NOT NULL,
    drawn_json    TEXT NOT NULL,       -- the questions drawn and their display order
    started_at    TEXT NOT NULL,
    submitted_at  TEXT,
    scaled        REAL,
    passed        INTEGER,
    result_json   TEXT                 -- mist-core AttemptResult
) STRICT;
CREATE INDEX quiz_attempts_learner ON quiz_attempts (user_id, course_id, module_slug);

-- One row per learner, course, module and fiscal year: completions count for the year they fall in.
CREATE TABLE module_completions (
    user_id       BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id     BLOB NOT NULL REFERENCES courses (id),
    module_slug   TEXT NOT NULL,
    fiscal_year   INTEGER NOT NULL,
    completed_at  TEXT NOT NULL,
    outcome_json  TEXT NOT NULL,
    PRIMARY KEY (user_id, course_id, module_slug, fiscal_year)
) STRICT;

CREATE TABLE certificates (
    id              BLOB PRIMARY KEY NOT NULL,
    code            TEXT NOT NULL UNIQUE,
    user_id         BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id       BLOB NOT NULL REFERENCES courses (id),
    fiscal_year     INTEGER NOT NULL,
    signed_json     TEXT NOT NULL,     -- the signed certificate, verifiable offline
    issued_at       TEXT NOT NULL,
    revoked_at      TEXT,
    revoked_reason  TEXT,
    UNIQUE (user_id, course_id, fiscal_year)
) STRICT;
