package bulletin

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	tlog "truce/log"
)

// fuzzKeys returns the log key of the golden files (bulletin_test.go's
// testSigner): made from a fixed seed, so that their signatures verify.
func fuzzKeys(tb testing.TB) (note.Signer, note.Verifier) {
	tb.Helper()
	skey, vkey, err := note.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{7}, 64)), "truce.example/log")
	if err != nil {
		tb.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		tb.Fatal(err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		tb.Fatal(err)
	}
	return s, v
}

// goldenFiles returns the golden bulletins of testdata, by name.
func goldenFiles(tb testing.TB) map[string][]byte {
	tb.Helper()
	names, _ := filepath.Glob("testdata/bulletin.*")
	files := map[string][]byte{}
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		files[filepath.Base(name)] = data
	}
	return files
}

// FuzzOpenSignature checks the bulletin signature note: text that
// parses is the text Signed.Text writes for what it parsed (one bulletin,
// one signed text), and a note that opens carries the log's signature in
// the one encoding that signing its text again gives.
func FuzzOpenSignature(f *testing.F) {
	signer, verifier := fuzzKeys(f)
	for _, data := range goldenFiles(f) {
		pf, err := ParseFile(data)
		if err != nil || pf.Signature == "" {
			continue
		}
		f.Add(pf.Signature)
		if text, _, ok := strings.Cut(pf.Signature, "\n\n"); ok {
			f.Add(text + "\n")
		}
	}
	s := Signed{Origin: "truce.example/log", Date: "2017-01-05", TreeSize: 1, Lang: "fa"}
	f.Add(s.Text())
	msg, err := note.Sign(&note.Note{Text: s.Text()}, signer)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(msg))
	f.Fuzz(func(t *testing.T, data string) {
		if s, err := parseSigned(data); err == nil {
			if s.Text() != data {
				t.Fatalf("parseSigned(%q).Text() = %q", data, s.Text())
			}
		} else if !strings.HasPrefix(err.Error(), "bulletin signature: ") {
			t.Fatalf("parseSigned(%q) error %q does not say what it parsed", data, err)
		}

		s, err := OpenSignature(data, verifier)
		if err != nil {
			return
		}
		n, err := note.Open([]byte(data), note.VerifierList(verifier))
		if err != nil {
			t.Fatalf("OpenSignature(%q) accepted a note that does not open: %v", data, err)
		}
		if s.Text() != n.Text || s.Origin != verifier.Name() {
			t.Fatalf("OpenSignature(%q) = %+v, text %q, want %q", data, s, s.Text(), n.Text)
		}
		for _, sig := range n.Sigs {
			b, err := base64.StdEncoding.Strict().DecodeString(sig.Base64)
			if err != nil || base64.StdEncoding.EncodeToString(b) != sig.Base64 {
				t.Fatalf("OpenSignature(%q) accepted signature %q, not canonical base64", data, sig.Base64)
			}
		}
		again, err := note.Sign(&note.Note{Text: n.Text}, signer)
		if err != nil {
			t.Fatal(err)
		}
		if line := again[len(n.Text)+1:]; !strings.Contains(data, string(line)) {
			t.Fatalf("OpenSignature(%q) accepted a signature line other than %q", data, line)
		}
	})
}

// FuzzParseFile checks the reading of a bulletin file that `truce
// bulletin verify` is given, and its comparison with the bulletin the log
// gives: no panic, errors that say they are the bulletin's, and no
// difference found only when the file is that bulletin (byte for byte,
// or for JSON in canonical form).
func FuzzParseFile(f *testing.F) {
	golden := goldenFiles(f)
	for name, data := range golden {
		// One language in each format: the files are large, and the
		// languages differ in their text, not in their structure.
		if strings.HasPrefix(name, "bulletin.en.") {
			f.Add(data)
		}
	}
	var want Bulletin
	if data, ok := golden["bulletin.en.json"]; ok {
		if err := json.Unmarshal(data, &want); err != nil {
			f.Fatal(err)
		}
	} else {
		want = Bulletin{Origin: "truce.example/log", Date: "2017-01-05", TreeSize: 1, Lang: "en"}
	}
	for _, format := range Formats {
		data, err := Bytes(&want, format)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pf, err := ParseFile(data)
		if err != nil {
			if pf != nil || !strings.HasPrefix(err.Error(), "bulletin: ") {
				t.Fatalf("ParseFile(%q) = %v, %v", data, pf, err)
			}
			return
		}
		diff, err := pf.Diff(&want)
		if err != nil {
			t.Fatalf("Diff of %s file %q: %v", pf.Format, data, err)
		}
		if len(diff) > maxDifferences+1 {
			t.Fatalf("Diff of %s file %q: %d differences, more than %d", pf.Format, data, len(diff), maxDifferences+1)
		}
		if len(diff) > 0 {
			return
		}
		rendered, err := Bytes(&want, pf.Format)
		if err != nil {
			t.Fatal(err)
		}
		if pf.Format != JSON {
			if !bytes.Equal(rendered, data) {
				t.Fatalf("Diff of %s file %q finds nothing, but it is not the bulletin", pf.Format, data)
			}
			return
		}
		a, err1 := tlog.Canonicalize(data)
		b, err2 := tlog.Canonicalize(rendered)
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Fatalf("Diff of JSON file %q finds nothing, but it is not the bulletin in canonical form", data)
		}
	})
}
