package witness

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"golang.org/x/mod/sumdb/note"

	tlog "truce/log"
)

// Files of a witness's directory.
const (
	KeyFile     = "witness.key"     // the cosigner's private key; 0600
	PubFile     = "witness.pub"     // its vkey, for logs and verifiers
	HistoryFile = "cosigned.jsonl"  // every checkpoint cosigned, one JSON object a line
	ForksDir    = "forks"           // evidence of a log's misbehaviour, one file each
	lockFile    = "witness.lock"    // held by the process serving the directory
	maxForks    = 1000              // evidence files kept at most
	maxRecord   = maxBodyBytes << 1 // a history line, at most
)

// Record is one line of the history: a checkpoint the witness cosigned,
// as a note carrying the log's signature it verified and its own
// cosignature, and when.
type Record struct {
	Note       string    `json:"note"`
	CosignedAt time.Time `json:"cosigned_at"`
}

// Cosigned is a checkpoint of the history, parsed.
type Cosigned struct {
	tlog.Checkpoint
	Record
}

// ReadHistory reads the checkpoints a witness cosigned from its directory,
// in the order cosigned, checking each one's log signature with logKey
// and that sizes never shrink. A last line cut short (the witness stopped
// while writing it, before it answered) is ignored; any other bad line is
// an error naming it. A missing history is empty.
func ReadHistory(dir string, logKey note.Verifier) ([]Cosigned, error) {
	f, err := os.Open(filepath.Join(dir, HistoryFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	defer f.Close()
	hs, _, err := readHistory(f, logKey)
	return hs, err
}

// readHistory parses the history and returns the offset where its
// complete lines end.
func readHistory(r io.Reader, logKey note.Verifier) ([]Cosigned, int64, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var (
		out  []Cosigned
		good int64
	)
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			// b holds a line cut short, if anything: it was never
			// acknowledged, since a line is synced before the answer.
			return out, good, nil
		} else if err != nil {
			return nil, 0, err
		}
		if len(b) > maxRecord {
			return nil, 0, fmt.Errorf("%s line %d: longer than %d bytes", HistoryFile, line, maxRecord)
		}
		var rec Record
		d := json.NewDecoder(bytes.NewReader(b))
		d.DisallowUnknownFields()
		if err := d.Decode(&rec); err != nil {
			return nil, 0, fmt.Errorf("%s line %d: %v", HistoryFile, line, err)
		}
		c, _, err := tlog.OpenCheckpoint([]byte(rec.Note), logKey)
		if err != nil {
			return nil, 0, fmt.Errorf("%s line %d: %v", HistoryFile, line, err)
		}
		if n := len(out); n > 0 && c.Size < out[n-1].Size {
			return nil, 0, fmt.Errorf("%s line %d: size %d after size %d: the history only grows", HistoryFile, line, c.Size, out[n-1].Size)
		}
		out = append(out, Cosigned{Checkpoint: c, Record: rec})
		good += int64(len(b))
	}
}

// history is the open history file, appended to and synced.
type history struct {
	f *os.File
}

// openHistory opens dir's history for appending, reads it, and cuts off
// a last line left incomplete.
func openHistory(dir string, logKey note.Verifier) (*history, []Cosigned, error) {
	path := filepath.Join(dir, HistoryFile)
	_, statErr := os.Stat(path)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, nil, err
	}
	if errors.Is(statErr, os.ErrNotExist) {
		if err := syncDir(dir); err != nil {
			f.Close()
			return nil, nil, err
		}
	}
	hs, good, err := readHistory(f, logKey)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if err := f.Truncate(good); err != nil {
		f.Close()
		return nil, nil, err
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, nil, err
	}
	return &history{f: f}, hs, nil
}

// append writes rec as one line and syncs it to disk.
func (h *history) append(rec Record) error {
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	if _, err := h.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("witness: history: %w", err)
	}
	if err := h.f.Sync(); err != nil {
		return fmt.Errorf("witness: history: %w", err)
	}
	return nil
}

func (h *history) close() error { return h.f.Close() }

// Evidence is what a witness keeps when a log presents a checkpoint signed
// by its key that it must refuse: the checkpoint it had cosigned and the
// request that conflicts with it.
type Evidence struct {
	// Kind is "fork" when the witness cosigned a checkpoint of the same
	// size with another root: the log signed two trees of one size, which
	// is proof of a fork by itself. "inconsistent" when the log signed a
	// larger tree but its consistency proof from the cosigned checkpoint
	// fails. "smaller" when the log signed a tree smaller than the latest
	// cosigned one, of a size the witness did not cosign: a rollback, and
	// a fork if that size's root is not the log's (`truce witness check`
	// compares them).
	Kind       string    `json:"kind"`
	DetectedAt time.Time `json:"detected_at"`
	Reason     string    `json:"reason"`
	// Witnessed is the checkpoint the witness had cosigned that the
	// request conflicts with: of the same size for "fork", the latest
	// otherwise.
	Witnessed string `json:"witnessed"`
	// Request is the add-checkpoint request body, verbatim: the old size,
	// the consistency proof and the checkpoint with the log's signature.
	Request string `json:"request"`
}

// errTooMuchEvidence says that maxForks evidence files are kept already.
var errTooMuchEvidence = fmt.Errorf("witness: %d evidence files kept already; not keeping more", maxForks)

// writeEvidence writes ev under dir/forks, named by the SHA-256 of the
// request, and syncs it: a request seen before is kept once. It keeps at
// most maxForks files; count is how many there are.
func writeEvidence(dir string, ev *Evidence, count *int) (string, error) {
	sum := sha256.Sum256([]byte(ev.Request))
	fd := filepath.Join(dir, ForksDir)
	path := filepath.Join(fd, ev.Kind+"-"+hex.EncodeToString(sum[:16])+".json")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if *count >= maxForks {
		return "", errTooMuchEvidence
	}
	if err := os.MkdirAll(fd, 0o755); err != nil {
		return "", err
	}
	b, err := json.MarshalIndent(ev, "", "  ")
	if err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(fd, ".tmp-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", err
	}
	if err := syncDir(fd); err != nil {
		return "", err
	}
	*count++
	return path, nil
}

// ReadEvidence reads every evidence file of a witness's directory.
func ReadEvidence(dir string) ([]Evidence, error) {
	paths, err := filepath.Glob(filepath.Join(dir, ForksDir, "*.json"))
	if err != nil {
		return nil, err
	}
	var out []Evidence
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var ev Evidence
		if err := json.Unmarshal(b, &ev); err != nil {
			return nil, fmt.Errorf("%s: %v", p, err)
		}
		out = append(out, ev)
	}
	return out, nil
}

func countEvidence(dir string) (int, error) {
	paths, err := filepath.Glob(filepath.Join(dir, ForksDir, "*.json"))
	return len(paths), err
}

// syncDir makes a directory's entries durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// lockDir takes dir's lock, so that one process at a time serves it: two
// would each check against their own view of the latest checkpoint.
func lockDir(dir string) (release func(), err error) {
	f, err := os.OpenFile(filepath.Join(dir, lockFile), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s is in use by another witness process", dir)
		}
		return nil, err
	}
	return func() { f.Close() }, nil
}
