// Package store keeps the national repository: every dataset's records with
// their full system-time history, the deliveries of exchange packages with
// their receipts, and the jobs table the hub's workers claim packages from.
//
// Two back ends share this code and its hand-written SQL: embedded SQLite (one
// file in the data folder, WAL, one write connection) and PostgreSQL (pgx).
// Where they differ — placeholders, column types, bulk writes (multi-row
// INSERT against COPY), key lookups (IN against = ANY), job claims (BEGIN
// IMMEDIATE against FOR UPDATE SKIP LOCKED) — a dialect says how.
//
// # Decisions
//
// Records. Each dataset has one table rec_<dataset> of versions: typed columns
// for the standard's fields plus sy_* columns (business key, owner, sender,
// sequence, delivery, operation, system-time interval [sy_from, sy_to) in Unix
// microseconds, a content hash). The current version of a key has an open
// interval (sy_to = MaxInt64); the one index, unique on (sy_key, sy_to),
// keeps it to one per key and serves history and lookups. A withdrawal is a current version
// with sy_deleted = 1, so its sequence still orders later arrivals. Versions
// are never deleted and their content never changes: closing one sets sy_to,
// and an unchanged upsert from a later sequence raises sy_seq (the sequence
// that last confirmed the content), nothing else.
//
// Order. Per record the highest sequence of the same sender wins: a row from
// sequence s is stored as history only (an empty interval) when the current
// version came from a higher sequence of that sender, or when a full snapshot
// with a higher sequence of that sender and dataset has been applied (the
// snapshot fixed the set of records at that point). Withdrawals by a full
// snapshot follow the same rule. So packages applied in any order end in the
// same state.
//
// Owners. A record belongs to the agency that created it. Another agency's
// row for it is refused (REL-26) unless the sender is the ministry (000000);
// a withdrawn record frees its key.
//
// Schema. The fixed tables come from goose migrations per dialect; the
// dataset tables are made from the standard at start-up and gain a column
// when the standard gains a field. Columns are never dropped or retyped.
package store
