package exchange

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"

	"github.com/emmansun/gmsm/sm3"
)

// SHA256File returns the hex SHA-256 of the file at path.
func SHA256File(path string) (string, error) { return digestFile(path, sha256.New()) }

// SM3File returns the hex SM3 (GB/T 32905) of the file at path.
func SM3File(path string) (string, error) { return digestFile(path, sm3.New()) }

func digestFile(path string, h hash.Hash) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("digest: %w", err)
	}
	defer f.Close()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("digest %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
