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
// Full snapshots. A snapshot withdraws the sender's live records it does not
// hold. The Writer counts them as the snapshot began and counts the ones its
// rows (accepted or rejected) matched against that same state; when the two
// agree nothing is absent and the table is not read again (the daily case).
// Counted after the package's own writes instead, a record withdrawn by a D
// row dropped out of one count and not the other, and as many absent
// records as withdrawn ones went unnoticed (TestFullSnapshotWithdrawsAndLacks).
// On PostgreSQL a snapshot of 10,000 rows or more reads its sender's live
// records in one scan on a read connection while the rows stream (owned.go),
// and decides the rows found there without a lookup: an unchanged
// 1,000,000-row snapshot had spent 4.7 s of server time on 1,500 lookups of
// 900 keys (a heap read a key once the table outgrew shared_buffers), the
// scan costs 0.6–0.8 s. The records found also serve as the snapshot's key
// set. SQLite looks keys up in-process and gains nothing from it.
//
// Schema. The fixed tables come from goose migrations per dialect; the
// dataset tables are made from the standard at start-up and gain a column
// when the standard gains a field. Columns are never dropped or retyped,
// with one exception: on PostgreSQL sy_key compares byte by byte (COLLATE
// "C"), as on SQLite, whatever the database's collation, and tables made
// before that are retyped once at start-up. In zh_CN or en_US keys sorted
// otherwise than on SQLite, a key range was no prefix test, and the key
// index built slower (C.UTF-8 here: 1.3–1.9 s for 1,000,000 keys, against
// 1.0–1.1 s).
//
// Search. Search, SearchCount and SearchEach serve the browse pages, their
// downloads and the API; values are bind parameters, identifiers come from
// the standard. Pages are keyset pages: the cursor holds the last row's
// sort value and key, never an offset, so a deep page costs what the first
// does. The orders are the key and the display name (the first name field,
// see TextFields); records without a name are a run of their own, first
// when ascending, queried apart so that both back ends agree (PostgreSQL
// puts nulls last). Text compares in code-point order on both: COLLATE "C"
// on PostgreSQL, whose database collation may be zh_CN, where a range is no
// prefix test. A page finds its keys first and reads its rows after, so
// sorting the matches of an index carries keys, not 48 columns. A withdrawn
// record is its withdrawal version: a key without values.
//
// Search indexes, on (field, sy_key) over live current versions: the
// display name, and each field linking to another agency-fed dataset's
// one-field key (vessel certificates: ship_name_cn, operator_license_no,
// manager_license_no, the last only where filled). They cost ingest: a
// 1,000,000-row full snapshot through `shuiyun ingest` took 26 s without and
// 47 s with them on SQLite (twice each, 2 cores), 19–26 s and 25–28 s on
// PostgreSQL (default shared_buffers; on the shared test server the same
// load swung from 19 to 203 s with its other users); BenchmarkApply's first
// load lost 40–60 % on SQLite, 30 % on PostgreSQL, re-applying unchanged
// rows nothing. Building the three after a load takes 2–5 s (CREATE INDEX
// sorts), so a package of 50,000 rows or more that outweighs its table four
// times is a bulk load (bulk.go): the search indexes are dropped in its
// transaction and built at its end, and the table's few current versions are
// read once instead of looked up chunk by chunk. A 1,000,000-row first load,
// the machine quiet: PostgreSQL 12.4 s without the indexes at all, 16.8 s
// with them maintained row by row, 12.5 s as a bulk load; SQLite 26 s → 18 s.
// Into a table with no current versions (a first load) the key and owner
// indexes go too and are built after the rows, as nothing updates a version
// in place meanwhile (PostgreSQL's COPY of 1,000,000 versions: 10.5–11.7 s
// with them, 5.1–6.3 s plus 1.6–2.2 s building them after). Into a table
// with no versions at all, PostgreSQL writes them frozen (truncateEmpty),
// sparing the first reads after it from writing every page again.
// On PostgreSQL DROP INDEX locks the table until commit, so a bulk load waits
// at most 2 s for the lock and otherwise goes row by row. Not indexed,
// read by scanning: ship_id (random keys: alone +62 % on the SQLite load),
// code fields (ship_type alone +20 s), contains and full text, and as-of or
// withdrawn searches, which the partial indexes cannot serve. A page stops
// at its 50th match; a rare match among 1,000,000 reads the whole table,
// 1–1.6 s on SQLite here (C's sqlite3: 0.4 s).
//
// Search plans. SQLite has no statistics here (nothing runs ANALYZE) and
// took an owner's equality for a few rows: it sorted all 1,000,000 of one
// agency's records to show 50. So on SQLite search picks the index itself:
// a term whose index yields the page's order (a licence's vessels in key
// order); else the term matching fewest records, counted on its covering
// index up to 2,000 (0.1–0.4 ms), if below that; else it walks the order's
// index and filters, which finds a page soon when many records match. The
// other terms are written +col, SQLite's way to keep an index out. Its
// statements are prepared once per pool (parsing was a fifth of a page's
// CPU). PostgreSQL plans with statistics (a table not yet analysed after a
// big load plans badly until autovacuum has run, so the hub has the columns
// that steer plans analysed after a package that changes 50,000 versions or
// more: Analyze),
// but after five runs of a
// prepared statement it may keep a generic plan made without the
// arguments, which walked the key index for a narrow name prefix: unless an
// index term yields the order, searches use pgx's unnamed statement,
// planned with the arguments (planning costs about what running does).
// Searches queue for the read pool in order: database/sql hands a freed
// connection to a random waiter, and with 50 clients on 4 connections one
// search in a hundred waited four times the median.
//
// Search figures (bench/search.sh: 1,000,000 certificates, 50 clients, 10 s
// a kind, on 2 cores that other sessions shared): SQLite p50/p99 22/66 ms
// for a licence's vessels, 42/65 ms for a name prefix in name order, 72/173
// ms for an owner and a ship type, 68/212 ms for a name prefix in key order;
// PostgreSQL 43–54/119–135, 74–88/203–273, 102–107/265–274 and
// 144–150/279–336 ms. A lone client waits 0.6–1.8 ms (p50) on either. With
// 50 clients on 2 cores latency is queueing, 50 / (searches per second),
// and the last two kinds read many rows a page: a ship type walks the key
// order (about 2,000 rows when types are asked for as often as they occur;
// a rare type walks most of the table, up to 1.6 s), and so does a
// prefix broader than 2,000 names.
// The UI would do well to order a name search by name.
//
// Connections and reads under load. database/sql keeps two idle connections
// unless told: with 50 clients on four SQLite readers (eight PostgreSQL
// connections) most searches closed one and opened another, which on SQLite
// maps the file and reads the schema and on PostgreSQL forks a backend; both
// pools now keep every connection. A server's SQLite readers map the
// database file (Config.MapFile): a page of 50 rows read through an index
// fetched each row's table page with a pread and a copy into the page cache.
// Together, over HTTP (bench/web.sh, 1,000,000 vessels, 50 clients, the
// machine quiet): SQLite 659 → 1,272 searches/s, p50/p99 76/106 → 37/84 ms;
// PostgreSQL 781 → 1,097/s, 62/102 → 45/66 ms. A whole-dataset export on
// PostgreSQL is read through COPY … TO STDOUT in its text format and split
// here (copyValues): through pgx's row decoding it ran at 240k rows/s over
// HTTP, through COPY at 390k. SQLite's export reads rows in key order at
// about 140k; mapping the file does not change that.
package store
