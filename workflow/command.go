package workflow

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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
		if by != nil && (sub == nil || sub.Note == "") {
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
	if len(jobs) == 1 {
		// Alone, a command needs no savepoint: if it fails, the whole
		// transaction is undone. Savepoints cost a copy of every page the
		// command first touches.
		j := jobs[0]
		err = s.Store.Update(context.Background(), func(tx truce.Tx) error {
			w = s.newWtx(tx)
			return runJob(j, w)
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
			return nil
		})
	}
	if err == nil && w != nil {
		s.remember(w)
	}
	for _, j := range jobs {
		if err != nil && j.err == nil {
			j.err = err
		}
		close(j.done)
	}
	if s.Logger != nil {
		s.Logger.Debug("group commit", "commands", len(jobs), "took", time.Since(start))
	}
}
