package evidence_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"truce"
	"truce/evidence"
)

func TestVerifyCatchesFlippedByte(t *testing.T) {
	s := mustOpen(t)
	data := samples(t)[0].data
	f, err := s.Put(bytes.NewReader(data), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(s.Dir(), "sha256", f.SHA256[:2], f.SHA256[2:4], f.SHA256)
	bad := bytes.Clone(data)
	bad[len(bad)/2] ^= 0x01
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	err = s.Verify(f.SHA256)
	if !errors.Is(err, evidence.ErrCorrupt) || truce.ErrorCode(err) != truce.EINTERNAL {
		t.Errorf("Verify(flipped) = %v, want ErrCorrupt, internal", err)
	}
}

func TestBadNames(t *testing.T) {
	s := mustOpen(t)
	valid := strings.Repeat("ab", 32)
	for _, name := range []string{
		"", "ab", strings.ToUpper(valid), valid[:63], valid + "0", strings.Repeat("g", 64),
		"../../../../etc/passwd" + valid[22:], "ab/cd/" + valid[6:], " " + valid[1:],
	} {
		if _, _, err := s.Open(name); truce.ErrorCode(err) != truce.EINVALID {
			t.Errorf("Open(%q) = %v, want %s", name, err, truce.EINVALID)
		}
		if _, err := s.Has(name); truce.ErrorCode(err) != truce.EINVALID {
			t.Errorf("Has(%q) = %v, want %s", name, err, truce.EINVALID)
		}
		if err := s.Verify(name); truce.ErrorCode(err) != truce.EINVALID {
			t.Errorf("Verify(%q) = %v, want %s", name, err, truce.EINVALID)
		}
	}
	if _, _, err := s.Open(valid); truce.ErrorCode(err) != truce.ENOTFOUND {
		t.Errorf("Open(missing) = %v, want %s", err, truce.ENOTFOUND)
	}
	if err := s.Verify(valid); truce.ErrorCode(err) != truce.ENOTFOUND {
		t.Errorf("Verify(missing) = %v, want %s", err, truce.ENOTFOUND)
	}
	if ok, err := s.Has(valid); ok || err != nil {
		t.Errorf("Has(missing) = %v, %v, want false", ok, err)
	}
}

func TestWalk(t *testing.T) {
	s := mustOpen(t)
	want := map[string]int64{}
	for i := range 50 {
		data := fmt.Appendf(nil, "observation %d\n", i)
		f, err := s.Put(bytes.NewReader(data), 100)
		if err != nil {
			t.Fatal(err)
		}
		want[f.SHA256] = f.Size
	}
	var names []string
	err := s.Walk(func(h string, size int64) error {
		if want[h] != size {
			t.Errorf("Walk: %s has size %d, want %d", h, size, want[h])
		}
		names = append(names, h)
		return nil
	})
	if err != nil || len(names) != len(want) || !slices.IsSorted(names) {
		t.Errorf("Walk listed %d names (sorted: %v), %v; want %d sorted", len(names), slices.IsSorted(names), err, len(want))
	}

	stop := errors.New("stop")
	calls := 0
	err = s.Walk(func(string, int64) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("Walk with a failing fn = %v after %d calls, want stop after 1", err, calls)
	}

	// A file where its name says it is not is reported, not skipped.
	misplaced := filepath.Join(s.Dir(), "sha256", names[0][:2], names[0][2:4], strings.Repeat("0", 64))
	if err := os.WriteFile(misplaced, nil, 0o400); err != nil {
		t.Fatal(err)
	}
	if err := s.Walk(func(string, int64) error { return nil }); !errors.Is(err, evidence.ErrCorrupt) {
		t.Errorf("Walk over a misplaced file = %v, want ErrCorrupt", err)
	}
}

func TestHashReader(t *testing.T) {
	for _, tt := range []struct {
		in   string
		hash string
	}{
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	} {
		h, n, err := evidence.HashReader(strings.NewReader(tt.in))
		if h != tt.hash || n != int64(len(tt.in)) || err != nil {
			t.Errorf("HashReader(%q) = %s, %d, %v, want %s, %d", tt.in, h, n, err, tt.hash, len(tt.in))
		}
	}

	// What Put names a file, HashReader finds in it.
	s := mustOpen(t)
	for _, smp := range samples(t) {
		f, err := s.Put(bytes.NewReader(smp.data), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		r, _, err := s.Open(f.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		h, n, err := evidence.HashReader(r)
		r.Close()
		if h != f.SHA256 || n != f.Size || err != nil {
			t.Errorf("HashReader(%s) = %s, %d, %v, want %s, %d", smp.name, h, n, err, f.SHA256, f.Size)
		}
	}
}
