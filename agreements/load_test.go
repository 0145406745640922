package agreements

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"truce"
)

func TestBuiltin(t *testing.T) {
	if got, want := Names(), []string{"astana-2017"}; !slices.Equal(got, want) {
		t.Errorf("Names() = %v, want %v", got, want)
	}
	plain, ok1 := Builtin("astana-2017")
	suffixed, ok2 := Builtin("astana-2017.yaml")
	if !ok1 || !ok2 || !bytes.Equal(plain, suffixed) || len(plain) == 0 {
		t.Errorf("Builtin(astana-2017) and Builtin(astana-2017.yaml) differ or are missing")
	}
	for _, name := range []string{"", ".yaml", "nope", "../agreements/astana-2017", "./astana-2017", "*.yaml"} {
		if _, ok := Builtin(name); ok {
			t.Errorf("Builtin(%q) found, want not found", name)
		}
	}
}

func TestLoadBuiltin(t *testing.T) {
	// In this package's directory astana-2017.yaml is also a file; load from
	// elsewhere so that the built-in is what is found.
	t.Chdir(t.TempDir())
	want, _ := Builtin(Default)
	for _, name := range []string{"astana-2017", "astana-2017.yaml"} {
		a, data, err := Load(name)
		if err != nil {
			t.Fatalf("Load(%q) = %v", name, err)
		}
		if a.ID != "astana-2017" || !bytes.Equal(data, want) {
			t.Errorf("Load(%q) = %s with %d bytes, want astana-2017 with %d bytes", name, a.ID, len(data), len(want))
		}
	}
}

func TestLoadPath(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.yaml", minimal)
	a, data, err := Load(good)
	if err != nil {
		t.Fatalf("Load(%s) = %v", good, err)
	}
	if got, want := a.ID, "test"; got != want || string(data) != minimal {
		t.Errorf("Load(%s) = %q, want %q and the file's bytes", good, got, want)
	}

	// A file shadows a built-in of the same name, and errors name the file.
	t.Chdir(dir)
	writeFile(t, dir, "astana-2017.yaml", strings.Replace(minimal, "guarantors: [TR]", "guarantors: [TR, XX]", 1))
	_, _, err = Load("astana-2017.yaml")
	if got, want := truce.ErrorMessage(err), `astana-2017.yaml:21: parties[1].guarantors[1]: "XX" is not a guarantor of this agreement`; got != want {
		t.Errorf("Load(bad file) = %q, want %q", got, want)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	big := writeFile(t, dir, "big.yaml", minimal+"# "+strings.Repeat("x", MaxSize))
	tests := []struct {
		arg, code, msg string
	}{
		{"nope", truce.ENOTFOUND, `"nope" is neither an agreement file nor a built-in agreement; the built-ins are astana-2017`},
		{filepath.Join(dir, "missing.yaml"), truce.ENOTFOUND, "the built-ins are astana-2017"},
		{dir, truce.EINVALID, dir + " is a directory"},
		{big, truce.ETOOLARGE, big + ": the file is larger than the limit of 1048576 bytes"},
	}
	for _, tt := range tests {
		a, data, err := Load(tt.arg)
		if a != nil || data != nil {
			t.Errorf("Load(%q) returned an agreement or data with an error", tt.arg)
		}
		if got := truce.ErrorCode(err); got != tt.code {
			t.Errorf("Load(%q) code = %q (%v), want %q", tt.arg, got, err, tt.code)
		}
		if got := truce.ErrorMessage(err); !strings.Contains(got, tt.msg) {
			t.Errorf("Load(%q) message = %q, want it to contain %q", tt.arg, got, tt.msg)
		}
	}
}

func writeFile(tb testing.TB, dir, name, content string) string {
	tb.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

func ExampleParse() {
	data := []byte(`id: example
names: {en: Example, ar: مثال}
effective: 2016-12-30T00:00:00+02:00
area: [35.5, 32.2, 42.5, 37.4]
guarantors:
  - {id: RU, kind: state, names: {en: Russia, ar: روسيا}}
parties:
  - {id: SYG, kind: state_force, names: {en: Syria, ar: سوريا}, guarantors: [RU, XX]}
rules:
  answer_window: 72h
  consensus: [{state: pending}]
disclosure: {}
`)
	_, err := Parse("example.yaml", data)
	fmt.Println(truce.ErrorMessage(err))
	// Output: example.yaml:8: parties[0].guarantors[1]: "XX" is not a guarantor of this agreement
}

// FuzzParse checks that no input makes Parse panic, and that every error is
// a *truce.Error naming the file.
func FuzzParse(f *testing.F) {
	f.Add([]byte(minimal))
	f.Add([]byte("id: [\n"))
	f.Add([]byte("a: &x [*x, *x]\n"))
	if data, ok := Builtin(Default); ok {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Parse("fuzz.yaml", data)
		if err == nil {
			return
		}
		if code := truce.ErrorCode(err); code == truce.EINTERNAL {
			t.Fatalf("Parse error is not a *truce.Error: %v", err)
		}
		if msg := truce.ErrorMessage(err); !strings.HasPrefix(msg, "fuzz.yaml:") {
			t.Fatalf("Parse error %q does not name the file", msg)
		}
	})
}

// The example in README.md must stay a valid agreement.
func TestReadmeExample(t *testing.T) {
	doc, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```yaml\n")
	example, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("README.md has no ```yaml block")
	}
	if _, err := Parse("README.md", []byte(example)); err != nil {
		t.Errorf("Parse(README example) = %v", err)
	}
}
