package workflow

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	tlog "truce/log"
)

// FuzzParseSignedCommand checks the text of signed submissions and the
// opening of their notes with a member's key: a text that parses is the
// text Text writes for what it parsed, with a body in canonical form, so
// that one command has one signed text; a note that opens carries every
// signature in canonical base64, as log checkpoints and bulletins do.
func FuzzParseSignedCommand(f *testing.F) {
	skey, vkey, err := note.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{3}, 64)), "mem_bbbbbbbbbbbbbbbb")
	if err != nil {
		f.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		f.Fatal(err)
	}
	for _, c := range []*SignedCommand{
		{Origin: "truce.test/log", Member: "mem_bbbbbbbbbbbbbbbb", Method: "POST", Path: "/api/v1/reports",
			IdempotencyKey: "k1", Body: []byte(`{"description":"x","lat":35.1,"lon":36.2}`)},
		{Origin: "truce.test/log", Member: "mem_bbbbbbbbbbbbbbbb", Method: "POST", Path: "/api/v1/reports/rpt_dddddddddddddddd/assessments",
			Body: []byte(`{"reason":"\u2028","verdict":"dispute"}`)},
	} {
		f.Add(c.Text())
		msg, err := SignCommand(c, signer)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(msg))
	}
	f.Fuzz(func(t *testing.T, data string) {
		if c, err := ParseSignedCommand(data); err == nil {
			if got := c.Text(); got != data {
				t.Fatalf("ParseSignedCommand(%q).Text() = %q", data, got)
			}
			if canon, err := tlog.Canonicalize(c.Body); err != nil || !bytes.Equal(canon, c.Body) {
				t.Fatalf("ParseSignedCommand(%q): body %q is not canonical", data, c.Body)
			}
		} else if c != nil {
			t.Fatalf("ParseSignedCommand(%q) failed (%v) but returned a command", data, err)
		}

		c, err := openCommand([]byte(data), vkey)
		if err != nil {
			return
		}
		verifier, err := note.NewVerifier(vkey)
		if err != nil {
			t.Fatal(err)
		}
		n, err := note.Open([]byte(data), note.VerifierList(verifier))
		if err != nil {
			t.Fatalf("openCommand(%q) accepted a note that does not open: %v", data, err)
		}
		if c.Text() != n.Text {
			t.Fatalf("openCommand(%q) = %q, want %q", data, c.Text(), n.Text)
		}
		for _, sig := range n.Sigs {
			b, err := base64.StdEncoding.Strict().DecodeString(sig.Base64)
			if err != nil || base64.StdEncoding.EncodeToString(b) != sig.Base64 {
				t.Fatalf("openCommand(%q) accepted signature %q, not canonical base64", data, sig.Base64)
			}
		}
		again, err := note.Sign(&note.Note{Text: n.Text}, signer)
		if err != nil {
			t.Fatal(err)
		}
		if line := again[len(n.Text)+1:]; !strings.Contains(data, string(line)) {
			t.Fatalf("openCommand(%q) accepted a signature line other than %q", data, line)
		}
	})
}
