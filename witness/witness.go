package witness

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"

	tlog "truce/log"
)

// Limits on add-checkpoint requests.
const (
	maxBodyBytes  = 64 << 10 // the whole request
	maxProofLines = 63       // as the specification says
	maxSignatures = 32       // signature lines on the checkpoint
)

// Error is a refusal of an add-checkpoint request: the HTTP status the
// specification names for it and a message naming what is wrong. Size is
// the latest cosigned size, for 409.
type Error struct {
	Status  int
	Message string
	Size    int64
}

func (e *Error) Error() string { return e.Message }

func refuse(status int, format string, args ...any) *Error {
	return &Error{Status: status, Message: fmt.Sprintf(format, args...)}
}

// Witness cosigns the checkpoints of one log, keeping in its directory
// every checkpoint it cosigned and the evidence of any fork it saw.
type Witness struct {
	Dir    string
	Logger *slog.Logger
	// Now is the clock of the evidence's times; time.Now if nil. The
	// cosignatures' timestamps are the Signer's.
	Now func() time.Time

	signer *Signer
	logKey note.Verifier
	origin string

	mu     sync.Mutex // held from checking a request to persisting it
	hist   *history
	latest *Cosigned // nil before the first cosignature
	roots  map[int64]tlog.Hash
	notes  map[int64]string
	forks  int
	unlock func()
}

// Open opens the witness directory dir (which must exist) for cosigning
// checkpoints of the log whose key is logKey, with signer, taking the
// directory's lock. It reads and checks the history.
func Open(dir string, signer *Signer, logKey note.Verifier) (*Witness, error) {
	unlock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	w := &Witness{Dir: dir, signer: signer, logKey: logKey, origin: logKey.Name(),
		roots: map[int64]tlog.Hash{}, notes: map[int64]string{}, unlock: unlock}
	hist, hs, err := openHistory(dir, logKey)
	if err != nil {
		unlock()
		return nil, fmt.Errorf("witness %s: %w", dir, err)
	}
	w.hist = hist
	for i := range hs {
		if r, ok := w.roots[hs[i].Size]; ok && r != hs[i].Root {
			// Possible only if the file was edited: this witness never
			// cosigns two roots of one size.
			w.Close()
			return nil, fmt.Errorf("witness %s: %s holds two roots of size %d", dir, HistoryFile, hs[i].Size)
		}
		w.roots[hs[i].Size] = hs[i].Root
		w.notes[hs[i].Size] = hs[i].Note
		w.latest = &hs[i]
	}
	if w.forks, err = countEvidence(dir); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// Close releases the directory.
func (w *Witness) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	var err error
	if w.hist != nil {
		err = w.hist.close()
		w.hist = nil
	}
	if w.unlock != nil {
		w.unlock()
		w.unlock = nil
	}
	return err
}

// Origin returns the origin of the log the witness cosigns.
func (w *Witness) Origin() string { return w.origin }

// Latest returns the latest checkpoint cosigned, with the log's signature
// and the witness's cosignature; ok is false before the first.
func (w *Witness) Latest() (c Cosigned, ok bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.latest == nil {
		return Cosigned{}, false
	}
	return *w.latest, true
}

// request is a parsed add-checkpoint body.
type request struct {
	old   int64
	proof [][]byte
	msg   []byte // the checkpoint, a signed note
}

// parseRequest parses an add-checkpoint body: "old N", up to 63 base64
// hashes, an empty line and a checkpoint, every line ending in a newline.
func parseRequest(body []byte) (*request, *Error) {
	r := &request{}
	line, rest, ok := bytes.Cut(body, []byte("\n"))
	if !ok {
		return nil, refuse(400, "old size line: missing; the body must begin with \"old N\" and a newline")
	}
	n, ok := strings.CutPrefix(string(line), "old ")
	v, err := strconv.ParseInt(n, 10, 64)
	if !ok || err != nil || v < 0 || strconv.FormatInt(v, 10) != n {
		return nil, refuse(400, "old size line %q: must be \"old \" and a decimal size without leading zeros", clip(line))
	}
	r.old = v
	for i := 0; ; i++ {
		line, rest, ok = bytes.Cut(rest, []byte("\n"))
		if !ok {
			return nil, refuse(400, "body: no empty line ends the consistency proof")
		}
		if len(line) == 0 {
			break
		}
		if i == maxProofLines {
			return nil, refuse(400, "consistency proof: more than %d lines", maxProofLines)
		}
		// Strict decoding still skips \r and \n: the line must also be
		// the one encoding of its bytes.
		h, err := base64.StdEncoding.Strict().DecodeString(string(line))
		if err != nil || len(h) != sha256.Size || base64.StdEncoding.EncodeToString(h) != string(line) {
			return nil, refuse(400, "consistency proof line %d %q: must be a base64 SHA-256 hash", i+1, clip(line))
		}
		r.proof = append(r.proof, h)
	}
	r.msg = rest
	return r, nil
}

func clip(b []byte) string {
	if len(b) > 60 {
		return string(b[:60]) + "…"
	}
	return string(b)
}

// AddCheckpoint handles an add-checkpoint request body as
// c2sp.org/tlog-witness says, and returns the witness's cosignature line.
// Refusals are *Error values with the specification's status: 400 for a
// malformed request or an old size above the checkpoint's, 404 for
// another log's checkpoint, 403 when the log's signature is missing or
// does not verify, 409 when the old size is not the latest cosigned one
// (Error.Size says which it is), 422 when the consistency proof fails or
// the tree is not the one cosigned at that size. The new checkpoint is
// synced to disk before AddCheckpoint returns; checking and recording it
// happen under one lock, so a request can never roll back another. A
// checkpoint signed by the log that conflicts with one cosigned is kept as
// Evidence before the refusal is returned.
func (w *Witness) AddCheckpoint(body []byte) ([]byte, error) {
	if len(body) > maxBodyBytes {
		return nil, refuse(413, "body: larger than %d bytes", maxBodyBytes)
	}
	req, e := parseRequest(body)
	if e != nil {
		return nil, e
	}
	origin, _, _ := strings.Cut(string(req.msg), "\n")
	if origin != w.origin {
		return nil, refuse(404, "checkpoint origin %q: this witness cosigns only %q", clip([]byte(origin)), w.origin)
	}
	if sigs := bytes.Count(req.msg, []byte("\n— ")); sigs > maxSignatures {
		return nil, refuse(400, "checkpoint: %d signature lines, more than %d", sigs, maxSignatures)
	}
	n, err := note.Open(req.msg, note.VerifierList(w.logKey))
	var unverified *note.UnverifiedNoteError
	var invalid *note.InvalidSignatureError
	switch {
	case errors.As(err, &unverified):
		return nil, refuse(403, "checkpoint: no signature by the log's key %s", w.origin)
	case errors.As(err, &invalid):
		return nil, refuse(403, "checkpoint: the signature by the log's key %s does not verify", w.origin)
	case err != nil:
		return nil, refuse(400, "checkpoint: not a signed note (text, an empty line, signature lines each ending in a newline)")
	}
	for _, s := range n.Sigs {
		if _, err := base64.StdEncoding.Strict().DecodeString(s.Base64); err != nil {
			return nil, refuse(403, "checkpoint: the signature by %s is not canonical base64", s.Name)
		}
	}
	c, err := tlog.ParseCheckpoint(n.Text)
	if err != nil {
		return nil, refuse(400, "%v", err)
	}
	if req.old > c.Size {
		// A log that has signed a tree smaller than the one cosigned,
		// and says so.
		if err := w.keepConflict(req, c, body); err != nil {
			return nil, err
		}
		return nil, refuse(400, "old size %d: must not exceed the checkpoint's size %d", req.old, c.Size)
	}

	w.mu.Lock()
	defer w.mu.Unlock()
	if w.hist == nil {
		return nil, errors.New("witness: closed")
	}
	if err := w.keepConflictLocked(c, body, req); err != nil {
		return nil, err
	}
	var latest int64
	if w.latest != nil {
		latest = w.latest.Size
	}
	if req.old != latest {
		return nil, &Error{Status: 409, Size: latest,
			Message: fmt.Sprintf("old size %d: the latest checkpoint this witness cosigned is of size %d", req.old, latest)}
	}
	if c.Size == 0 && c.Root != emptyRoot {
		return nil, refuse(422, "checkpoint: a tree of size 0 must have the empty tree's root, SHA-256 of nothing")
	}
	switch {
	case req.old == 0 && len(req.proof) > 0:
		return nil, refuse(422, "consistency proof: must be empty when the old size is 0")
	case req.old == c.Size && len(req.proof) > 0:
		return nil, refuse(422, "consistency proof: must be empty when the old size is the checkpoint's")
	case req.old == c.Size && w.latest != nil && c.Root != w.latest.Root:
		return nil, refuse(422, "checkpoint: root %x at size %d, but this witness cosigned root %x at that size: the log forked", c.Root[:], c.Size, w.latest.Root[:])
	case req.old > 0 && req.old < c.Size:
		if err := tlog.VerifyConsistency(uint64(req.old), uint64(c.Size), w.latest.Root[:], c.Root[:], req.proof); err != nil {
			if err := w.evidence("inconsistent", err.Error(), w.latest.Note, body); err != nil {
				return nil, err
			}
			return nil, refuse(422, "consistency proof from size %d to %d: does not verify", req.old, c.Size)
		}
	}
	// The same size and root (a tree of another root at this size was
	// refused above) or a consistent larger tree: cosign it.
	signed, err := note.Sign(&note.Note{Text: n.Text, Sigs: n.Sigs}, w.signer)
	if err != nil {
		return nil, err
	}
	if w.latest == nil || c.Size > w.latest.Size {
		rec := Record{Note: string(signed), CosignedAt: w.now()}
		if err := w.hist.append(rec); err != nil {
			return nil, err
		}
		w.latest = &Cosigned{Checkpoint: c, Record: rec}
		w.roots[c.Size], w.notes[c.Size] = c.Root, rec.Note
	}
	return ownLine(signed, w.signer.Name()), nil
}

// emptyRoot is the root of the empty tree: SHA-256 of nothing.
var emptyRoot = tlog.Hash(sha256.Sum256(nil))

// keepConflict takes the lock and calls keepConflictLocked.
func (w *Witness) keepConflict(req *request, c tlog.Checkpoint, body []byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.keepConflictLocked(c, body, req)
}

// keepConflictLocked keeps evidence when c, signed by the log, is of a
// size the witness cosigned with another root, or smaller than the latest
// cosigned. A checkpoint the witness cosigned, sent again, is no evidence.
func (w *Witness) keepConflictLocked(c tlog.Checkpoint, body []byte, req *request) error {
	if root, ok := w.roots[c.Size]; ok {
		if root == c.Root {
			return nil
		}
		return w.evidence("fork", fmt.Sprintf("the log signed root %x at size %d; this witness cosigned root %x at that size", c.Root[:], c.Size, root[:]), w.notes[c.Size], body)
	}
	if w.latest != nil && c.Size < w.latest.Size {
		return w.evidence("smaller", fmt.Sprintf("the log signed a tree of size %d after one of size %d was cosigned", c.Size, w.latest.Size), w.latest.Note, body)
	}
	return nil
}

// evidence writes an evidence file; failing to write it fails the request
// (with a 500), so that no refusal goes out without its proof on disk.
// Past maxForks files (someone sending old checkpoints over and over),
// the witness logs the conflict and refuses it without keeping more.
func (w *Witness) evidence(kind, reason, witnessed string, body []byte) error {
	ev := &Evidence{Kind: kind, DetectedAt: w.now(), Reason: reason, Witnessed: witnessed, Request: string(body)}
	path, err := writeEvidence(w.Dir, ev, &w.forks)
	if errors.Is(err, errTooMuchEvidence) {
		if w.Logger != nil {
			w.Logger.Error("witness: the log signed a conflicting checkpoint; evidence not kept", "kind", kind, "reason", reason, "err", err)
		}
		return nil
	}
	if err != nil {
		if w.Logger != nil {
			w.Logger.Error("witness: keeping evidence failed", "kind", kind, "err", err)
		}
		return err
	}
	if w.Logger != nil {
		w.Logger.Warn("witness: the log signed a conflicting checkpoint", "kind", kind, "reason", reason, "evidence", path)
	}
	return nil
}

func (w *Witness) now() time.Time {
	if w.Now != nil {
		return w.Now().UTC()
	}
	return time.Now().UTC()
}

// ownLine returns the signature line of key name in a signed note.
func ownLine(msg []byte, name string) []byte {
	prefix := []byte("— " + name + " ")
	for _, l := range bytes.SplitAfter(msg, []byte("\n")) {
		if bytes.HasPrefix(l, prefix) {
			return l
		}
	}
	return nil
}
