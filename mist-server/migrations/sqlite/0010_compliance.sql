-- Compliance (診療録管理体制加算): the staff roster, its tiers, external evidence approved by a manager,
-- and closed fiscal years, whose report rows are frozen so that later changes cannot rewrite them.

-- The roster, keyed by the organization's own staff ID so that re-importing a file is idempotent.
-- People are linked to portal accounts by email at query time (an account may come after the roster).
CREATE TABLE staff_members (
    id               BLOB PRIMARY KEY NOT NULL,
    organization_id  BLOB NOT NULL REFERENCES organizations (id),
    staff_id         TEXT NOT NULL,
    name             TEXT NOT NULL,
    kana             TEXT,
    email            TEXT,                  -- lower-case
    department       TEXT NOT NULL,
    job_type         TEXT NOT NULL,
    employment_type  TEXT NOT NULL CHECK (employment_type IN ('full_time', 'part_time', 'dispatched', 'contractor')),
    in_scope         INTEGER NOT NULL,      -- whether the person must be trained: explicit, a local policy
    joined_on        TEXT,                  -- YYYY-MM-DD
    left_on          TEXT,
    updated_at       TEXT NOT NULL,
    UNIQUE (organization_id, staff_id)
) STRICT;
CREATE INDEX staff_members_email ON staff_members (email);

CREATE TABLE staff_tiers (
    staff_member_id  BLOB NOT NULL REFERENCES staff_members (id) ON DELETE CASCADE,
    tier             TEXT NOT NULL CHECK (tier IN ('executive', 'administrator', 'staff')),
    PRIMARY KEY (staff_member_id, tier)
) STRICT;

-- Training outside the portal's e-learning (a MIST certificate, a sign-in sheet), counted once approved.
CREATE TABLE training_evidence (
    id               BLOB PRIMARY KEY NOT NULL,
    organization_id  BLOB NOT NULL REFERENCES organizations (id),
    staff_member_id  BLOB NOT NULL REFERENCES staff_members (id) ON DELETE CASCADE,
    course_id        BLOB NOT NULL REFERENCES courses (id),
    fiscal_year      INTEGER NOT NULL,
    mode             TEXT NOT NULL CHECK (mode IN ('live_online', 'in_person', 'external')),
    description      TEXT NOT NULL,
    held_on          TEXT NOT NULL,         -- YYYY-MM-DD
    submitted_by     BLOB NOT NULL REFERENCES users (id),
    submitted_at     TEXT NOT NULL,
    approved_by      BLOB REFERENCES users (id),
    approved_at      TEXT
) STRICT;
CREATE INDEX training_evidence_year ON training_evidence (organization_id, fiscal_year);

-- A closed fiscal year: its report header, and one frozen row per person.
CREATE TABLE compliance_years (
    organization_id  BLOB NOT NULL REFERENCES organizations (id),
    fiscal_year      INTEGER NOT NULL,
    closed_at        TEXT NOT NULL,
    header_json      TEXT NOT NULL,
    PRIMARY KEY (organization_id, fiscal_year)
) STRICT;

CREATE TABLE compliance_frozen_rows (
    organization_id  BLOB NOT NULL,
    fiscal_year      INTEGER NOT NULL,
    position         INTEGER NOT NULL,
    staff_id         TEXT NOT NULL,
    row_json         TEXT NOT NULL,         -- mist-core PersonRow
    PRIMARY KEY (organization_id, fiscal_year, position),
    FOREIGN KEY (organization_id, fiscal_year) REFERENCES compliance_years (organization_id, fiscal_year)
) STRICT;
