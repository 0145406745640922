package evidence

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"truce"
)

// ErrCorrupt is wrapped by the error Verify and Walk return when the store
// holds something it should not: a file whose content no longer hashes to
// its name (tampering or bit rot), or a file that is not where its name
// says. It is not a client's error: truce.ErrorCode reports it as internal.
var ErrCorrupt = errors.New("evidence: store corrupt")

// Open opens the stored file named sha256hex for reading, with its
// description. The media type is sniffed again from the stored bytes; a
// text file comes back as text/plain, since the declared name that made it
// text/csv is the log's to keep, not the store's. It fails with EINVALID
// when sha256hex is not 64 lower-case hex digits, and ENOTFOUND when no
// such file is stored. The caller closes the returned *os.File.
func (s *Store) Open(sha256hex string) (*os.File, *File, error) {
	if err := checkHex(sha256hex); err != nil {
		return nil, nil, err
	}
	f, err := s.open(sha256hex)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("evidence: %w", err)
	}
	prefix := make([]byte, SniffLen)
	n, err := io.ReadFull(f, prefix)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		f.Close()
		return nil, nil, fmt.Errorf("evidence: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("evidence: %w", err)
	}
	mediaType, ok := Sniff(prefix[:n], "")
	if !ok {
		// Stored, so accepted once; say so rather than guess now.
		mediaType = "application/octet-stream"
	}
	return f, &File{SHA256: sha256hex, Size: info.Size(), MediaType: mediaType}, nil
}

// Has reports whether a file named sha256hex is stored. It fails with
// EINVALID when sha256hex is not 64 lower-case hex digits.
func (s *Store) Has(sha256hex string) (bool, error) {
	if err := checkHex(sha256hex); err != nil {
		return false, err
	}
	_, err := os.Lstat(s.path(sha256hex))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("evidence: %w", err)
	}
	return true, nil
}

// Verify hashes the stored file named sha256hex again and returns an error
// wrapping ErrCorrupt when its content no longer matches its name. It fails
// with EINVALID for a malformed name and ENOTFOUND for a missing file.
func (s *Store) Verify(sha256hex string) error {
	if err := checkHex(sha256hex); err != nil {
		return err
	}
	f, err := s.open(sha256hex)
	if err != nil {
		return err
	}
	defer f.Close()
	got, _, err := HashReader(f)
	if err != nil {
		return fmt.Errorf("evidence: verify %s: %w", sha256hex, err)
	}
	if got != sha256hex {
		return fmt.Errorf("%w: file %s hashes to %s", ErrCorrupt, sha256hex, got)
	}
	return nil
}

// Walk calls fn for every stored file, in increasing order of hash, with its
// name and size, and stops at the first error fn returns, returning it. It
// does not hash the files (Verify does). Anything under sha256/ that this
// package would not have written there, such as a file whose name is not its
// directory's prefix, ends the walk with an error wrapping ErrCorrupt.
func (s *Store) Walk(fn func(sha256hex string, size int64) error) error {
	tops, err := readDirs(s.root)
	if err != nil {
		return err
	}
	for _, top := range tops {
		subs, err := readDirs(filepath.Join(s.root, top))
		if err != nil {
			return err
		}
		for _, sub := range subs {
			dir := filepath.Join(s.root, top, sub)
			entries, err := os.ReadDir(dir) // sorted by name
			if err != nil {
				return fmt.Errorf("evidence: %w", err)
			}
			for _, e := range entries {
				name := e.Name()
				if !e.Type().IsRegular() || checkHex(name) != nil || name[:4] != top+sub {
					return fmt.Errorf("%w: stray entry %s", ErrCorrupt, filepath.Join(dir, name))
				}
				info, err := e.Info()
				if err != nil {
					return fmt.Errorf("evidence: %w", err)
				}
				if err := fn(name, info.Size()); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// readDirs returns the names of the fan-out directories in dir, sorted, and
// an error wrapping ErrCorrupt for anything else found there.
func readDirs(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("evidence: %w", err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if !e.IsDir() || len(e.Name()) != 2 || !isHex(e.Name()) {
			return nil, fmt.Errorf("%w: stray entry %s", ErrCorrupt, filepath.Join(dir, e.Name()))
		}
		names = append(names, e.Name())
	}
	return names, nil
}

// open opens the file named hex, which must be valid, or fails with
// ENOTFOUND.
func (s *Store) open(hex string) (*os.File, error) {
	f, err := os.Open(s.path(hex))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, truce.Errorf(truce.ENOTFOUND, "evidence file %s not found", hex)
	} else if err != nil {
		return nil, fmt.Errorf("evidence: %w", err)
	}
	return f, nil
}

// checkHex fails with EINVALID (field "sha256") unless s is a SHA-256 in
// lower-case hex, the only spelling of a file's name.
func checkHex(s string) error {
	if len(s) != 64 || !isHex(s) {
		return truce.Invalidf("sha256", "must be 64 lower-case hex digits")
	}
	return nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
