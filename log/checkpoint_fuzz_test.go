package log_test

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	tlog "truce/log"
)

// specsDir holds the C2SP specifications, beside the checkout.
const specsDir = "../../shared/specs/c2sp"

// specBlocks returns the fenced code blocks of the C2SP specifications,
// each line ending in a newline, as seeds; none when the specifications
// are not at hand.
func specBlocks(tb testing.TB) []string {
	tb.Helper()
	files, _ := filepath.Glob(filepath.Join(specsDir, "*.md"))
	var blocks []string
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			tb.Fatal(err)
		}
		var b strings.Builder
		in := false
		for line := range strings.Lines(string(data)) {
			if strings.HasPrefix(line, "```") {
				if in {
					blocks = append(blocks, b.String())
					b.Reset()
				}
				in = !in
				continue
			}
			if in {
				b.WriteString(strings.TrimSuffix(line, "\n") + "\n")
			}
		}
	}
	return blocks
}

// checkpointSeeds returns checkpoint note texts: the specification's
// example, texts written by Text, and texts with extension lines.
func checkpointSeeds(tb testing.TB) []string {
	seeds := []string{
		sofaText,
		tlog.Checkpoint{Origin: "truce.test/log", Size: 0, Root: tlog.LeafHash(nil)}.Text(),
		tlog.Checkpoint{Origin: "truce.test/log", Size: 13, Root: tlog.LeafHash([]byte("13"))}.Text(),
		sofaText + "extension line\n",
		"example.com/behind-the-sofa\n020852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
		"example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n",
	}
	for _, b := range specBlocks(tb) {
		text, _, _ := strings.Cut(b, "\n\n")
		seeds = append(seeds, b, text+"\n")
	}
	return seeds
}

// FuzzParseCheckpoint checks that a checkpoint that parses writes back as
// the same text (up to the extension lines the parser ignores), and that
// parsing what Text writes gives the same checkpoint.
func FuzzParseCheckpoint(f *testing.F) {
	for _, s := range checkpointSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		c, err := tlog.ParseCheckpoint(text)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "checkpoint: ") {
				t.Fatalf("ParseCheckpoint(%q) error %q does not say what it parsed", text, err)
			}
			return
		}
		if c.Origin == "" || c.Size < 0 {
			t.Fatalf("ParseCheckpoint(%q) = %+v: empty origin or negative size", text, c)
		}
		body := c.Text()
		if !strings.HasPrefix(text, body) {
			t.Fatalf("ParseCheckpoint(%q).Text() = %q, not a prefix of the input", text, body)
		}
		if rest := text[len(body):]; rest != "" && (strings.Contains(rest, "\n\n") || !strings.HasSuffix(rest, "\n")) {
			t.Fatalf("ParseCheckpoint(%q) accepted extension lines %q with an empty or unterminated line", text, rest)
		}
		again, err := tlog.ParseCheckpoint(body)
		if err != nil || again != c {
			t.Fatalf("ParseCheckpoint(%q) = %+v, %v; want %+v", body, again, err, c)
		}
	})
}

// FuzzOpenCheckpoint checks what OpenCheckpoint accepts of a signed note:
// the log's signature in its one canonical encoding, which signing the
// note's text again reproduces byte for byte, every signature in canonical
// base64, and a text that re-serialises to itself. Refusals are errors,
// never panics.
func FuzzOpenCheckpoint(f *testing.F) {
	signer, err := tlog.NewSigner(testSKey)
	if err != nil {
		f.Fatal(err)
	}
	verifier, err := tlog.NewVerifier(testVKey)
	if err != nil {
		f.Fatal(err)
	}
	// A witness's key, made from a fixed seed, for cosigned seeds.
	cskey, _, err := note.GenerateKey(bytes.NewReader(make([]byte, 64)), "witness.test/w1")
	if err != nil {
		f.Fatal(err)
	}
	cosigner, err := note.NewSigner(cskey)
	if err != nil {
		f.Fatal(err)
	}
	for _, size := range []int64{0, 1, 13, 1 << 40} {
		c := tlog.Checkpoint{Origin: signer.Name(), Size: size, Root: tlog.LeafHash([]byte{byte(size)})}
		msg, err := tlog.SignCheckpoint(c, signer)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(msg)
		cosigned, err := note.Sign(&note.Note{Text: c.Text()}, signer, cosigner)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(cosigned)
		ext, err := note.Sign(&note.Note{Text: c.Text() + "ext\n"}, signer)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(ext)
	}
	f.Add([]byte(sofaNote))
	f.Add([]byte(exampleNote))
	for _, b := range specBlocks(f) {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		c, n, err := tlog.OpenCheckpoint(msg, verifier)
		if err != nil {
			if n != nil {
				t.Fatalf("OpenCheckpoint(%q) failed (%v) but returned a note", msg, err)
			}
			return
		}
		if c.Origin != verifier.Name() {
			t.Fatalf("OpenCheckpoint(%q) origin %q, want %q", msg, c.Origin, verifier.Name())
		}
		if !strings.HasPrefix(n.Text, c.Text()) {
			t.Fatalf("OpenCheckpoint(%q): text %q does not start with %q", msg, n.Text, c.Text())
		}
		for _, s := range n.Sigs {
			sig, err := base64.StdEncoding.Strict().DecodeString(s.Base64)
			if err != nil || base64.StdEncoding.EncodeToString(sig) != s.Base64 {
				t.Fatalf("OpenCheckpoint(%q) accepted signature %q, not canonical base64", msg, s.Base64)
			}
		}
		// Ed25519 is deterministic: signing the text again gives the one
		// signature line the log can have made for it.
		again, err := note.Sign(&note.Note{Text: n.Text}, signer)
		if err != nil {
			t.Fatal(err)
		}
		line := again[len(n.Text)+1:]
		if !bytes.Contains(msg, line) {
			t.Fatalf("OpenCheckpoint(%q) accepted a signature line other than %q", msg, line)
		}
	})
}
