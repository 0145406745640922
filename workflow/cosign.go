package workflow

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/mod/sumdb/note"

	"truce"
	tlog "truce/log"
	"truce/witness"
)

// WitnessClient submits a checkpoint to a witness (c2sp.org/tlog-witness
// add-checkpoint) and returns its signature lines. A 409 is a
// *witness.ConflictError carrying the witness's latest cosigned size.
// *witness.Client is one.
type WitnessClient interface {
	AddCheckpoint(ctx context.Context, old int64, proof []tlog.Hash, checkpoint []byte) ([]byte, error)
}

// Witness is a witness the log asks to cosign its checkpoints: its key,
// and how to reach it.
type Witness struct {
	Key    *witness.Verifier
	Client WitnessClient

	mu   sync.Mutex
	size int64 // the latest size it said it cosigned; 0 until it says
}

// Name returns the witness key's name.
func (w *Witness) Name() string { return w.Key.Name() }

// Cosign asks every witness at once to cosign checkpoint c, verifies each
// answer with the witness's key, and stores the cosignatures received in
// one transaction, so that a checkpoint's cosignatures appear together. It
// returns them, and an error joining every witness's failure: a witness
// that refuses or cannot be reached does not keep the others' cosignatures
// from being stored.
func (s *Service) Cosign(ctx context.Context, c *truce.Checkpoint, ws []*Witness) ([]truce.Cosignature, error) {
	lines := make([]string, len(ws))
	errs := make([]error, len(ws))
	var wg sync.WaitGroup
	for i, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lines[i], errs[i] = s.submit(ctx, c, w)
			if errs[i] != nil {
				errs[i] = fmt.Errorf("witness %s: %w", w.Name(), errs[i])
			}
		}()
	}
	wg.Wait()
	var got []truce.Cosignature
	err := s.Store.Update(ctx, func(tx truce.Tx) error {
		have, err := tx.Cosignatures(c.Size)
		if err != nil {
			return err
		}
		held := map[string]bool{}
		for _, h := range have {
			held[h.Witness] = true
		}
		now := s.Now().UTC()
		for i, w := range ws {
			if lines[i] == "" || held[w.Name()] {
				continue
			}
			cs := truce.Cosignature{Size: c.Size, Witness: w.Name(), Line: lines[i], ReceivedAt: now}
			if err := tx.AddCosignature(&cs); err != nil {
				return err
			}
			got = append(got, cs)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cosign: %w", err)
	}
	return got, errors.Join(errs...)
}

// submit sends c to one witness, from the latest size it cosigned, and
// returns its verified cosignature line. A witness that says it cosigned
// another size (409) is asked again from that size, twice at most.
func (s *Service) submit(ctx context.Context, c *truce.Checkpoint, w *Witness) (string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	old := w.size
	for range 3 {
		if old > c.Size {
			return "", fmt.Errorf("it cosigned a checkpoint of size %d, larger than this log's %d: it has seen another log with this key, or this log was rolled back", old, c.Size)
		}
		var proof []tlog.Hash
		if old > 0 && old < c.Size {
			p, err := s.ProveConsistency(ctx, old, c.Size)
			if err != nil {
				return "", err
			}
			proof = p.Proof
		}
		answer, err := w.Client.AddCheckpoint(ctx, old, proof, []byte(c.Note))
		var conflict *witness.ConflictError
		if errors.As(err, &conflict) {
			old = conflict.Size
			continue
		} else if err != nil {
			return "", err
		}
		line, err := verifyCosignature(c.Note, answer, w.Key)
		if err != nil {
			return "", err
		}
		w.size = c.Size
		return line, nil
	}
	return "", fmt.Errorf("its latest cosigned size keeps changing")
}

// verifyCosignature checks a witness's answer, signature lines, against
// the checkpoint note it cosigns, and returns the line of the witness's key.
func verifyCosignature(checkpoint string, answer []byte, key *witness.Verifier) (string, error) {
	n, err := note.Open(append([]byte(checkpoint), answer...), note.VerifierList(key))
	if err != nil {
		return "", fmt.Errorf("its answer is not a valid cosignature of the checkpoint: %w", err)
	}
	sig := n.Sigs[0]
	if _, err := base64.StdEncoding.Strict().DecodeString(sig.Base64); err != nil {
		return "", fmt.Errorf("its cosignature is not canonical base64")
	}
	return "— " + sig.Name + " " + sig.Base64 + "\n", nil
}

// cosignedNote returns the checkpoint's note with the cosignatures the
// store holds for it appended, by witness name: the cosigned checkpoint,
// still a valid checkpoint for clients that know only the log's key.
func cosignedNote(tx truce.Tx, c *truce.Checkpoint) (string, error) {
	cs, err := tx.Cosignatures(c.Size)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(c.Note)
	for _, x := range cs {
		b.WriteString(x.Line)
	}
	return b.String(), nil
}

// CosignedCheckpoint returns the checkpoint of tree size size (0 for the
// latest issued) with the witnesses' cosignatures received for it appended
// to its note, by witness name. ENOTFOUND when none was issued.
func (s *Service) CosignedCheckpoint(ctx context.Context, size int64) (*truce.Checkpoint, error) {
	var c *truce.Checkpoint
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		var err error
		if size == 0 {
			c, err = tx.LatestCheckpoint()
		} else {
			c, err = tx.CheckpointAt(size)
		}
		if err != nil {
			return err
		}
		c.Note, err = cosignedNote(tx, c)
		return err
	})
	return c, err
}

// RunCosigner submits each checkpoint received on issued to the witnesses
// until ctx is done; it skips to the newest when it falls behind. Failures
// are logged: a checkpoint a witness missed is covered by its next
// cosignature, which proves consistency from the last one it made.
func (s *Service) RunCosigner(ctx context.Context, ws []*Witness, issued <-chan *truce.Checkpoint) {
	for {
		var c *truce.Checkpoint
		select {
		case <-ctx.Done():
			return
		case c = <-issued:
		}
		cs, err := s.Cosign(ctx, c, ws)
		if err != nil && ctx.Err() == nil {
			s.Logger.Warn("cosigning failed", "size", c.Size, "cosignatures", len(cs), "err", err)
		} else {
			s.Logger.Debug("checkpoint cosigned", "size", c.Size, "cosignatures", len(cs))
		}
	}
}

// Latest returns a function that hands each checkpoint to ch, which must
// have a buffer of one, replacing one not taken yet: the cosigner always
// gets the newest checkpoint and never holds up the checkpointer.
func Latest(ch chan *truce.Checkpoint) func(*truce.Checkpoint) {
	return func(c *truce.Checkpoint) {
		for {
			select {
			case ch <- c:
				return
			default:
			}
			select {
			case <-ch:
			default:
			}
		}
	}
}
