// Package exchange is the file format of the daily file exchange (contracts.md §4): package
// zips and their manifests, receipts, the hub's folders and the inbox watcher. It knows
// nothing of the database or the standard; sender, standard version and row counts are the
// caller's checks.
//
// Decisions:
//
//   - A package is flat: manifest.json and one <dataset>.csv or <dataset>.jsonl per dataset,
//     dataset ids as in the standard ([a-z][a-z0-9_]*). Any other entry is refused.
//   - An entry name is unsafe (ZIP-UNSAFE) when it is empty, not UTF-8, holds a control
//     character, a backslash or a colon (drive letters, NTFS streams), starts with "/", has a
//     "." or ".." or empty element, lies in a subfolder, ends in a dot or space, is a Windows
//     device name (CON, NUL, COM1…), or repeats another name ignoring case (Windows and macOS
//     would write both to one file). Directory, symlink and other non-regular entries are
//     unsafe too.
//   - Limits (DefaultLimits; a zero field means the default): 64 entries, 8 GiB per entry,
//     16 GiB in all, a ratio of 1000 (for entries above 1 MiB), 1 MiB of manifest. The sizes in
//     the zip's directory are checked against the limits first, then every entry is inflated
//     by hand (flate over the raw bytes) and cut off one byte past its declared size, so a
//     header that lies cannot make us inflate more than the limits allow; the CRC-32 is
//     checked too.
//   - Only Store and Deflate are read; encrypted entries and other methods are ZIP-UNREADABLE.
//   - manifest.json is strict JSON: keys must match exactly (encoding/json alone would take
//     "Sender" for "sender"), no key twice, nothing after the object. A leading UTF-8 BOM is
//     tolerated, since Windows tools add one. created_at, when given, must be RFC 3339.
//   - An I/O error on the package file itself (vanished, permission) is a plain error, not
//     ZIP-UNREADABLE: the package is not at fault and processing it again may succeed.
//   - On rejection Open removes what it extracted; it writes nowhere but into dir, and only
//     names it has checked, created with O_EXCL.
//   - Build writes data entries first and manifest.json last, so each file is read once
//     (hashed, counted and compressed in one pass). It validates the manifest it writes with
//     the same checks as Open.
//   - The watcher reports a file after two looks at least Settle apart see the same size and
//     modification time; events only start the clock, and a rescan every Interval catches
//     what events miss (network shares, overflow). If fsnotify cannot start it polls.
package exchange
