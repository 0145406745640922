package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	tlog "truce/log"
)

// tree is a Merkle tree of n leaves held in memory.
type tree struct{ hashes []tlog.Hash }

func newTree(t *testing.T, prefix string, n int) *tree {
	t.Helper()
	tr := &tree{}
	for i := range n {
		h, err := tlog.StoredHashes(int64(i), []byte(fmt.Sprintf("%s %d", prefix, i)), tr.reader())
		if err != nil {
			t.Fatal(err)
		}
		tr.hashes = append(tr.hashes, h...)
	}
	return tr
}

func (tr *tree) reader() tlog.HashReader {
	return tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = tr.hashes[x]
		}
		return out, nil
	})
}

func (tr *tree) checkpoint(t *testing.T, size int64) tlog.Checkpoint {
	t.Helper()
	root, err := tlog.TreeHash(size, tr.reader())
	if err != nil {
		t.Fatal(err)
	}
	return tlog.Checkpoint{Origin: "truce.crash/test", Size: size, Root: root}
}

// TestCheckpointsAdvance checks that the harness refuses a checkpoint that
// goes back, or forks from the one seen before, and takes one that grew
// from it.
func TestCheckpointsAdvance(t *testing.T) {
	good := newTree(t, "entry", 9)
	fork := newTree(t, "other", 9) // the same sizes, other entries
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var old, nw int64
		fmt.Sscan(r.URL.Query().Get("old"), &old)
		fmt.Sscan(r.URL.Query().Get("new"), &nw)
		p, err := tlog.ProveConsistency(old, nw, good.reader())
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"old": old, "new": nw, "proof": p})
	}))
	defer srv.Close()
	ctx := context.Background()
	for _, tt := range []struct {
		name      string
		last, cp  tlog.Checkpoint
		wantError bool
	}{
		{"first", tlog.Checkpoint{}, good.checkpoint(t, 4), false},
		{"grew", good.checkpoint(t, 4), good.checkpoint(t, 9), false},
		{"same", good.checkpoint(t, 5), good.checkpoint(t, 5), false},
		{"rolled back", good.checkpoint(t, 9), good.checkpoint(t, 4), true},
		{"forked, same size", good.checkpoint(t, 5), fork.checkpoint(t, 5), true},
		{"forked, grew", fork.checkpoint(t, 4), good.checkpoint(t, 9), true},
	} {
		c := &checkpoints{s: &server{url: srv.URL}, last: tt.last}
		err := c.advance(ctx, srv.Client(), tt.cp)
		if gotError := err != nil; gotError != tt.wantError {
			t.Errorf("%s: advance(%d after %d) = %v, want error %v", tt.name, tt.cp.Size, tt.last.Size, err, tt.wantError)
		}
		if want := tt.cp; err != nil {
			if c.last != tt.last {
				t.Errorf("%s: after a refused checkpoint the last seen is size %d, want %d kept", tt.name, c.last.Size, tt.last.Size)
			}
		} else if c.last != want {
			t.Errorf("%s: last seen is size %d, want %d", tt.name, c.last.Size, want.Size)
		}
	}
}
