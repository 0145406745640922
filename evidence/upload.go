package evidence

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"strings"

	"truce"
)

// bufSize is the one buffer an upload is streamed through.
const bufSize = 64 << 10

// upload is a stream being copied to a temp file: it hashes the bytes,
// counts them, and keeps the first SniffLen of them to decide their type.
type upload struct {
	w         io.Writer
	h         hash.Hash
	name      string // the declared file name, a hint for Sniff
	prefix    []byte // the first SniffLen bytes, or all when fewer
	size      int64
	mediaType string // once sniffed
}

func newUpload(w io.Writer, name string) *upload {
	return &upload{w: w, h: sha256.New(), name: name, prefix: make([]byte, 0, SniffLen)}
}

// copy streams r to the upload's writer until EOF. It fails early, with
// EUNSUPPORTED, as soon as the first SniffLen bytes are known and of no
// accepted type, so that the rest of a refused file is never read.
func (u *upload) copy(r io.Reader) error {
	buf := make([]byte, bufSize)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if werr := u.write(buf[:n]); werr != nil {
				return werr
			}
		}
		if err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("evidence: read upload: %w", err)
		}
	}
}

func (u *upload) write(p []byte) error {
	if len(u.prefix) < SniffLen {
		k := min(SniffLen-len(u.prefix), len(p))
		u.prefix = append(u.prefix, p[:k]...)
		if len(u.prefix) == SniffLen {
			if _, err := u.sniff(); err != nil {
				return err
			}
		}
	}
	u.h.Write(p) // a hash.Hash never fails
	if _, err := u.w.Write(p); err != nil {
		return fmt.Errorf("evidence: write upload: %w", err)
	}
	u.size += int64(len(p))
	return nil
}

// sniff returns the media type of the upload, or EUNSUPPORTED. Before EOF it
// must only be called once the prefix is full.
func (u *upload) sniff() (string, error) {
	if u.mediaType != "" {
		return u.mediaType, nil
	}
	t, ok := Sniff(u.prefix, u.name)
	if !ok {
		return "", &truce.Error{Code: truce.EUNSUPPORTED, Field: "file",
			Message: "file: not an accepted type; accepted are " + strings.Join(mediaTypes, ", ") +
				" (the type is read from the content, not from the name or the declared type)"}
	}
	u.mediaType = t
	return t, nil
}

// sum returns the lower-case hex SHA-256 of the bytes written so far.
func (u *upload) sum() string {
	return hex.EncodeToString(u.h.Sum(nil))
}

// HashReader returns the lower-case hex SHA-256 of what r holds and its size
// in bytes, reading r to EOF. It is how anyone checks a file against the hash
// the log records for it: the two strings are equal, or the file is not the
// one that was filed.
func HashReader(r io.Reader) (sha256hex string, size int64, err error) {
	h := sha256.New()
	n, err := io.CopyBuffer(h, r, make([]byte, bufSize))
	if err != nil {
		return "", n, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
