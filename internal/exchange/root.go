package exchange

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Root is the exchange root folder with inbox/<sender>/, outbox/<sender>/,
// archive/<sender>/ and processing/<sender>/.
type Root string

// Inbox is the folder where sender's packages arrive.
func (r Root) Inbox(sender string) string { return filepath.Join(string(r), "inbox", sender) }

// Outbox is the folder where receipts go back to sender.
func (r Root) Outbox(sender string) string { return filepath.Join(string(r), "outbox", sender) }

// Archive is the folder of sender's processed packages.
func (r Root) Archive(sender string) string { return filepath.Join(string(r), "archive", sender) }

// Processing is the folder of sender's packages being processed.
func (r Root) Processing(sender string) string {
	return filepath.Join(string(r), "processing", sender)
}

// Ensure creates the four folders of each sender (and the root) as needed.
func (r Root) Ensure(senders []string) error {
	for _, s := range senders {
		for _, dir := range []string{r.Inbox(s), r.Outbox(s), r.Archive(s), r.Processing(s)} {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("exchange folders: %w", err)
			}
		}
	}
	return nil
}

// Ignored reports names a watcher must skip: files still being written (*.tmp, *.part),
// hidden files (starting with "."), Office lock files ("~$…") and the files Windows
// Explorer leaves in folders (Thumbs.db, desktop.ini). Only the base name is looked at.
func Ignored(name string) bool {
	base := strings.ToLower(filepath.Base(name))
	switch {
	case strings.HasSuffix(base, ".tmp"), strings.HasSuffix(base, ".part"):
		return true
	case strings.HasPrefix(base, "."), strings.HasPrefix(base, "~$"):
		return true
	case base == "thumbs.db", base == "desktop.ini":
		return true
	}
	return false
}

// Inbound is a file found in an inbox.
type Inbound struct{ Sender, Path string }

// Scan does one pass without waiting for files to settle (at start-up, and for
// `shuiyun ingest --scan`): every non-ignored regular file in inbox/*/, sorted by sender
// and name. Subfolders of a sender's inbox and files directly in inbox/ are not looked at.
func (r Root) Scan() ([]Inbound, error) {
	senders, err := r.senders()
	if err != nil {
		return nil, err
	}
	var found []Inbound
	for _, s := range senders {
		paths, err := r.inboxFiles(s)
		if err != nil {
			return nil, err
		}
		for _, p := range paths {
			found = append(found, Inbound{Sender: s, Path: p})
		}
	}
	return found, nil
}

// senders lists the subfolders of inbox/, sorted.
func (r Root) senders() ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(string(r), "inbox"))
	if err != nil {
		return nil, fmt.Errorf("scan inbox: %w", err)
	}
	var senders []string
	for _, e := range entries {
		if e.IsDir() && !Ignored(e.Name()) {
			senders = append(senders, e.Name())
		}
	}
	return senders, nil
}

// inboxFiles lists the files in one sender's inbox, sorted. A folder that vanished
// meanwhile holds nothing.
func (r Root) inboxFiles(sender string) ([]string, error) {
	dir := r.Inbox(sender)
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("scan inbox: %w", err)
	}
	var paths []string
	for _, e := range entries {
		if e.Type().IsRegular() && !Ignored(e.Name()) {
			paths = append(paths, filepath.Join(dir, e.Name()))
		}
	}
	return paths, nil
}
