-- Learning records: enrolments, progress, quiz attempts, completions and certificates.
CREATE TABLE enrollments (
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id    UUID NOT NULL REFERENCES courses (id),
    enrolled_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, course_id)
);

-- Progress is append-only rows; see the SQLite migration.
CREATE TABLE lesson_views (
    user_id          UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id        UUID NOT NULL REFERENCES courses (id),
    module_slug      TEXT NOT NULL,
    lesson_slug      TEXT NOT NULL,
    first_viewed_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, course_id, module_slug, lesson_slug)
);

CREATE TABLE video_spans (
    id           BIGSERIAL PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id    UUID NOT NULL REFERENCES courses (id),
    module_slug  TEXT NOT NULL,
    lesson_slug  TEXT NOT NULL,
    from_second  DOUBLE PRECISION NOT NULL,
    to_second    DOUBLE PRECISION NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX video_spans_learner ON video_spans (user_id, course_id, module_slug);

CREATE TABLE quiz_attempts (
    id            UUID PRIMARY KEY,
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id     UUID NOT NULL REFERENCES courses (id),
    module_slug   TEXT NOT NULL,
    seed          BIGINT NOT NULL,
    drawn_json    TEXT NOT NULL,       -- the questions drawn and their display order
    started_at    TIMESTAMPTZ NOT NULL,
    submitted_at  TIMESTAMPTZ,
    scaled        DOUBLE PRECISION,
    passed        BOOLEAN,
    result_json   TEXT                 -- mist-core AttemptResult
);
CREATE INDEX quiz_attempts_learner ON quiz_attempts (user_id, course_id, module_slug);

-- One row per learner, course, module and fiscal year: completions count for the year they fall in.
CREATE TABLE module_completions (
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id     UUID NOT NULL REFERENCES courses (id),
    module_slug   TEXT NOT NULL,
    fiscal_year   BIGINT NOT NULL,
    completed_at  TIMESTAMPTZ NOT NULL,
    outcome_json  TEXT NOT NULL,
    PRIMARY KEY (user_id, course_id, module_slug, fiscal_year)
);

CREATE TABLE certificates (
    id              UUID PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    user_id         UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id       UUID NOT NULL REFERENCES courses (id),
    fiscal_year     BIGINT NOT NULL,
    signed_json     TEXT NOT NULL,     -- the signed certificate, verifiable offline
    issued_at       TIMESTAMPTZ NOT NULL,
    revoked_at      TIMESTAMPTZ,
    revoked_reason  TEXT,
    UNIQUE (user_id, course_id, fiscal_year)
);
