-- Imported SCORM packages and their run-time data.

-- One launch of a SCO: the state it started from, every call the browser reported (in order), and the
-- state those calls lead to. The server replays the calls through the mist-scorm run-time; it never
-- takes the browser's word for the state.
CREATE TABLE scorm_sessions (
    id                BLOB PRIMARY KEY NOT NULL,
    token_hash        TEXT NOT NULL UNIQUE,     -- the per-attempt token the content frame commits with
    user_id           BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id         BLOB NOT NULL REFERENCES courses (id),
    module_slug       TEXT NOT NULL,
    start_state_json  TEXT NOT NULL,
    calls_json        TEXT NOT NULL,            -- JSON array of calls, all batches so far
    state_json        TEXT NOT NULL,            -- the replayed state after those calls
    next_sequence     INTEGER NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;
CREATE INDEX scorm_sessions_learner ON scorm_sessions (user_id, course_id, module_slug, created_at);

-- Every batch as received, for audit and for answering a repeated batch without replaying it.
CREATE TABLE scorm_commits (
    session_id   BLOB NOT NULL REFERENCES scorm_sessions (id) ON DELETE CASCADE,
    sequence     INTEGER NOT NULL,
    calls_json   TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    PRIMARY KEY (session_id, sequence)
) STRICT;
