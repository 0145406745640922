package workflow

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"

	"truce"
)

// Submission is what a request brings beside its body: an idempotency key,
// with the request's fingerprint, and the signed note the command came in,
// once verified (see VerifySigned).
type Submission struct {
	IdempotencyKey string
	Fingerprint    [32]byte // SHA-256 of method, path and body
	Note           string   // the signed note, verbatim
	KeyHash        string   // the hash of the key that signed it, hex
}

type submissionKey struct{}

// WithSubmission returns ctx carrying sub to the command it runs.
func WithSubmission(ctx context.Context, sub *Submission) context.Context {
	return context.WithValue(ctx, submissionKey{}, sub)
}

func submissionFrom(ctx context.Context) *Submission {
	sub, _ := ctx.Value(submissionKey{}).(*Submission)
	return sub
}

// MaxIdempotencyKey bounds an Idempotency-Key.
const MaxIdempotencyKey = 200

// EncodeJSON is how results are written, to clients and to the responses
// kept for idempotent retries: JSON without HTML escaping, and a newline.
func EncodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// command runs fn, a command of member by, and returns its result. The
// command joins the next group commit: its entries are durable when it
// returns. With an idempotency key, a retry returns the first result and
// appends nothing; the key of another request is a conflict. A member with
// a registered key must sign its commands.
func command[T any](s *Service, ctx context.Context, by *truce.Member, fn func(tx *wtx) (T, error)) (T, error) {
	return run(s, ctx, by, true, fn)
}

// working runs fn, a change of member by to the server's working state
// (the draft queue), as command does, idempotency included; but it
// appends no entry, so it records no claim, and a member with a key need
// not sign it.
func working[T any](s *Service, ctx context.Context, by *truce.Member, fn func(tx *wtx) (T, error)) (T, error) {
	return run(s, ctx, by, false, fn)
}

func run[T any](s *Service, ctx context.Context, by *truce.Member, signed bool, fn func(tx *wtx) (T, error)) (T, error) {
	sub := submissionFrom(ctx)
	var out T
	err := s.group(ctx, func(tx *wtx) error {
		tx.by, tx.sub, tx.first = by, sub, -1
		idem := sub != nil && sub.IdempotencyKey != "" && by != nil
		if idem {
			prev, err := tx.Response(by.ID, sub.IdempotencyKey)
			switch {
			case err == nil && prev.Fingerprint != sub.Fingerprint:
				return truce.Errorf(truce.ECONFLICT, "Idempotency-Key %q was used for another request", sub.IdempotencyKey)
			case err == nil:
				if err := json.Unmarshal(prev.Body, &out); err != nil {
					return err
				}
				if sr, ok := any(out).(secretResult); ok {
					return sr.replayError()
				}
				return nil
			case truce.ErrorCode(err) != truce.ENOTFOUND:
				return err
			}
		}
		if signed && by != nil && (sub == nil || sub.Note == "") {
			if has, err := s.hasKey(tx, by.ID); err != nil {
				return err
			} else if has {
				return truce.Errorf(truce.EFORBIDDEN, "member %s has a registered key: its submissions must be signed (truce submit)", by.ID)
			}
		}
		now, err := s.entryTime(tx)
		if err != nil {
			return err
		}
		tx.now = now
		defer func() { tx.now = time.Time{} }()
		v, err := fn(tx)
		if err != nil {
			return err
		}
		out = v
		if idem {
			var kept any = v
			if sr, ok := any(v).(secretResult); ok {
				kept = sr.withoutSecrets()
			}
			body, err := EncodeJSON(kept)
			if err != nil {
				return err
			}
			return tx.PutResponse(&truce.StoredResponse{
				Member: by.ID, Key: sub.IdempotencyKey, Fingerprint: sub.Fingerprint,
				Body: body, Entry: tx.first, Created: s.Now().UTC(),
			})
		}
		return nil
	})
	return out, err
}

// secretResult is a result that holds a secret shown once (a new
// member's token): what is kept for retries leaves the secret out, and a
// retry is told so instead of getting it again.
type secretResult interface {
	withoutSecrets() any
	replayError() error
}

// Group commit: commands wait in a queue; one goroutine at a time takes
// what is queued, runs each command in a nested transaction of one store
// transaction, and commits them with one durable write. While a batch
// commits, the next fills. A failing command is undone alone.

// MaxBatch bounds how many commands share a transaction.
const maxGroup = 256

type job struct {
	ctx  context.Context
	fn   func(tx *wtx) error
	err  error
	done chan struct{}
}

type batcher struct {
	mu      sync.Mutex
	queue   []*job
	running bool
}

// runJob runs a job's command in w, recording its error (a panic is an
// error of that command alone).
func runJob(j *job, w *wtx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("command panicked: %v", p)
		}
		j.err = err
	}()
	if err := j.ctx.Err(); err != nil {
		return err
	}
	return j.fn(w)
}

// group runs fn in the next batch and returns its error once the batch has
// committed (or fn failed).
func (s *Service) group(ctx context.Context, fn func(tx *wtx) error) error {
	j := &job{ctx: ctx, fn: fn, done: make(chan struct{})}
	b := &s.batch
	b.mu.Lock()
	b.queue = append(b.queue, j)
	if !b.running {
		b.running = true
		go s.drain()
	}
	b.mu.Unlock()
	<-j.done
	return j.err
}

// drain runs batches until the queue is empty.
func (s *Service) drain() {
	b := &s.batch
	for {
		b.mu.Lock()
		n := min(len(b.queue), maxGroup)
		jobs := b.queue[:n:n]
		b.queue = b.queue[n:]
		if n == 0 {
			b.running = false
			b.queue = nil
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
		s.runBatch(jobs)
	}
}

func (s *Service) runBatch(jobs []*job) {
	start := time.Now()
	var w *wtx
	var err error
	acked := false // only under unsafeAckBeforeCommit
	if len(jobs) == 1 {
		// Alone, a command needs no savepoint: if it fails, the whole
		// transaction is undone. Savepoints cost a copy of every page the
		// command first touches.
		j := jobs[0]
		err = s.Store.Update(context.Background(), func(tx truce.Tx) error {
			w = s.newWtx(tx)
			err := runJob(j, w)
			acked = s.unsafeAck(jobs)
			return err
		})
		if j.err != nil {
			// The job's own failure, already recorded: the transaction
			// was undone, and there is nothing to remember.
			err, w = nil, nil
		}
	} else {
		err = s.Store.Update(context.Background(), func(tx truce.Tx) error {
			w = s.newWtx(tx)
			for _, j := range jobs {
				st := w.save()
				if tx.Nested(func() error { return runJob(j, w) }) != nil {
					w.restore(st)
				}
			}
			acked = s.unsafeAck(jobs)
			return nil
		})
	}
	if err == nil && w != nil {
		s.remember(w)
	}
	for _, j := range jobs {
		if acked {
			break
		}
		if err != nil && j.err == nil {
			j.err = err
		}
		close(j.done)
	}
	if s.Logger != nil {
		s.Logger.Debug("group commit", "commands", len(jobs), "took", time.Since(start))
	}
}

// UnsafeAckBeforeCommitEnv names the environment variable that turns on a
// switch for crash tests only, and UnsafeAckBeforeCommitValue the one value
// that does: with it, the committer answers every command of a batch as soon
// as the batch has run, then waits unsafeAckDelay, then commits. A crash in
// that window loses writes that were acknowledged: durability is broken on
// purpose, so that bench/crash can show that it sees such losses (its
// negative control). No other value, and no flag or setting, turns it on;
// a process that has it on says so on stderr when it starts and in its log
// at the first command. Never set it outside that harness.
const (
	UnsafeAckBeforeCommitEnv   = "TRUCE_TEST_ACK_BEFORE_COMMIT"
	UnsafeAckBeforeCommitValue = "lose-acknowledged-writes"
	unsafeAckDelay             = 50 * time.Millisecond
)

var (
	unsafeAckBeforeCommit = os.Getenv(UnsafeAckBeforeCommitEnv) == UnsafeAckBeforeCommitValue
	unsafeAckWarned       sync.Once
)

func init() {
	if unsafeAckBeforeCommit {
		fmt.Fprintf(os.Stderr, "truce: WARNING: %s=%s: commands are acknowledged BEFORE they commit; a crash loses acknowledged writes. For crash tests only.\n",
			UnsafeAckBeforeCommitEnv, UnsafeAckBeforeCommitValue)
	} else if v, ok := os.LookupEnv(UnsafeAckBeforeCommitEnv); ok {
		fmt.Fprintf(os.Stderr, "truce: %s=%q ignored: commands are acknowledged only once committed.\n", UnsafeAckBeforeCommitEnv, v)
	}
}

// unsafeAck, under unsafeAckBeforeCommit only, answers the batch's
// commands before their transaction commits and holds the commit back a
// while, and reports that it did; otherwise it does nothing.
func (s *Service) unsafeAck(jobs []*job) bool {
	if !unsafeAckBeforeCommit {
		return false
	}
	unsafeAckWarned.Do(func() {
		if s.Logger != nil {
			s.Logger.Error("UNSAFE: commands are acknowledged before they commit (crash tests only)", "env", UnsafeAckBeforeCommitEnv)
		}
	})
	for _, j := range jobs {
		close(j.done)
	}
	time.Sleep(unsafeAckDelay)
	return true
}
