package bulletin_test

import (
	"bytes"
	"strings"
	"testing"

	"truce/bulletin"
	"truce/i18n"
)

// TestParseFile: every format carries its checkpoint and signature, and
// gives them back, whatever the language.
func TestParseFile(t *testing.T) {
	signer, _ := testSigner(t)
	for _, lang := range []i18n.Lang{i18n.EN, i18n.FA} {
		in := fixture(t)
		in.Lang = lang
		b := mustSigned(t, in, signer)
		for _, f := range bulletin.Formats {
			data, err := bulletin.Bytes(b, f)
			if err != nil {
				t.Fatal(err)
			}
			file, err := bulletin.ParseFile(data)
			if err != nil {
				t.Fatalf("%s %s: ParseFile: %v", lang, f, err)
			}
			if file.Format != f || file.Signature != b.Signature || file.Checkpoint != b.Checkpoint {
				t.Errorf("%s %s: ParseFile = %s, signature %q, checkpoint %q; want the bulletin's", lang, f, file.Format, file.Signature, file.Checkpoint)
			}
			if diffs, err := file.Diff(b); err != nil || diffs != nil {
				t.Errorf("%s %s: Diff with itself = %q, %v", lang, f, diffs, err)
			}
		}
	}
}

func TestDiff(t *testing.T) {
	signer, _ := testSigner(t)
	b := mustSigned(t, fixture(t), signer)
	data, _ := bulletin.Bytes(b, bulletin.JSON)
	for _, c := range []struct {
		name       string
		from, to   string
		difference string
	}{
		{"a count", `"reports": 3,`, `"reports": 4,`, "governorates[6].reports: file 4, log 3"},
		{"a name", `"name": "Idleb"`, `"name": "Idlib"`, `governorates[6].name: file "Idlib", log "Idleb"`},
		{"a key", `"pending":`, `"waiting":`, "governorates[0].change.pending: missing from the file, log 0"},
		{"a list", `"confirmed_violations": [`, `"confirmed_violations": [{"id": "x"}, `, "confirmed_violations: file has 3 items, log 2"},
	} {
		edited := bytes.Replace(data, []byte(c.from), []byte(c.to), 1)
		file, err := bulletin.ParseFile(edited)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		diffs, err := file.Diff(b)
		if err != nil || !strings.Contains(strings.Join(diffs, "\n"), c.difference) {
			t.Errorf("%s changed: Diff = %q, %v; want %q", c.name, diffs, err, c.difference)
		}
	}
	if _, err := bulletin.ParseFile([]byte("{not json")); err == nil {
		t.Error("ParseFile of broken JSON = nil error")
	}
}
