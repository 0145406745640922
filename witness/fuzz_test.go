package witness

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	tlog "truce/log"
)

// fuzzLog is a log of 21 leaves in memory, signed with a key made from a
// fixed seed, so that its signatures are the same on every run.
type fuzzLog struct {
	signer note.Signer
	vkey   note.Verifier
	hashes []tlog.Hash
}

func newFuzzLog(tb testing.TB) *fuzzLog {
	tb.Helper()
	skey, vkey, err := note.GenerateKey(bytes.NewReader(make([]byte, 64)), "truce.test/log")
	if err != nil {
		tb.Fatal(err)
	}
	l := &fuzzLog{}
	if l.signer, err = note.NewSigner(skey); err != nil {
		tb.Fatal(err)
	}
	if l.vkey, err = note.NewVerifier(vkey); err != nil {
		tb.Fatal(err)
	}
	for i := range int64(21) {
		hs, err := tlog.StoredHashes(i, fmt.Appendf(nil, "leaf %d", i), l)
		if err != nil {
			tb.Fatal(err)
		}
		l.hashes = append(l.hashes, hs...)
	}
	return l
}

func (l *fuzzLog) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		out[i] = l.hashes[x]
	}
	return out, nil
}

func (l *fuzzLog) root(tb testing.TB, n int64) tlog.Hash {
	r, err := tlog.TreeHash(n, l)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// request is the add-checkpoint body from old to the checkpoint of size n.
func (l *fuzzLog) request(tb testing.TB, old, n int64) []byte {
	tb.Helper()
	var proof []tlog.Hash
	if old > 0 && old < n {
		var err error
		if proof, err = tlog.ProveConsistency(old, n, l); err != nil {
			tb.Fatal(err)
		}
	}
	msg, err := tlog.SignCheckpoint(tlog.Checkpoint{Origin: "truce.test/log", Size: n, Root: l.root(tb, n)}, l.signer)
	if err != nil {
		tb.Fatal(err)
	}
	return formatRequest(old, tlog.Slices(proof), msg)
}

// fuzzWitnessKey is a cosigner key made from a fixed seed, so that a
// failing input replays with the same key.
func fuzzWitnessKey(tb testing.TB) *Signer {
	tb.Helper()
	seed := bytes.Repeat([]byte{5}, ed25519.SeedSize)
	pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
	const name = "witness.test/w1"
	s, err := NewSigner(fmt.Sprintf("PRIVATE+KEY+%s+%08x+%s", name, keyHash(name, pub),
		base64.StdEncoding.EncodeToString(append([]byte{algCosignatureV1}, seed...))))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// formatRequest writes an add-checkpoint body as c2sp.org/tlog-witness
// lays it out.
func formatRequest(old int64, proof [][]byte, msg []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "old %d\n", old)
	for _, h := range proof {
		b.WriteString(base64.StdEncoding.EncodeToString(h) + "\n")
	}
	b.WriteString("\n")
	b.Write(msg)
	return b.Bytes()
}

// FuzzParseAddCheckpoint checks the add-checkpoint request parser — a
// request that parses is written back byte for byte, its proof holds at
// most 63 hashes of 32 bytes, a refusal is a 400 — and then sends the
// request to a witness that has cosigned the log at size 8: it answers
// with a cosignature that verifies, only for a checkpoint consistent with
// size 8, or refuses with one of the specification's statuses.
func FuzzParseAddCheckpoint(f *testing.F) {
	l := newFuzzLog(f)
	for _, r := range [][2]int64{{8, 8}, {8, 13}, {8, 21}, {0, 13}, {13, 21}, {8, 5}, {1, 8}} {
		f.Add(l.request(f, r[0], r[1]))
	}
	f.Add([]byte("old 8\n\n"))
	f.Add([]byte("old 08\n\n"))
	f.Add([]byte("old 8\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"))
	if data, err := os.ReadFile("../../shared/specs/c2sp/tlog-witness.md"); err == nil {
		if _, block, ok := bytes.Cut(data, []byte("```\n")); ok {
			if block, _, ok = bytes.Cut(block, []byte("```")); ok {
				f.Add([]byte("old 8\n" + string(block)))
			}
		}
	}

	signer := fuzzWitnessKey(f)
	// primed is a witness directory that has cosigned size 8; each input
	// meets a copy of it once the one before has changed the state.
	primed := f.TempDir()
	w, err := Open(primed, signer, l.vkey)
	if err != nil {
		f.Fatal(err)
	}
	if _, err := w.AddCheckpoint(l.request(f, 0, 8)); err != nil {
		f.Fatal(err)
	}
	w.Close()
	history, err := os.ReadFile(filepath.Join(primed, HistoryFile))
	if err != nil {
		f.Fatal(err)
	}
	root8 := l.root(f, 8)
	var cur *Witness
	fresh := func(t *testing.T) *Witness {
		if cur != nil && cur.latest.Size == 8 {
			return cur
		}
		if cur != nil {
			cur.Close()
		}
		dir, err := os.MkdirTemp(filepath.Dir(primed), "w")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, HistoryFile), history, 0o600); err != nil {
			t.Fatal(err)
		}
		if cur, err = Open(dir, signer, l.vkey); err != nil {
			t.Fatal(err)
		}
		return cur
	}

	f.Fuzz(func(t *testing.T, body []byte) {
		req, e := parseRequest(body)
		if e != nil {
			if req != nil || e.Status != 400 || e.Message == "" {
				t.Fatalf("parseRequest(%q) = %v, %+v: want only a 400 with a message", body, req, e)
			}
		} else {
			if len(req.proof) > maxProofLines {
				t.Fatalf("parseRequest(%q): %d proof hashes", body, len(req.proof))
			}
			for _, h := range req.proof {
				if len(h) != 32 {
					t.Fatalf("parseRequest(%q): a proof hash of %d bytes", body, len(h))
				}
			}
			if again := formatRequest(req.old, req.proof, req.msg); !bytes.Equal(again, body) {
				t.Fatalf("parseRequest(%q) writes back as %q", body, again)
			}
		}

		w := fresh(t)
		line, err := w.AddCheckpoint(body)
		if err != nil {
			var we *Error
			if !errors.As(err, &we) {
				t.Fatalf("AddCheckpoint(%q) = %v, not a refusal", body, err)
			}
			switch we.Status {
			case 400, 403, 404, 409, 413, 422:
			default:
				t.Fatalf("AddCheckpoint(%q) refused with status %d: %v", body, we.Status, err)
			}
			if len(body) > maxBodyBytes && we.Status != 413 || len(body) <= maxBodyBytes && e != nil && we.Status != 400 {
				t.Fatalf("AddCheckpoint(%q) = %v, but parseRequest said %v", body, err, e)
			}
			return
		}
		if e != nil {
			t.Fatalf("AddCheckpoint(%q) cosigned what parseRequest refuses: %v", body, e)
		}
		n, err := note.Open(req.msg, note.VerifierList(l.vkey))
		if err != nil {
			t.Fatalf("AddCheckpoint(%q) cosigned a note that does not open: %v", body, err)
		}
		c, err := tlog.ParseCheckpoint(n.Text)
		if err != nil {
			t.Fatal(err)
		}
		if c.Size < 8 || c.Size == 8 && c.Root != root8 {
			t.Fatalf("AddCheckpoint(%q) cosigned size %d root %x after size 8 root %x", body, c.Size, c.Root, root8)
		}
		if c.Size > 8 && tlog.VerifyConsistency(8, uint64(c.Size), root8[:], c.Root[:], req.proof) != nil {
			t.Fatalf("AddCheckpoint(%q) cosigned a tree the proof does not show consistent", body)
		}
		cosigned := append([]byte(n.Text+"\n"), line...)
		if _, err := note.Open(cosigned, note.VerifierList(signer.Verifier())); err != nil {
			t.Fatalf("AddCheckpoint(%q) = %q, which does not verify: %v", body, line, err)
		}
	})
}

// FuzzCosignatureLine checks the reading of a witness's cosignature line,
// as the log receives it: a line Timestamp accepts is the one encoding
// of its bytes ("— name base64(hash || timestamp || signature)"), and a
// cosignature verifies only in that encoding, for the text it was made
// for, at the time it says.
func FuzzCosignatureLine(f *testing.F) {
	l := newFuzzLog(f)
	signer := fuzzWitnessKey(f)
	at := time.Date(2017, 1, 24, 12, 0, 0, 0, time.UTC)
	signer.Now = func() time.Time { return at }
	v := signer.Verifier()
	text := tlog.Checkpoint{Origin: "truce.test/log", Size: 8, Root: l.root(f, 8)}.Text()
	cosigned, err := note.Sign(&note.Note{Text: text}, l.signer, signer)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(ownLine(cosigned, v.Name())))
	f.Add("— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n")
	f.Fuzz(func(t *testing.T, line string) {
		ts, ok := v.Timestamp(line)
		var sig []byte
		if rest, found := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "— "+v.Name()+" "); found {
			sig, _ = base64.StdEncoding.DecodeString(rest) // leniently, as note.Open does
		}
		if ok {
			b := binary.BigEndian.AppendUint32(nil, v.KeyHash())
			b = binary.BigEndian.AppendUint64(b, uint64(ts.Unix()))
			b = append(b, sig[12:]...)
			if want := "— " + v.Name() + " " + base64.StdEncoding.EncodeToString(b); strings.TrimSuffix(line, "\n") != want {
				t.Fatalf("Timestamp(%q) = %v, but the line's one encoding is %q", line, ts, want)
			}
		}
		// note.Open calls Verify only for a line of the key's name and hash.
		if len(sig) < 4 || binary.BigEndian.Uint32(sig) != v.KeyHash() || !v.Verify([]byte(text), sig[4:]) {
			return
		}
		if !ok {
			// Only a second encoding of the bytes (padding bits set) may
			// verify and still be refused: the log must not store it.
			rest := strings.TrimPrefix(strings.TrimSuffix(line, "\n"), "— "+v.Name()+" ")
			if _, err := base64.StdEncoding.Strict().DecodeString(rest); err == nil {
				t.Fatalf("cosignature %q verifies, but Timestamp refuses the line", line)
			}
			return
		}
		signer.Now = func() time.Time { return ts }
		again, err := note.Sign(&note.Note{Text: text}, signer)
		signer.Now = func() time.Time { return at }
		if err != nil {
			t.Fatal(err)
		}
		if got := string(ownLine(again, v.Name())); strings.TrimSuffix(got, "\n") != strings.TrimSuffix(line, "\n") {
			t.Fatalf("cosignature %q verifies, but signing at %v gives %q", line, ts, got)
		}
	})
}
