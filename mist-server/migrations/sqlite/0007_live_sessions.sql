-- Live training sessions (オンライン研修): sessions, registrations with a waiting list, reminder
-- messages, comprehension-check attempts and completions.
CREATE TABLE live_sessions (
    id                     BLOB PRIMARY KEY NOT NULL,
    audience               TEXT NOT NULL CHECK (audience IN ('executive', 'administrator', 'staff')),
    programme              TEXT,                    -- sessions of one programme share a name
    part                   INTEGER,                 -- 第N回 of a numbered series; NULL: a repeat date
    title_ja               TEXT NOT NULL,
    title_en               TEXT NOT NULL,
    description_ja         TEXT NOT NULL,
    description_en         TEXT NOT NULL,
    instructor             TEXT NOT NULL,
    starts_at              TEXT NOT NULL,           -- UTC
    duration_minutes       INTEGER NOT NULL CHECK (duration_minutes > 0),
    capacity               INTEGER NOT NULL CHECK (capacity > 0),
    registration_deadline  TEXT NOT NULL,
    meeting_url            TEXT NOT NULL,           -- shown only to people holding a seat
    attendance_keyword     TEXT,
    quiz_course            TEXT,                    -- comprehension check: a built-in module's pool
    quiz_module            TEXT,
    quiz_count             INTEGER,
    archive_url            TEXT,
    archive_public         INTEGER NOT NULL DEFAULT 0,
    cancelled_at           TEXT,
    registrations_changed_at TEXT NOT NULL,         -- written first in each registration transaction
    created_at             TEXT NOT NULL
) STRICT;
CREATE INDEX live_sessions_start ON live_sessions (starts_at);

-- One row per person and session; `position` is the registration order (first come, first served).
CREATE TABLE live_registrations (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id       BLOB NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    user_id          BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status           TEXT NOT NULL CHECK (status IN ('confirmed', 'waiting', 'cancelled', 'attended')),
    position         INTEGER NOT NULL,
    lang             TEXT NOT NULL CHECK (lang IN ('ja', 'en')),   -- messages go out in it
    registered_at    TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    attended_at      TEXT,
    attendance_mode  TEXT CHECK (attendance_mode IN ('keyword', 'manager')),
    attendance_by    BLOB REFERENCES users (id),
    UNIQUE (session_id, user_id)
) STRICT;
CREATE INDEX live_registrations_queue ON live_registrations (session_id, status, position);

-- The reminder queue: confirmations, promotions, reminders and cancellations, sent by a background task.
CREATE TABLE live_messages (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id   BLOB NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    user_id      BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('confirmed', 'waiting', 'promoted', 'rescheduled', 'reminder_24h', 'reminder_1h', 'session_cancelled')),
    recipient    TEXT NOT NULL,
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    due_at       TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'withdrawn')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    claimed_by   TEXT,
    claimed_at   TEXT,
    sent_at      TEXT,
    error        TEXT,
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX live_messages_due ON live_messages (status, due_at);

CREATE TABLE live_quiz_attempts (
    id            BLOB PRIMARY KEY NOT NULL,
    session_id    BLOB NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    user_id       BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    drawn_json    TEXT NOT NULL,
    started_at    TEXT NOT NULL,
    submitted_at  TEXT,
    scaled        REAL,
    passed        INTEGER,
    result_json   TEXT
) STRICT;
CREATE INDEX live_quiz_attempts_learner ON live_quiz_attempts (session_id, user_id);

-- Training completed live (attendance, and the comprehension check when the session has one): counts
-- toward the annual training requirement of the fiscal year it falls in.
CREATE TABLE live_completions (
    user_id       BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id    BLOB NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    audience      TEXT NOT NULL,
    mode          TEXT NOT NULL CHECK (mode = 'live'),
    fiscal_year   INTEGER NOT NULL,
    completed_at  TEXT NOT NULL,
    score         REAL,                              -- the passing quiz score (0–1), NULL without a quiz
    PRIMARY KEY (user_id, session_id)
) STRICT;
CREATE INDEX live_completions_year ON live_completions (fiscal_year, user_id);
