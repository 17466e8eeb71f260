-- Live training sessions (オンライン研修): sessions, registrations with a waiting list, reminder
-- messages, comprehension-check attempts and completions.
CREATE TABLE live_sessions (
    id                     UUID PRIMARY KEY,
    audience               TEXT NOT NULL CHECK (audience IN ('executive', 'administrator', 'staff')),
    programme              TEXT,                    -- sessions of one programme share a name
    part                   BIGINT,                 -- 第N回 of a numbered series; NULL: a repeat date
    title_ja               TEXT NOT NULL,
    title_en               TEXT NOT NULL,
    description_ja         TEXT NOT NULL,
    description_en         TEXT NOT NULL,
    instructor             TEXT NOT NULL,
    starts_at              TIMESTAMPTZ NOT NULL,           -- UTC
    duration_minutes       BIGINT NOT NULL CHECK (duration_minutes > 0),
    capacity               BIGINT NOT NULL CHECK (capacity > 0),
    registration_deadline  TIMESTAMPTZ NOT NULL,
    meeting_url            TEXT NOT NULL,           -- shown only to people holding a seat
    attendance_keyword     TEXT,
    quiz_course            TEXT,                    -- comprehension check: a built-in module's pool
    quiz_module            TEXT,
    quiz_count             BIGINT,
    archive_url            TEXT,
    archive_public         BOOLEAN NOT NULL DEFAULT FALSE,
    cancelled_at           TIMESTAMPTZ,
    registrations_changed_at TIMESTAMPTZ NOT NULL,         -- written first in each registration transaction
    created_at             TIMESTAMPTZ NOT NULL
);
CREATE INDEX live_sessions_start ON live_sessions (starts_at);

-- One row per person and session; `position` is the registration order (first come, first served).
CREATE TABLE live_registrations (
    id               BIGSERIAL PRIMARY KEY,
    session_id       UUID NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    user_id          UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status           TEXT NOT NULL CHECK (status IN ('confirmed', 'waiting', 'cancelled', 'attended')),
    position         BIGINT NOT NULL,
    lang             TEXT NOT NULL CHECK (lang IN ('ja', 'en')),   -- messages go out in it
    registered_at    TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    attended_at      TIMESTAMPTZ,
    attendance_mode  TEXT CHECK (attendance_mode IN ('keyword', 'manager')),
    attendance_by    UUID REFERENCES users (id),
    UNIQUE (session_id, user_id)
);
CREATE INDEX live_registrations_queue ON live_registrations (session_id, status, position);

-- The reminder queue: confirmations, promotions, reminders and cancellations, sent by a background task.
CREATE TABLE live_messages (
    id           BIGSERIAL PRIMARY KEY,
    session_id   UUID NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('confirmed', 'waiting', 'promoted', 'rescheduled', 'reminder_24h', 'reminder_1h', 'session_cancelled')),
    recipient    TEXT NOT NULL,
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    due_at       TIMESTAMPTZ NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'withdrawn')),
    attempts     BIGINT NOT NULL DEFAULT 0,
    claimed_by   TEXT,
    claimed_at   TIMESTAMPTZ,
    sent_at      TIMESTAMPTZ,
    error        TEXT,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX live_messages_due ON live_messages (status, due_at);

CREATE TABLE live_quiz_attempts (
    id            UUID PRIMARY KEY,
    session_id    UUID NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    drawn_json    TEXT NOT NULL,
    started_at    TIMESTAMPTZ NOT NULL,
    submitted_at  TIMESTAMPTZ,
    scaled        DOUBLE PRECISION,
    passed        BOOLEAN,
    result_json   TEXT
);
CREATE INDEX live_quiz_attempts_learner ON live_quiz_attempts (session_id, user_id);

-- Training completed live (attendance, and the comprehension check when the session has one): counts
-- toward the annual training requirement of the fiscal year it falls in.
CREATE TABLE live_completions (
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id    UUID NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    audience      TEXT NOT NULL,
    mode          TEXT NOT NULL CHECK (mode = 'live'),
    fiscal_year   BIGINT NOT NULL,
    completed_at  TIMESTAMPTZ NOT NULL,
    score         DOUBLE PRECISION,                              -- the passing quiz score (0–1), NULL without a quiz
    PRIMARY KEY (user_id, session_id)
);
CREATE INDEX live_completions_year ON live_completions (fiscal_year, user_id);
