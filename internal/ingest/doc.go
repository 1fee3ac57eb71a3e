// Package ingest turns exchange packages into stored national data, exactly
// once: it claims package files from the agencies' inboxes, checks them,
// validates their rows with the engine against the repository, applies the
// accepted rows in one transaction and answers each sender with a receipt.
//
// # The life of a package file
//
//  1. Accept: a file that has stopped changing in inbox/<sender>/ is renamed
//     into processing/<sender>/ (so the sender cannot change it under us and
//     a second hub instance cannot take it too) and a job is queued for it.
//     Recover queues any file left in processing/ by a crash between the two.
//  2. A worker claims the job (store.Claim) under a lease it renews while it
//     works; a crashed worker's job is taken over when its lease runs out.
//  3. The checks, in order: a delivery of the same bytes to the same inbox
//     before → duplicate (the receipt repeats the first outcome); the zip and
//     its manifest (exchange.Open); the file name agrees with the manifest;
//     the sender is an agency; the inbox is the sender's; the standard's
//     major version is ours; the sequence was not used by other bytes; the
//     manifest's row counts equal the rows read.
//  4. The engine validates every file as one batch, with the repository's
//     current records as references, data_date as today and the sender as
//     submitter. It keeps the rows it normalised in the job's work folder
//     (validate.Options.Spool), and they are stored from there: reading and
//     normalising a 1,000,000-row file again cost 3.3 s of CPU on one core.
//     Rows with an error finding are rejected; the others are
//     applied (store.Writer) — a row for a record another agency owns is
//     rejected then with REL-26. A full snapshot that would withdraw more than
//     the standard's shrink guard (20%) is rolled back and held.
//  5. One transaction stores the rows, the delivery and its receipt, and
//     marks the job applied. Only then are the receipt (and errors.xlsx, made
//     beforehand in the job's work folder) written to outbox/<inbox>/ and the
//     file moved to archive/<inbox>/. A crash after the commit repeats only
//     this step, from what the database holds.
//  6. A job that fails for reasons other than its content (a full disk, a lost
//     database) is retried with a backoff; after MaxAttempts it is parked: it
//     gets a rejected receipt with reason PARKED instead of retrying forever.
//
// # Decisions
//
//   - A receipt's warnings count warning findings; rejected counts rows.
//   - In a full snapshot a rejected row still holds its record: the stored
//     version stays rather than being withdrawn for an error in the new one.
//   - A D row for a record not stored is accepted and changes nothing current
//     (it leaves a tombstone so an older upsert arriving later stays history).
//   - A package that is not held, duplicate or rejected uses its sequence;
//     missing_sequences lists the sender's unused sequences below its highest
//     used one.
//   - The manifest's standard must have our major version ("1.x"), and its
//     datasets must be the standard's; the reference datasets (D11 maritime
//     registrations, D12 surveys) come from the ministry only (standard.md §8a.1).
//   - A file named other than <sender>_<yyyymmdd>_<seq>.zip, or whose name
//     disagrees with its manifest, is MANIFEST-INVALID.
package ingest
