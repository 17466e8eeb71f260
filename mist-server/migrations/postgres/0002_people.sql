-- Organizations (hospitals and other facilities), people, sessions and one-time links.
CREATE TABLE organizations (
    id              UUID PRIMARY KEY,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('hospital', 'clinic', 'dental', 'midwifery', 'pharmacy', 'home_nursing', 'care', 'network_operator', 'other')),
    licensed_beds   BIGINT,
    prefecture      TEXT NOT NULL,
    insurance_code  TEXT,
    join_code       TEXT NOT NULL UNIQUE,   -- staff sign up with it
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
    id              UUID PRIMARY KEY,
    organization_id UUID REFERENCES organizations (id),
    email           TEXT NOT NULL UNIQUE,   -- stored lower-case
    display_name    TEXT NOT NULL,
    kana            TEXT,
    role            TEXT NOT NULL CHECK (role IN ('learner', 'manager', 'admin')),
    password_hash   TEXT,                   -- Argon2id PHC string; NULL until the person sets one
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX users_organization ON users (organization_id);

-- Only hashes of secrets are stored: a leaked database does not let anyone sign in.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY NOT NULL,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE login_links (
    token_hash      TEXT PRIMARY KEY NOT NULL,
    purpose         TEXT NOT NULL CHECK (purpose IN ('sign_in', 'invitation', 'password_reset')),
    user_id         UUID REFERENCES users (id) ON DELETE CASCADE,
    organization_id UUID REFERENCES organizations (id),
    role            TEXT CHECK (role IN ('learner', 'manager', 'admin')),
    email           TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL,
    used_at         TIMESTAMPTZ
);

CREATE TABLE login_failures (
    id   BIGSERIAL PRIMARY KEY,
    key  TEXT NOT NULL,                     -- "email:..." or "ip:..."
    at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);

CREATE TABLE api_tokens (
    id            UUID PRIMARY KEY,
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    TIMESTAMPTZ NOT NULL,
    last_used_at  TIMESTAMPTZ,
    revoked_at    TIMESTAMPTZ
);

-- Messages the server would mail; no mail server is assumed, so managers and admins read them here.
CREATE TABLE outbox (
    id              BIGSERIAL PRIMARY KEY,
    organization_id UUID REFERENCES organizations (id),
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY NOT NULL,
    value  TEXT NOT NULL
);
