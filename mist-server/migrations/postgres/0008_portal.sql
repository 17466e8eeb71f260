-- The public portal: contents collection, instructor and engineer list, related links, and the
-- messages visitors send (inquiries and messages to an entry of the list).
-- Tag columns hold fixed-vocabulary identifiers as ",a,b," so that a filter is LIKE '%,a,%'.
-- search_text is the NFKC-folded, lower-cased searchable text (mist_core::portal::search).

CREATE TABLE content_items (
    id              UUID PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('slides', 'poster', 'checklist', 'video', 'document')),
    audiences       TEXT NOT NULL,
    title_ja        TEXT NOT NULL,
    title_en        TEXT NOT NULL,
    description_ja  TEXT NOT NULL,
    description_en  TEXT NOT NULL,
    licence_ja      TEXT NOT NULL,
    licence_en      TEXT NOT NULL,
    search_text     TEXT NOT NULL,
    stored_name     TEXT UNIQUE,            -- generated file name under DATA_DIR/contents
    media_type      TEXT,
    byte_size       BIGINT,
    sha256          TEXT,
    external_url    TEXT,                   -- https only; a video hosted elsewhere
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    CHECK ((stored_name IS NULL) <> (external_url IS NULL))
);
CREATE INDEX content_items_created ON content_items (created_at);

CREATE TABLE experts (
    id              UUID PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('instructor', 'engineer')),
    name            TEXT NOT NULL,
    expertise       TEXT NOT NULL,
    prefecture      TEXT NOT NULL,          -- JIS X 0401 code, 01-47
    region          TEXT NOT NULL,
    languages       TEXT NOT NULL,
    availability_ja TEXT NOT NULL,
    availability_en TEXT NOT NULL,
    bio_ja          TEXT NOT NULL,
    bio_en          TEXT NOT NULL,
    search_text     TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE related_links (
    id          UUID PRIMARY KEY,
    category    TEXT NOT NULL CHECK (category IN ('guidelines', 'cases', 'contacts', 'materials')),
    title_ja    TEXT NOT NULL,
    title_en    TEXT NOT NULL,
    note_ja     TEXT NOT NULL,
    note_en     TEXT NOT NULL,
    url         TEXT NOT NULL,
    position    BIGINT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE portal_messages (
    id              UUID PRIMARY KEY,
    expert_id       UUID REFERENCES experts (id) ON DELETE SET NULL,   -- NULL for an inquiry
    expert_name     TEXT,                   -- kept when the entry is deleted later
    category        TEXT,                   -- inquiries only
    name            TEXT NOT NULL,
    organization    TEXT NOT NULL,
    email           TEXT NOT NULL,
    phone           TEXT,
    message         TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('new', 'in_progress', 'done')),
    note            TEXT NOT NULL,          -- administrators' internal note
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX portal_messages_status ON portal_messages (status, created_at);
