-- +goose Up
-- users: who may sign in, with what role, for which agency (contracts.md §5).
CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    login               TEXT    NOT NULL,
    name                TEXT    NOT NULL,
    agency              TEXT    NOT NULL,
    role                TEXT    NOT NULL,
    password_hash       TEXT    NOT NULL,
    failures            INTEGER NOT NULL DEFAULT 0,
    locked_until        INTEGER NOT NULL DEFAULT 0,
    must_change         INTEGER NOT NULL DEFAULT 0,
    disabled            INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL,
    password_changed_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_login ON users (login);

-- sessions: signed-in browsers, by the SHA-256 of the cookie's secret.
CREATE TABLE sessions (
    hash       TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- tokens: API tokens, by the SHA-256 of the secret shown once.
CREATE TABLE tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    name       TEXT    NOT NULL,
    hash       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    last_used  INTEGER NOT NULL DEFAULT 0,
    revoked    INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX tokens_hash ON tokens (hash);
CREATE INDEX tokens_user ON tokens (user_id);

-- agency_profiles: each agency's responsible department, person, contacts and work plan.
CREATE TABLE agency_profiles (
    agency     TEXT    PRIMARY KEY,
    department TEXT    NOT NULL DEFAULT '',
    person     TEXT    NOT NULL DEFAULT '',
    phone      TEXT    NOT NULL DEFAULT '',
    email      TEXT    NOT NULL DEFAULT '',
    work_plan  TEXT    NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL,
    updated_by TEXT    NOT NULL DEFAULT ''
);

-- audit_log: append-only, each entry hash-chained to the one before (package audit).
CREATE TABLE audit_log (
    seq    INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,
    login  TEXT    NOT NULL,
    agency TEXT    NOT NULL,
    action TEXT    NOT NULL,
    target TEXT    NOT NULL,
    detail TEXT    NOT NULL,
    ip     TEXT    NOT NULL,
    prev   TEXT    NOT NULL,
    hash   TEXT    NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_login ON audit_log (login, seq);
CREATE INDEX audit_log_agency ON audit_log (agency, seq);

-- audit_head: the last entry, kept apart so a deleted tail shows; one row,
-- locked by each appender.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT    NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- +goose Down
DROP TABLE audit_head;
DROP TABLE audit_log;
DROP TABLE agency_profiles;
DROP TABLE tokens;
DROP TABLE sessions;
DROP TABLE users;
