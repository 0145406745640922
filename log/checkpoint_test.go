package log_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"truce"
	tlog "truce/log"
)

// The example of C2SP signed-note, section "Example".
const (
	exampleVKey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
	exampleText = "This is an example message.\n"
	exampleNote = exampleText + "\n" +
		"— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
)

// The example of C2SP tlog-checkpoint, whose key the specification does
// not give.
const (
	sofaText = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
	sofaNote = sofaText + "\n" +
		"— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
)

// A key pair for tests only, made once with GenerateKey("truce.test/log"),
// so that signatures, which Ed25519 makes deterministically, are fixed.
const (
	testSKey = "PRIVATE+KEY+truce.test/log+09ee1943+AWX7JpaD4aG1L2F786w0Bcl3PmIhCrI0I/LMBr0lGnR2"
	testVKey = "truce.test/log+09ee1943+AbJvWazCtsGgVjzY+Jii+AkezNsyYGjXawEJAs/X6Vhd"
)

func TestSignedNoteExample(t *testing.T) {
	v, err := tlog.NewVerifier(exampleVKey + "\n") // as read from a file
	if err != nil {
		t.Fatal(err)
	}
	if v.Name() != "example.com/foo" || v.KeyHash() != 0x530d903a {
		t.Errorf("NewVerifier(%q) = %s+%08x, want example.com/foo+530d903a", exampleVKey, v.Name(), v.KeyHash())
	}
	n, err := note.Open([]byte(exampleNote), note.VerifierList(v))
	if err != nil {
		t.Fatalf("note.Open(example): %v", err)
	}
	if n.Text != exampleText {
		t.Errorf("note.Open(example).Text = %q, want %q", n.Text, exampleText)
	}
	if len(n.Sigs) != 1 || n.Sigs[0].Name != "example.com/foo" || n.Sigs[0].Hash != 0x530d903a {
		t.Errorf("note.Open(example).Sigs = %+v, want one by example.com/foo+530d903a", n.Sigs)
	}

	for _, bad := range []string{
		strings.Replace(exampleNote, "example message", "example massage", 1),
		strings.Replace(exampleNote, "message.\n", "message!\n", 1),
		strings.Replace(exampleNote, "This", "this", 1),
		"\n" + exampleNote,
		strings.Replace(exampleNote, "Uw2QOkn8", "Uw2QOkn9", 1),
		strings.Replace(exampleNote, "IneyaQM=", "IneyaQA=", 1),
		strings.Replace(exampleNote, "— example.com/foo", "— example.com/bar", 1),
		strings.Replace(exampleNote, "—", "-", 1),
		strings.TrimSuffix(exampleNote, "\n"),
	} {
		if _, err := note.Open([]byte(bad), note.VerifierList(v)); err == nil {
			t.Errorf("note.Open(%q) succeeded, want error", bad)
		}
	}
}

func TestCheckpointExample(t *testing.T) {
	c, err := tlog.ParseCheckpoint(sofaText)
	if err != nil {
		t.Fatal(err)
	}
	root, _ := base64.StdEncoding.DecodeString("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
	want := tlog.Checkpoint{Origin: "example.com/behind-the-sofa", Size: 20852163, Root: tlog.Hash(root)}
	if c != want {
		t.Errorf("ParseCheckpoint(example) = %+v, want %+v", c, want)
	}
	if got := c.Text(); got != sofaText {
		t.Errorf("ParseCheckpoint(example).Text() = %q, want %q", got, sofaText)
	}

	// Without its key, the example note is well formed but unverified.
	_, err = note.Open([]byte(sofaNote), note.VerifierList())
	var unverified *note.UnverifiedNoteError
	if !errors.As(err, &unverified) {
		t.Fatalf("note.Open(example checkpoint, no keys) = %v, want UnverifiedNoteError", err)
	}
	if unverified.Note.Text != sofaText {
		t.Errorf("unverified note text = %q, want %q", unverified.Note.Text, sofaText)
	}
}

// signedTree returns a log of 13 entries, its checkpoint signed with the
// fixed test key, and that key's verifier.
func signedTree(t *testing.T) (tlog.Checkpoint, []byte, note.Verifier) {
	t.Helper()
	tree := &memTree{}
	at := time.Date(2017, 1, 5, 12, 0, 0, 0, time.UTC)
	for i := range 13 {
		e, err := tlog.NewEntry(int64(i), truce.EntryAssessmentMade, at.Add(time.Duration(i)*time.Minute), guarantor,
			truce.AssessmentMade{Report: "rpt_dddddddddddddddd", Verdict: truce.Verdicts[i%3]})
		if err != nil {
			t.Fatal(err)
		}
		b, err := tlog.EncodeEntry(e)
		if err != nil {
			t.Fatal(err)
		}
		tree.append(t, b)
	}
	root, err := tlog.TreeHash(13, tree.reader(13))
	if err != nil {
		t.Fatal(err)
	}
	c := tlog.Checkpoint{Origin: "truce.test/log", Size: 13, Root: root}
	signer, err := tlog.NewSigner(testSKey)
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := tlog.NewVerifier(testVKey)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := tlog.SignCheckpoint(c, signer)
	if err != nil {
		t.Fatal(err)
	}
	return c, msg, verifier
}

func TestSignCheckpoint(t *testing.T) {
	skey, vkey, err := tlog.GenerateKey("truce.test/log")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := tlog.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := tlog.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	c, _, _ := signedTree(t)
	msg, err := tlog.SignCheckpoint(c, signer)
	if err != nil {
		t.Fatal(err)
	}
	got, n, err := tlog.OpenCheckpoint(msg, verifier)
	if err != nil {
		t.Fatalf("OpenCheckpoint(SignCheckpoint(c)): %v", err)
	}
	if got != c {
		t.Errorf("OpenCheckpoint(SignCheckpoint(c)) = %+v, want %+v", got, c)
	}
	if n.Text != c.Text() || len(n.Sigs) != 1 || len(n.UnverifiedSigs) != 0 {
		t.Errorf("OpenCheckpoint note = %+v, want the checkpoint text with one signature", n)
	}
	checkMangled(t, msg, verifier)

	// The fixed key's signature is fixed too.
	_, msg, verifier = signedTree(t)
	if _, _, err := tlog.OpenCheckpoint(msg, verifier); err != nil {
		t.Fatalf("OpenCheckpoint(signedTree): %v", err)
	}
	checkMangled(t, msg, verifier)
}

// checkMangled checks that OpenCheckpoint rejects every truncation and
// every single-bit change of msg.
func checkMangled(t *testing.T, msg []byte, verifier note.Verifier) {
	t.Helper()
	for i := range len(msg) {
		if c, _, err := tlog.OpenCheckpoint(msg[:i], verifier); err == nil {
			t.Errorf("OpenCheckpoint(msg[:%d]) = %+v, want error", i, c)
		}
	}
	b := bytes.Clone(msg)
	for i := range b {
		for bit := range 8 {
			b[i] ^= 1 << bit
			if c, _, err := tlog.OpenCheckpoint(b, verifier); err == nil {
				t.Errorf("OpenCheckpoint(msg with bit %d of byte %d flipped: %q) = %+v, want error", bit, i, b, c)
			}
			b[i] ^= 1 << bit
		}
	}
}

// TestOpenCheckpointNonCanonicalBase64 checks that a signature whose base64
// has non-zero padding bits is refused, though it decodes to the same bytes:
// a signed checkpoint has one encoding, as its root hash does.
func TestOpenCheckpointNonCanonicalBase64(t *testing.T) {
	_, msg, verifier := signedTree(t)
	s := string(msg)
	// The signature line is "— name base64\n"; 4+64 bytes of base64 end in
	// one '=', after a character carrying two padding bits.
	eq := strings.LastIndex(s, "=\n")
	if eq < 0 || s[eq-1] == '=' {
		t.Fatalf("signature of %q does not end in a single '='", s)
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	v := strings.IndexByte(alphabet, s[eq-1])
	for pad := 1; pad < 4; pad++ {
		bad := s[:eq-1] + string(alphabet[v|pad]) + s[eq:]
		if c, _, err := tlog.OpenCheckpoint([]byte(bad), verifier); err == nil {
			t.Errorf("OpenCheckpoint(%q) = %+v, want error", bad, c)
		}
	}
}

func TestOpenCheckpointErrors(t *testing.T) {
	c, msg, verifier := signedTree(t)
	signer, err := tlog.NewSigner(testSKey)
	if err != nil {
		t.Fatal(err)
	}

	// Another key of the same name, and a key of another name.
	for _, name := range []string{"truce.test/log", "truce.test/other"} {
		_, vkey, err := tlog.GenerateKey(name)
		if err != nil {
			t.Fatal(err)
		}
		other, err := tlog.NewVerifier(vkey)
		if err != nil {
			t.Fatal(err)
		}
		if c, _, err := tlog.OpenCheckpoint(msg, other); err == nil {
			t.Errorf("OpenCheckpoint(msg, %s) = %+v, want error", vkey, c)
		}
	}

	// A note signed by the log's key whose text is not a checkpoint, or is
	// the checkpoint of another origin.
	for _, text := range []string{
		"hello\n",
		"truce.test/log\n13\n",
		strings.Replace(c.Text(), "truce.test/log", "truce.test/elsewhere", 1),
		"truce.test/log\n013\n" + strings.SplitN(c.Text(), "\n", 3)[2],
	} {
		m, err := note.Sign(&note.Note{Text: text}, signer)
		if err != nil {
			t.Fatal(err)
		}
		if c, _, err := tlog.OpenCheckpoint(m, verifier); err == nil {
			t.Errorf("OpenCheckpoint(%q) = %+v, want error", m, c)
		}
	}

	// SignCheckpoint refuses a key not named for the origin.
	skey, _, err := tlog.GenerateKey("truce.test/other")
	if err != nil {
		t.Fatal(err)
	}
	other, err := tlog.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	if m, err := tlog.SignCheckpoint(c, other); err == nil {
		t.Errorf("SignCheckpoint(origin %s, key %s) = %q, want error", c.Origin, other.Name(), m)
	}
}

// TestOpenCheckpointCosigned checks that a witness's cosignature, by a key
// the log does not know, is kept and does not stop the checkpoint opening.
func TestOpenCheckpointCosigned(t *testing.T) {
	c, msg, verifier := signedTree(t)
	skey, _, err := tlog.GenerateKey("truce.test/witness")
	if err != nil {
		t.Fatal(err)
	}
	witness, err := tlog.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	wmsg, err := note.Sign(&note.Note{Text: c.Text()}, witness)
	if err != nil {
		t.Fatal(err)
	}
	line := wmsg[len(c.Text())+1:]
	text, sigs := msg[:len(c.Text())+1], msg[len(c.Text())+1:]
	for _, m := range [][]byte{
		append(bytes.Clone(msg), line...),
		append(append(bytes.Clone(text), line...), sigs...),
	} {
		got, n, err := tlog.OpenCheckpoint(m, verifier)
		if err != nil {
			t.Errorf("OpenCheckpoint(%q): %v", m, err)
			continue
		}
		if got != c {
			t.Errorf("OpenCheckpoint(%q) = %+v, want %+v", m, got, c)
		}
		if len(n.Sigs) != 1 || len(n.UnverifiedSigs) != 1 || n.UnverifiedSigs[0].Name != "truce.test/witness" {
			t.Errorf("OpenCheckpoint(%q) signatures = %+v and unverified %+v, want one of each", m, n.Sigs, n.UnverifiedSigs)
		}
	}
}

func TestParseCheckpoint(t *testing.T) {
	const (
		root   = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="
		origin = "example.com/behind-the-sofa"
	)
	rootHash, _ := base64.StdEncoding.DecodeString(root)
	for _, tt := range []struct {
		text string
		size int64 // -1: must fail
	}{
		{origin + "\n20852163\n" + root + "\n", 20852163},
		{origin + "\n0\n" + root + "\n", 0},
		{origin + "\n9223372036854775807\n" + root + "\n", 9223372036854775807},
		{origin + "\n1\n" + root + "\nextension\n", 1},
		{origin + "\n1\n" + root + "\nfirst extension\nsecond extension\n", 1},

		{"", -1},
		{"\n", -1},
		{origin + "\n1\n" + root, -1},          // no final newline
		{origin + "\n1\n" + root + "\r\n", -1}, // CR LF
		{origin + "\n1\n", -1},                 // two lines
		{origin + "\n", -1},
		{"\n1\n" + root + "\n", -1},                            // empty origin
		{origin + "\n\n" + root + "\n", -1},                    // empty size
		{origin + "\n1\n\n", -1},                               // empty root
		{origin + "\n1\n" + root + "\n\n", -1},                 // empty extension line
		{origin + "\n1\n\n" + root + "\n", -1},                 // empty line before the root
		{origin + "\n01\n" + root + "\n", -1},                  // leading zero
		{origin + "\n00\n" + root + "\n", -1},                  // leading zero
		{origin + "\n-1\n" + root + "\n", -1},                  // negative
		{origin + "\n-0\n" + root + "\n", -1},                  // negative zero
		{origin + "\n+1\n" + root + "\n", -1},                  // plus sign
		{origin + "\n 1\n" + root + "\n", -1},                  // space
		{origin + "\n1 \n" + root + "\n", -1},                  // space
		{origin + "\n1.0\n" + root + "\n", -1},                 // fraction
		{origin + "\n0x10\n" + root + "\n", -1},                // hexadecimal
		{origin + "\n1e3\n" + root + "\n", -1},                 // exponent
		{origin + "\n9223372036854775808\n" + root + "\n", -1}, // overflow
		{origin + "\n1\nnot base64!\n", -1},
		{origin + "\n1\n" + strings.TrimSuffix(root, "=") + "\n", -1},                    // no padding
		{origin + "\n1\n" + strings.ReplaceAll(root, "/", "_") + "\n", -1},               // URL alphabet
		{origin + "\n1\n" + root[:len(root)-2] + "J=\n", -1},                             // non-zero padding bits
		{origin + "\n1\n" + base64.StdEncoding.EncodeToString(rootHash[:31]) + "\n", -1}, // 31 bytes
		{origin + "\n1\n" + base64.StdEncoding.EncodeToString(append(rootHash, 0)) + "\n", -1}, // 33 bytes
		{origin + "\n1\n" + base64.StdEncoding.EncodeToString(make([]byte, 64)) + "\n", -1},    // 64 bytes
		{origin + "\n1\n " + root + "\n", -1},
	} {
		c, err := tlog.ParseCheckpoint(tt.text)
		if tt.size < 0 {
			if err == nil {
				t.Errorf("ParseCheckpoint(%q) = %+v, want error", tt.text, c)
			}
			continue
		}
		want := tlog.Checkpoint{Origin: origin, Size: tt.size, Root: tlog.Hash(rootHash)}
		if err != nil || c != want {
			t.Errorf("ParseCheckpoint(%q) = %+v, %v, want %+v", tt.text, c, err, want)
		}
	}
}

func TestValidOrigin(t *testing.T) {
	for _, tt := range []struct {
		origin string
		ok     bool
	}{
		{"example.com/log", true},
		{"truce.test/log", true},
		{"x", true},
		{"sum.golang.org", true},
		{"مراقبة.example/log", true},
		{strings.Repeat("a", 200), true},
		{strings.Repeat("a", 201), false},
		{strings.Repeat("é", 100), true}, // 200 bytes
		{strings.Repeat("é", 101), false},
		{"", false},
		{"a b", false},
		{" a", false},
		{"a\tb", false},
		{"a\nb", false},
		{"a\u00a0b", false}, // no-break space
		{"a\u3000b", false}, // ideographic space
		{"a+b", false},
		{"+", false},
		{"a\x00b", false},
		{"a\x7fb", false},
		{"a\u200bb", false}, // zero-width space, a format character
	} {
		if got := tlog.ValidOrigin(tt.origin); got != tt.ok {
			t.Errorf("ValidOrigin(%q) = %v, want %v", tt.origin, got, tt.ok)
		}
		_, _, err := tlog.GenerateKey(tt.origin)
		if got := err == nil; got != tt.ok {
			t.Errorf("GenerateKey(%q) error = %v, want error: %v", tt.origin, err, !tt.ok)
		}
	}
}

func TestNewSignerVerifierErrors(t *testing.T) {
	for _, k := range []string{"", "truce.test/log", testVKey, testSKey[:len(testSKey)-1]} {
		if _, err := tlog.NewSigner(k); err == nil {
			t.Errorf("NewSigner(%q) succeeded, want error", k)
		}
	}
	for _, k := range []string{"", "truce.test/log", testSKey, testVKey[:len(testVKey)-1]} {
		if _, err := tlog.NewVerifier(k); err == nil {
			t.Errorf("NewVerifier(%q) succeeded, want error", k)
		}
	}
	if _, err := tlog.NewSigner("  " + testSKey + "\n"); err != nil {
		t.Errorf("NewSigner(key with spaces around): %v", err)
	}
}

func ExampleCheckpoint_Text() {
	root, _ := base64.StdEncoding.DecodeString("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
	c := tlog.Checkpoint{Origin: "example.com/behind-the-sofa", Size: 20852163, Root: tlog.Hash(root)}
	fmt.Print(c.Text())
	// Output:
	// example.com/behind-the-sofa
	// 20852163
	// CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=
}

func ExampleSignCheckpoint() {
	signer, err := tlog.NewSigner(testSKey)
	if err != nil {
		panic(err)
	}
	c := tlog.Checkpoint{Origin: "truce.test/log", Size: 1, Root: tlog.LeafHash([]byte("truce-entry v1\n{}"))}
	msg, err := tlog.SignCheckpoint(c, signer)
	if err != nil {
		panic(err)
	}
	fmt.Print(string(msg))
	// Output:
	// truce.test/log
	// 1
	// Gp3JHCEMuK4CZ5CLc2AvjfdIAdItW1C7TCt+q2TWOeo=
	//
	// — truce.test/log Ce4ZQ6mjdNnjojraE0EoiVnCiPChYSmUQGAfeXHFbh3RmXBZXxuiB0PTuGVKlVmqJjZ2iQ5vppJ05Ra1vOSajoTpCQU=
}
