// Package evidence keeps the files that members attach to their reports:
// photos, video, PDF documents, audio, and text or CSV data from observation
// posts.
//
// Files are content-addressed. A file's name is the lower-case hex SHA-256 of
// its bytes, and that same hash is what the caller records in the log. So the
// log names the file: anyone holding an entry can fetch the file by the hash
// it carries and check it with [HashReader], and nobody can swap a file's
// content without the name, and so the log, no longer matching. For the same
// reason originals are never altered: no resizing, no re-encoding, no
// stripping of metadata. What was uploaded is what is kept, byte for byte,
// and storing the same bytes twice stores one file.
//
// Layout of the directory given to [Open]:
//
//	sha256/ab/cd/abcdef…   stored files, read-only (0400), named by their hash;
//	                       two levels of fan-out by the first four hex digits
//	                       keep directories small (65,536 leaves) at millions
//	                       of files
//	tmp/put-*              uploads in progress (0600); renamed into sha256/
//	                       once complete and synced, removed on any failure
//
// The tmp directory is inside the store so that the final rename never crosses
// a file system and is atomic: a file under sha256/ is always complete. Files
// left in tmp/ by a crash are removed by the next [Open].
//
// Uploads are streamed: [Store.Put] holds a fixed buffer and the first
// [SniffLen] bytes, whatever the size of the file. The media type is decided
// by [Sniff] from magic bytes; the type a client declares is never trusted.
package evidence

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"truce"
)

// File describes a stored file.
type File struct {
	SHA256    string // lower-case hex SHA-256 of the content, and its name
	Size      int64  // in bytes; never 0
	MediaType string // sniffed from the content, one of MediaTypes()
}

// Store is a content-addressed directory of evidence files. It holds no
// state beyond its path, and is safe for concurrent use, also by several
// processes sharing the directory.
type Store struct {
	dir  string // as given to Open
	root string // dir/sha256
	tmp  string // dir/tmp
}

// staleAge is how long a file in tmp/ may go unmodified before Open removes
// it. A live upload writes to its temp file continuously, so this only
// catches files left by a crash, even when another process shares the store.
const staleAge = time.Hour

// Open opens the store in dir, creating dir (mode 0700) and its
// subdirectories when missing, and removes stale uploads from dir/tmp.
func Open(dir string) (*Store, error) {
	s := &Store{
		dir:  dir,
		root: filepath.Join(dir, "sha256"),
		tmp:  filepath.Join(dir, "tmp"),
	}
	_, err := os.Stat(dir)
	created := errors.Is(err, fs.ErrNotExist)
	for _, d := range []string{s.root, s.tmp} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("evidence: %w", err)
		}
	}
	// Make the directories durable before any file is stored in them.
	if err := syncDir(dir); err != nil {
		return nil, err
	}
	if created {
		if err := syncDir(filepath.Dir(dir)); err != nil {
			return nil, err
		}
	}
	if err := s.cleanTmp(time.Now().Add(-staleAge)); err != nil {
		return nil, err
	}
	return s, nil
}

// Dir returns the directory the store was opened in.
func (s *Store) Dir() string { return s.dir }

// cleanTmp removes the files in tmp/ last modified before cutoff.
func (s *Store) cleanTmp(cutoff time.Time) error {
	entries, err := os.ReadDir(s.tmp)
	if err != nil {
		return fmt.Errorf("evidence: %w", err)
	}
	for _, e := range entries {
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue // finished or removed meanwhile
		} else if err != nil {
			return fmt.Errorf("evidence: %w", err)
		}
		if !info.Mode().IsRegular() || !info.ModTime().Before(cutoff) {
			continue
		}
		if err := os.Remove(filepath.Join(s.tmp, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("evidence: remove stale upload: %w", err)
		}
	}
	return nil
}

// Put stores the content of r, as PutNamed does with no file name.
func (s *Store) Put(r io.Reader, max int64) (*File, error) {
	return s.PutNamed(r, max, "")
}

// PutNamed streams r into the store and returns what it stored. It reads at
// most max+1 bytes of r. It fails, storing nothing and leaving no temp file,
// with:
//
//   - ETOOLARGE when r holds more than max bytes;
//   - EINVALID (field "file") when r is empty;
//   - EUNSUPPORTED when Sniff accepts no type for the content; this is
//     decided after the first SniffLen bytes, without reading the rest.
//
// filename is the name the client declared. It is a hint for one thing only:
// a text file whose name ends in ".csv" is text/csv rather than text/plain.
//
// When PutNamed returns a File, the file is complete, synced and named by
// its hash, and stays so after a crash. Storing bytes already stored leaves
// the stored file as it was and returns the same File.
func (s *Store) PutNamed(r io.Reader, max int64, filename string) (*File, error) {
	if max <= 0 {
		return nil, fmt.Errorf("evidence: limit %d is not positive", max)
	}
	f, err := os.CreateTemp(s.tmp, "put-*")
	if err != nil {
		return nil, fmt.Errorf("evidence: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			f.Close()
			os.Remove(f.Name())
		}
	}()

	u := newUpload(f, filename)
	if err := u.copy(io.LimitReader(r, max+1)); err != nil {
		return nil, err
	}
	switch {
	case u.size > max:
		return nil, &truce.Error{Code: truce.ETOOLARGE, Field: "file",
			Message: fmt.Sprintf("file: larger than the limit of %s", formatSize(max))}
	case u.size == 0:
		return nil, truce.Invalidf("file", "is empty")
	}
	mediaType, err := u.sniff()
	if err != nil {
		return nil, err
	}
	file := &File{SHA256: u.sum(), Size: u.size, MediaType: mediaType}

	// Read-only before the sync, so the mode is as durable as the bytes.
	if err := f.Chmod(0o400); err != nil {
		return nil, fmt.Errorf("evidence: %w", err)
	}
	if err := f.Sync(); err != nil {
		return nil, fmt.Errorf("evidence: sync upload: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("evidence: %w", err)
	}
	if err := s.commit(f.Name(), file.SHA256); err != nil {
		return nil, err
	}
	committed = true
	return file, nil
}

// commit moves the complete temp file tmpName to the path of hex. When that
// path exists, it already holds the same bytes, and the temp file is removed.
func (s *Store) commit(tmpName, hex string) error {
	dst := s.path(hex)
	if err := s.mkdirs(filepath.Dir(dst)); err != nil {
		return err
	}
	if _, err := os.Lstat(dst); err == nil {
		return removeTemp(tmpName)
	}
	if err := os.Rename(tmpName, dst); err != nil {
		// A concurrent Put of the same bytes may have won on a system
		// where rename does not replace; its file is as good as ours.
		if _, serr := os.Lstat(dst); serr == nil {
			return removeTemp(tmpName)
		}
		return fmt.Errorf("evidence: %w", err)
	}
	return syncDir(filepath.Dir(dst))
}

// mkdirs creates the two fan-out directories above a file when missing,
// syncing each parent in which it creates one, so that the new file's path
// survives a crash and not only its directory entry.
func (s *Store) mkdirs(leaf string) error {
	for _, d := range []string{filepath.Dir(leaf), leaf} {
		err := os.Mkdir(d, 0o700)
		if errors.Is(err, fs.ErrExist) {
			continue
		} else if err != nil {
			return fmt.Errorf("evidence: %w", err)
		}
		if err := syncDir(filepath.Dir(d)); err != nil {
			return err
		}
	}
	return nil
}

// path returns where the file named hex lives; hex must be valid.
func (s *Store) path(hex string) string {
	return filepath.Join(s.root, hex[:2], hex[2:4], hex)
}

func removeTemp(name string) error {
	if err := os.Remove(name); err != nil {
		return fmt.Errorf("evidence: %w", err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("evidence: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("evidence: sync %s: %w", dir, err)
	}
	return nil
}

// formatSize writes a limit for people: "100 MiB (104857600 bytes)".
func formatSize(n int64) string {
	const mib = 1 << 20
	if n >= mib && n%mib == 0 {
		return fmt.Sprintf("%d MiB (%d bytes)", n/mib, n)
	}
	return fmt.Sprintf("%d bytes", n)
}
