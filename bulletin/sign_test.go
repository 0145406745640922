package bulletin_test

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"truce/bulletin"
	"truce/i18n"
	tlog "truce/log"
)

func TestSignAndOpen(t *testing.T) {
	signer, verifier := testSigner(t)
	b := mustSigned(t, fixture(t), signer)
	s, err := bulletin.OpenSignature(b.Signature, verifier)
	if err != nil {
		t.Fatalf("OpenSignature: %v", err)
	}
	d, _ := b.Digest()
	if s.Origin != origin || s.Date != "2017-01-05" || s.TreeSize != 42 || s.Lang != i18n.EN || s.Digest != d {
		t.Errorf("OpenSignature = %+v, want the bulletin's origin, date, size, language and digest %x", s, d)
	}
	// The digest leaves the signature out: signing again signs the same.
	again := *b
	if err := bulletin.Sign(&again, signer); err != nil || again.Signature != b.Signature {
		t.Errorf("signing a signed bulletin again = %v, and a different signature", err)
	}
	// Any change to the bulletin changes its digest.
	changed := *b
	changed.Total.Reports++
	if d2, _ := changed.Digest(); d2 == d {
		t.Error("a changed count left the digest unchanged")
	}
}

// TestSignatureMangled: every truncation and every bit flip of a
// bulletin's signature note is refused.
func TestSignatureMangled(t *testing.T) {
	signer, verifier := testSigner(t)
	msg := mustSigned(t, fixture(t), signer).Signature
	for i := range len(msg) {
		if s, err := bulletin.OpenSignature(msg[:i], verifier); err == nil {
			t.Errorf("OpenSignature of the first %d bytes = %+v, nil; want an error", i, s)
		}
		for bit := range 8 {
			b := []byte(msg)
			b[i] ^= 1 << bit
			if s, err := bulletin.OpenSignature(string(b), verifier); err == nil {
				t.Errorf("OpenSignature with bit %d of byte %d flipped = %+v, nil; want an error", bit, i, s)
			}
		}
	}
}

// TestSignatureNotACheckpoint: a bulletin's signature cannot pass for a
// checkpoint of the log, nor a checkpoint for a bulletin's signature,
// though the same key signs both.
func TestSignatureNotACheckpoint(t *testing.T) {
	signer, verifier := testSigner(t)
	in := fixture(t)
	b := mustSigned(t, in, signer)
	if c, _, err := tlog.OpenCheckpoint([]byte(b.Signature), verifier); err == nil {
		t.Errorf("OpenCheckpoint of a bulletin's signature = %+v, nil; want an error", c)
	}
	if s, err := bulletin.OpenSignature(in.Checkpoint, verifier); err == nil {
		t.Errorf("OpenSignature of a checkpoint = %+v, nil; want an error", s)
	}
}

// TestSignedTextStrict: the signed text has one form; a text that a
// holder of the key signed but that is not in it is refused.
func TestSignedTextStrict(t *testing.T) {
	signer, verifier := testSigner(t)
	good := bulletin.Signed{Origin: origin, Date: "2017-01-05", TreeSize: 42, Lang: i18n.AR}.Text()
	for _, c := range []struct{ name, text string }{
		{"good", good},
		{"size with a leading zero", strings.Replace(good, "\n42\n", "\n042\n", 1)},
		{"size zero", strings.Replace(good, "\n42\n", "\n0\n", 1)},
		{"unknown language", strings.Replace(good, "\nar\n", "\nde\n", 1)},
		{"date of another form", strings.Replace(good, "2017-01-05", "2017-1-5", 1)},
		{"another version", strings.Replace(good, "v1", "v2", 1)},
		{"an extra line", good + "extra\n"},
		{"another origin", strings.Replace(good, origin, "other.example/log", 1)},
		{"digest not base64", strings.Replace(good, "AAAA", "AA!A", 1)},
	} {
		msg, err := noteSign(c.text, signer)
		if err != nil {
			t.Fatal(err)
		}
		_, err = bulletin.OpenSignature(msg, verifier)
		if (err == nil) != (c.name == "good") {
			t.Errorf("%s: OpenSignature = %v", c.name, err)
		}
	}
}

func ExampleSigned_Text() {
	s := bulletin.Signed{Origin: "truce.example/log", Date: "2017-01-05", TreeSize: 1042, Lang: i18n.EN}
	fmt.Print(s.Text())
	// Output:
	// truce bulletin v1
	// truce.example/log
	// 2017-01-05
	// 1042
	// en
	// AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
}

// noteSign signs any text with the key, as a holder of it could.
func noteSign(text string, signer note.Signer) (string, error) {
	msg, err := note.Sign(&note.Note{Text: text}, signer)
	return string(msg), err
}
