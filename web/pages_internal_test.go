package web

import (
	"crypto/rand"
	"slices"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

// TestCosigners: the log page lists the signatures on a checkpoint other
// than the log's own, and none when it has only the log's.
func TestCosigners(t *testing.T) {
	signer := func(name string) note.Signer {
		skey, _, err := note.GenerateKey(rand.Reader, name)
		if err != nil {
			t.Fatal(err)
		}
		s, err := note.NewSigner(skey)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	text := "truce.test/log\n5\nq8lYWcCBxE8Ik6WrujyGPtIibeDbZ0Hr5OzpZSqXNcQ=\n"
	logKey, witness := signer("truce.test/log"), signer("witness.ru.example")
	own, err := note.Sign(&note.Note{Text: text}, logKey)
	if err != nil {
		t.Fatal(err)
	}
	if got := cosigners(string(own)); len(got) != 0 {
		t.Errorf("cosigners(a note signed by the log only) = %q, want none", got)
	}
	both, err := note.Sign(&note.Note{Text: text}, logKey, witness)
	if err != nil {
		t.Fatal(err)
	}
	if got := cosigners(string(both)); !slices.Equal(got, []string{"witness.ru.example"}) {
		t.Errorf("cosigners(a cosigned note) = %q, want [witness.ru.example]", got)
	}
	if got := cosigners("not a note"); got != nil {
		t.Errorf("cosigners(garbage) = %q, want nil", got)
	}
}
