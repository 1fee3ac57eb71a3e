// Package progress measures the agencies' progress and data quality
// (issue 5): what the ministry expects of each agency, daily figures per
// agency × dataset × Beijing day computed from the stored records, their
// deliveries and rejected rows, rule phases with a what-if preview, rankings
// and the progress report (进展情况通报) as XLSX and HTML.
//
// The store keeps everything: the ministry's settings (expectations,
// milestones, the rule schedule), what ingest records while applying a
// package (the datasets it held and its rejected rows, store.Submission),
// the evaluations of versions and the computed days. A computed day is never
// computed again: history does not shift when rules, expectations or data
// change later.
//
// # Decisions
//
// Days. A day is a Beijing calendar day (UTC+8, China has no daylight
// saving). The records of a day are those held at its end: a version counts
// for day D when it began before D ended and had not ended by then — the
// state export --as-of D shows. A version replaced within the day it began
// counts for no day.
//
// Expectations. Unless the ministry says otherwise, every agency but the
// ministry must send each agency dataset (D01–D10) daily by 18:00 Beijing
// time; the reference datasets D11 and D12 come from the ministry's feeds and
// are expected of no one. The ministry may set per agency and dataset:
// required or not, daily/weekly/monthly, the due time, and the number of
// records the agency should hold (for coverage). Settings apply to the days
// computed after they are made.
//
// Timeliness. A submission is due on each day (daily), each Sunday (weekly,
// ISO weeks) or each month's last day (monthly). It is on time when an
// applied delivery holding the dataset arrived within the period by the due
// time of its last day; late when the first such delivery arrived on that
// last day after the due time; otherwise missing. A delivery counts when it
// was applied (accepted or partial, even with every row rejected: the rows
// then weigh in the backlog); rejected, held and duplicate packages do not.
// Arrival is when the file reached the inbox (store.Job.ReceivedAt). Each
// agency's sequence gaps at the end of a day are the numbers below its
// highest applied sequence that no applied delivery used (contracts.md §4).
//
// Evaluation. Each stored version is checked once per rules version by the
// validation engine itself — the versions are written as CSV files, row n
// of a file one version, and the engine's findings of row n are that
// version's — so the metrics apply exactly the checks ingest applies. The
// outcome is a rule bit set: one bit per rule a record can fail (every rule
// but the FILE-* structure rules; 60 of them), kept for errors and for
// completeness findings of any severity. Only failing versions are stored
// (progress_eval); a version without a row passed. A day's figures then come
// from a sweep: each version adds its verdict to the days it was held, so a
// year of days costs one pass over the versions, not one per day.
//
// "Today" of the date rules (issue dates in the future, expired licences,
// valid surveys) is the last day of the span the version is evaluated for:
// the day itself in the daily update; in a first computation over many days,
// the last of them.
//
// Rates. Of the records held at the end of a day:
//   - completeness: those with no completeness finding (REQ, REQ-COND,
//     DAT-09) of a rule switched on, of any severity — "every mandatory
//     field filled", conditional ones when their condition holds;
//   - conformance: those with no error finding of a completeness or
//     normativity rule;
//   - relational: those with no error finding of a relational rule;
//   - coverage: records held ÷ the expected count, where the ministry set one.
//
// Relational rules. They compare a record with the records it names (a
// certificate's licence, a ship's registration) and so depend on the state
// of other datasets, not on the version alone. Evaluating the whole state
// again every day would cost a full read of the repository a day, so a
// version is checked once, against the state at the end of the span it is
// first evaluated for: the daily update checks that day's new versions
// against the state at the end of the day, reading only the records they
// name (keyedRepository; the lookups mirror the engine's, and a test keeps
// them in step). A record is therefore not re-checked when a record it
// names changes later; its next version is. A first computation over many
// days checks every version held at the end of the span against that
// span's last state (so it differs from day-by-day figures where named
// records changed in between), and versions no longer held then are not
// checked relationally: they passed the relational rules at ingest.
// UNIQUE, REL-12 and REL-23 compare the rows of one submission with each
// other, REL-20 and REL-21 need the submitter's jurisdiction and REL-26 a
// stored owner: ingest checks them on every package and what they reject is
// in the backlog; the metrics leave them out.
//
// Rule phases. A schedule entry switches a rule on or off or sets its
// severity from a date. The rules in force on day D are the standard's,
// each overridden by its latest entry effective on or before D; their
// configuration's hash is the rules version a day's figures keep. An entry
// may only take effect after the last computed day and not before today:
// stored days never change. The day a new phase begins, every record held
// is evaluated again under the new rules (a full sweep of that day); days
// under unchanged rules go on from the day before. Preview evaluates the
// current records under today's rules with and without an entry and counts,
// per agency, the records that pass now and would fail (an error finding)
// with it. StandardOn gives the standard with the rules in force on a day,
// for ingest to check that day's packages with (the hook it needs).
//
// Backlog. Ingest records each rejected row with its business key (as the
// Writer would store it) and the rules of its errors (Tx.RecordSubmission,
// the SubmissionRecorder hook). A rejected row is fixed by the first version
// of the same key in the same dataset that became current after the
// rejection (from any sender: a ministry correction counts; a withdrawal
// counts). Re-sending content equal to the stored version writes no version
// and fixes nothing: the correction must change something or withdraw. A row
// whose key could not be read (an empty or invalid key field) is fixed by the
// sender's next applied delivery holding the dataset with no row of it
// rejected. The open backlog of a day is the rows rejected before its end and
// not fixed by then; the time to fix is fix minus rejection, its median over
// the rows fixed (the lower middle of an even count). Deliveries applied
// before ingest recorded submissions are recovered from the archived
// package and its receipt (Recover).
//
// Traceability. Every stored figure can be listed (Explain): records held,
// the records failing each rate with their rules, the deliveries a status
// was judged on, rejected, open and fixed rows with their delivery and row,
// missing sequences.
//
// Ranking. Over a period, each agency but the ministry gets
//
//	score = 100 × (0.3·timeliness + 0.2·completeness + 0.3·conformance + 0.2·relational)
//
// where timeliness = (on time + ½·late) ÷ due submissions and the other
// rates are pooled over record-days (each record counted on each day it was
// held). A rate with nothing to measure is left out and the weights of the
// others scale up; an agency that owed data and held none scores 0 on the
// three quality rates. Scores are rounded to two decimals; equal scores
// share a rank and the next rank skips (1, 1, 3). The previous period is the
// one of the same length just before.
//
// Rules that can only warn and stand on their own (DAT-02, REL-11 …) are
// switched off while evaluating: they change no figure, and their findings
// were most of the engine's work. Field checks stay on even as warnings: one
// that fires ends its field's checks, so leaving it out could change what
// else fires. Completeness rules stay on at any severity.
//
// Performance. A first computation reads every version with its values once
// — on SQLite as one printf-packed column through a memory-mapped file (the
// driver's cost per column dominated) — two datasets at a time, writes them
// straight into the engine's CSV files, and runs the engine once per rules
// phase (the state and the superseded versions side by side), while the
// delivery and backlog figures are worked out alongside. The daily update
// reads one day's versions through a partial index on sy_from (made on first
// use; partial so that only this read, which names its condition, uses it —
// SQLite plans without statistics and would otherwise take it for as-of
// reads of most of a table) and the versions they replaced by key.
// bench/progress.sh: 1,040,000 versions of 34 agencies × 12 datasets over
// 365 days on SQLite, 2 shared cores — all days from nothing 8.5 s (14 s
// of CPU, peak RSS 1.4 GB of which 0.55 GB is the mapped database), one day
// 0.3 s (both about double while others load the machine).
package progress
