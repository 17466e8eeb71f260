-- The incident consultation desk (「インシデントかも？」): tickets, their timeline, follow-up dates,
-- attachments, and the people granted the responder capability.

-- One counter per year: the upsert that bumps it is atomic, so ticket numbers never collide.
CREATE TABLE incident_counters (
    year  BIGINT PRIMARY KEY NOT NULL,
    last  BIGINT NOT NULL
);

CREATE TABLE incidents (
    id                   UUID PRIMARY KEY NOT NULL,
    number               TEXT NOT NULL UNIQUE,          -- INC-2026-000123
    organization_id      UUID REFERENCES organizations (id),
    reporter_id          UUID REFERENCES users (id),
    followup_token_hash  TEXT NOT NULL UNIQUE,          -- only the hash of the follow-up link's token
    status               TEXT NOT NULL CHECK (status IN ('received', 'advising', 'supporting', 'closed')),
    urgency              TEXT NOT NULL CHECK (urgency IN ('critical', 'high', 'medium', 'info')),
    triage               TEXT CHECK (triage IN ('critical', 'high', 'medium', 'info')),
    triage_rank          BIGINT NOT NULL,              -- the desk's level when set, else the reporter's
    assigned_to          UUID REFERENCES users (id),
    facility_name        TEXT NOT NULL,
    leak                 TEXT NOT NULL,
    improper_intent      BOOLEAN NOT NULL,               -- set by the desk: PPC final report in 60 days, not 30
    discovered_at        TIMESTAMPTZ NOT NULL,
    intake               TEXT NOT NULL,                 -- every intake field, JSON
    summary              TEXT,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX incidents_queue ON incidents (status, triage_rank, created_at);
CREATE INDEX incidents_organization ON incidents (organization_id);

CREATE TABLE incident_events (
    id           BIGSERIAL PRIMARY KEY,
    incident_id  UUID NOT NULL REFERENCES incidents (id),
    author_id    UUID REFERENCES users (id),            -- NULL: the reporter through the follow-up link
    kind         TEXT NOT NULL CHECK (kind IN ('filed', 'intake', 'note', 'phone', 'email', 'onsite', 'status', 'assignment', 'triage', 'attachment', 'followup', 'organization')),
    body         TEXT NOT NULL,
    at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX incident_events_incident ON incident_events (incident_id, id);

CREATE TABLE incident_followups (
    id           BIGSERIAL PRIMARY KEY,
    incident_id  UUID NOT NULL REFERENCES incidents (id),
    due_on       DATE NOT NULL,                         -- a JST calendar date
    what         TEXT NOT NULL,
    created_by   UUID NOT NULL REFERENCES users (id),
    done_at      TIMESTAMPTZ
);
CREATE INDEX incident_followups_incident ON incident_followups (incident_id, due_on);

-- Files are kept outside any web root under a generated name; only their metadata is here.
CREATE TABLE incident_attachments (
    id           UUID PRIMARY KEY NOT NULL,
    incident_id  UUID NOT NULL REFERENCES incidents (id),
    file_name    TEXT NOT NULL,                         -- as uploaded, for the download's name only
    kind         TEXT NOT NULL CHECK (kind IN ('png', 'jpeg', 'pdf', 'text')),
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    uploaded_by  UUID REFERENCES users (id),
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX incident_attachments_incident ON incident_attachments (incident_id);

-- The responder capability, granted by administrators beside the person's role.
CREATE TABLE incident_responders (
    user_id     UUID PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    granted_by  UUID REFERENCES users (id),
    granted_at  TIMESTAMPTZ NOT NULL
);
