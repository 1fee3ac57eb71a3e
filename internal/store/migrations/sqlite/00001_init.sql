-- +goose Up
-- deliveries: one row per processed arrival of a package file, with its receipt.
CREATE TABLE deliveries (
    id            INTEGER PRIMARY KEY,
    job_id        INTEGER NOT NULL,
    inbox         TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    n             INTEGER NOT NULL,
    sender        TEXT    NOT NULL,
    seq           INTEGER NOT NULL,
    sha256        TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    reason        TEXT    NOT NULL DEFAULT '',
    mode          TEXT    NOT NULL DEFAULT '',
    data_date     TEXT    NOT NULL DEFAULT '',
    applied       INTEGER NOT NULL DEFAULT 0,
    rows_total    INTEGER NOT NULL DEFAULT 0,
    rows_accepted INTEGER NOT NULL DEFAULT 0,
    rows_rejected INTEGER NOT NULL DEFAULT 0,
    rows_warnings INTEGER NOT NULL DEFAULT 0,
    received_at   INTEGER NOT NULL,
    processed_at  INTEGER NOT NULL,
    receipt       TEXT    NOT NULL,
    errors_xlsx   INTEGER NOT NULL DEFAULT 0,
    final         INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX deliveries_job ON deliveries (job_id);
CREATE UNIQUE INDEX deliveries_name ON deliveries (inbox, name, n);
CREATE UNIQUE INDEX deliveries_applied_seq ON deliveries (sender, seq) WHERE applied = 1;
CREATE INDEX deliveries_sha ON deliveries (inbox, sha256) WHERE final = 1;
CREATE INDEX deliveries_sender ON deliveries (sender, seq);

-- jobs: package files claimed from an inbox, processed once each.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    inbox        TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    path         TEXT    NOT NULL,
    sha256       TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    state        TEXT    NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    locked_by    TEXT    NOT NULL DEFAULT '',
    locked_until INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT    NOT NULL DEFAULT '',
    received_at  INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX jobs_path ON jobs (path);
CREATE INDEX jobs_state ON jobs (state, id);
CREATE INDEX jobs_inbox ON jobs (inbox, id) WHERE state <> 'done';

-- full_marks: the highest full-snapshot sequence applied per sender and dataset.
CREATE TABLE full_marks (
    sender  TEXT    NOT NULL,
    dataset TEXT    NOT NULL,
    seq     INTEGER NOT NULL,
    PRIMARY KEY (sender, dataset)
);

-- +goose Down
DROP TABLE full_marks;
DROP TABLE jobs;
DROP TABLE deliveries;
