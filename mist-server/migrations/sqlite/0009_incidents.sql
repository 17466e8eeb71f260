-- The incident consultation desk (「インシデントかも？」): tickets, their timeline, follow-up dates,
-- attachments, and the people granted the responder capability.

-- One counter per year: the upsert that bumps it is atomic, so ticket numbers never collide.
CREATE TABLE incident_counters (
    year  INTEGER PRIMARY KEY NOT NULL,
    last  INTEGER NOT NULL
) STRICT;

CREATE TABLE incidents (
    id                   BLOB PRIMARY KEY NOT NULL,
    number               TEXT NOT NULL UNIQUE,          -- INC-2026-000123
    organization_id      BLOB REFERENCES organizations (id),
    reporter_id          BLOB REFERENCES users (id),
    followup_token_hash  TEXT NOT NULL UNIQUE,          -- only the hash of the follow-up link's token
    status               TEXT NOT NULL CHECK (status IN ('received', 'advising', 'supporting', 'closed')),
    urgency              TEXT NOT NULL CHECK (urgency IN ('critical', 'high', 'medium', 'info')),
    triage               TEXT CHECK (triage IN ('critical', 'high', 'medium', 'info')),
    triage_rank          INTEGER NOT NULL,              -- the desk's level when set, else the reporter's
    assigned_to          BLOB REFERENCES users (id),
    facility_name        TEXT NOT NULL,
    leak                 TEXT NOT NULL,
    improper_intent      INTEGER NOT NULL,               -- set by the desk: PPC final report in 60 days, not 30
    discovered_at        TEXT NOT NULL,
    intake               TEXT NOT NULL,                 -- every intake field, JSON
    summary              TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
) STRICT;
CREATE INDEX incidents_queue ON incidents (status, triage_rank, created_at);
CREATE INDEX incidents_organization ON incidents (organization_id);

CREATE TABLE incident_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id  BLOB NOT NULL REFERENCES incidents (id),
    author_id    BLOB REFERENCES users (id),            -- NULL: the reporter through the follow-up link
    kind         TEXT NOT NULL CHECK (kind IN ('filed', 'intake', 'note', 'phone', 'email', 'onsite', 'status', 'assignment', 'triage', 'attachment', 'followup', 'organization')),
    body         TEXT NOT NULL,
    at           TEXT NOT NULL
) STRICT;
CREATE INDEX incident_events_incident ON incident_events (incident_id, id);

CREATE TABLE incident_followups (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id  BLOB NOT NULL REFERENCES incidents (id),
    due_on       TEXT NOT NULL,                         -- a JST calendar date, YYYY-MM-DD
    what         TEXT NOT NULL,
    created_by   BLOB NOT NULL REFERENCES users (id),
    done_at      TEXT
) STRICT;
CREATE INDEX incident_followups_incident ON incident_followups (incident_id, due_on);

-- Files are kept outside any web root under a generated name; only their metadata is here.
CREATE TABLE incident_attachments (
    id           BLOB PRIMARY KEY NOT NULL,
    incident_id  BLOB NOT NULL REFERENCES incidents (id),
    file_name    TEXT NOT NULL,                         -- as uploaded, for the download's name only
    kind         TEXT NOT NULL CHECK (kind IN ('png', 'jpeg', 'pdf', 'text')),
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    uploaded_by  BLOB REFERENCES users (id),
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX incident_attachments_incident ON incident_attachments (incident_id);

-- The responder capability, granted by administrators beside the person's role.
CREATE TABLE incident_responders (
    user_id     BLOB PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    granted_by  BLOB REFERENCES users (id),
    granted_at  TEXT NOT NULL
) STRICT;
