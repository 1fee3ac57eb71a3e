-- +goose Up
-- progress_expect: what the ministry expects of an agency per dataset (package progress).
CREATE TABLE progress_expect (
    agency         TEXT    NOT NULL,
    dataset        TEXT    NOT NULL,
    required       INTEGER NOT NULL,
    frequency      TEXT    NOT NULL,
    due_minute     INTEGER NOT NULL,
    expected_count INTEGER NOT NULL DEFAULT 0,
    updated_at     INTEGER NOT NULL,
    updated_by     TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (agency, dataset)
);

-- progress_milestones: dated goals (datasets complete by a date), for some agencies or all.
CREATE TABLE progress_milestones (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    due        TEXT    NOT NULL,
    datasets   TEXT    NOT NULL,
    agencies   TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    created_by TEXT    NOT NULL DEFAULT ''
);

-- progress_schedule: rule phases: from a date a rule is switched on or off or changes severity.
CREATE TABLE progress_schedule (
    id         INTEGER PRIMARY KEY,
    rule       TEXT    NOT NULL,
    effective  TEXT    NOT NULL,
    enabled    INTEGER NOT NULL,
    severity   TEXT    NOT NULL,
    note       TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    created_by TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX progress_schedule_effective ON progress_schedule (effective, id);

-- progress_rulesets: the rule configuration behind each rules version of stored figures.
CREATE TABLE progress_rulesets (
    version    TEXT    PRIMARY KEY,
    rules      TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

-- progress_submissions: the datasets each applied package held (written in its apply transaction).
CREATE TABLE progress_submissions (
    job_id   INTEGER NOT NULL,
    dataset  TEXT    NOT NULL,
    rows     INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    PRIMARY KEY (job_id, dataset)
);

-- progress_rejects: rows rejected at ingest, until a later accepted version of the key fixes them.
CREATE TABLE progress_rejects (
    id          INTEGER PRIMARY KEY,
    job_id      INTEGER NOT NULL,
    sender      TEXT    NOT NULL,
    dataset     TEXT    NOT NULL,
    row         INTEGER NOT NULL,
    key         TEXT    NOT NULL,
    rules       TEXT    NOT NULL,
    rejected_at INTEGER NOT NULL,
    fixed_at    INTEGER NOT NULL DEFAULT 0,
    fixed_vid   INTEGER NOT NULL DEFAULT 0,
    fixed_job   INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX progress_rejects_row ON progress_rejects (job_id, dataset, row);
CREATE INDEX progress_rejects_open ON progress_rejects (dataset, key) WHERE fixed_at = 0;
CREATE INDEX progress_rejects_sender ON progress_rejects (sender, rejected_at);

-- progress_eval: versions that fail rules under a rules version (versions absent here pass).
CREATE TABLE progress_eval (
    dataset TEXT    NOT NULL,
    rules   TEXT    NOT NULL,
    vid     INTEGER NOT NULL,
    key     TEXT    NOT NULL,
    owner   TEXT    NOT NULL,
    err     INTEGER NOT NULL,
    warn    INTEGER NOT NULL,
    PRIMARY KEY (dataset, rules, vid)
);
CREATE INDEX progress_eval_owner ON progress_eval (dataset, rules, owner);

-- progress_daily: the figures of an agency's dataset for one Beijing day, never recomputed.
-- Pages read a range of days: the key serves them (a year is some 125,000 rows).
CREATE TABLE progress_daily (
    day            TEXT    NOT NULL,
    agency         TEXT    NOT NULL,
    dataset        TEXT    NOT NULL,
    rules          TEXT    NOT NULL,
    required       INTEGER NOT NULL,
    frequency      TEXT    NOT NULL,
    due            INTEGER NOT NULL,
    status         TEXT    NOT NULL,
    first_at       INTEGER NOT NULL,
    deliveries     INTEGER NOT NULL,
    live           INTEGER NOT NULL,
    complete       INTEGER NOT NULL,
    conform        INTEGER NOT NULL,
    relational     INTEGER NOT NULL,
    expected_count INTEGER NOT NULL,
    rejected       INTEGER NOT NULL,
    backlog        INTEGER NOT NULL,
    fixed          INTEGER NOT NULL,
    fix_micros     INTEGER NOT NULL,
    PRIMARY KEY (day, agency, dataset)
);

-- progress_agency_daily: an agency's figures that belong to no one dataset (sequence gaps).
CREATE TABLE progress_agency_daily (
    day        TEXT    NOT NULL,
    agency     TEXT    NOT NULL,
    deliveries INTEGER NOT NULL,
    applied    INTEGER NOT NULL,
    gaps       INTEGER NOT NULL,
    missing    TEXT    NOT NULL,
    PRIMARY KEY (day, agency)
);

-- +goose Down
DROP TABLE progress_agency_daily;
DROP TABLE progress_daily;
DROP TABLE progress_eval;
DROP TABLE progress_rejects;
DROP TABLE progress_submissions;
DROP TABLE progress_rulesets;
DROP TABLE progress_schedule;
DROP TABLE progress_milestones;
DROP TABLE progress_expect;
