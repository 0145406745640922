package evidence_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"truce"
	"truce/evidence"
)

// mustOpen opens a store in a new temporary directory.
func mustOpen(tb testing.TB) *evidence.Store {
	tb.Helper()
	s, err := evidence.Open(filepath.Join(tb.TempDir(), "evidence"))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func sum(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// tmpFiles returns the names of the uploads in progress.
func tmpFiles(tb testing.TB, s *evidence.Store) []string {
	tb.Helper()
	entries, err := os.ReadDir(filepath.Join(s.Dir(), "tmp"))
	if err != nil {
		tb.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// stored returns the hashes and sizes Walk lists.
func stored(tb testing.TB, s *evidence.Store) map[string]int64 {
	tb.Helper()
	files := map[string]int64{}
	err := s.Walk(func(h string, size int64) error { files[h] = size; return nil })
	if err != nil {
		tb.Fatal(err)
	}
	return files
}

func TestPutOpen(t *testing.T) {
	s := mustOpen(t)
	for _, smp := range samples(t) {
		f, err := s.PutNamed(bytes.NewReader(smp.data), 1<<20, smp.name)
		if err != nil {
			t.Fatalf("Put(%s): %v", smp.name, err)
		}
		want := evidence.File{SHA256: sum(smp.data), Size: int64(len(smp.data)), MediaType: smp.mediaType}
		if *f != want {
			t.Errorf("Put(%s) = %+v, want %+v", smp.name, *f, want)
		}
		path := filepath.Join(s.Dir(), "sha256", f.SHA256[:2], f.SHA256[2:4], f.SHA256)
		if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o400 {
			t.Errorf("%s: stat = %v, %v, want a file of mode 0400", path, info, err)
		}

		r, got, err := s.Open(f.SHA256)
		if err != nil {
			t.Fatalf("Open(%s): %v", smp.name, err)
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil || !bytes.Equal(data, smp.data) {
			t.Errorf("Open(%s) read %d bytes, %v; want the %d bytes put", smp.name, len(data), err, len(smp.data))
		}
		if want.MediaType == "text/csv" { // the name is not stored
			want.MediaType = "text/plain"
		}
		if *got != want {
			t.Errorf("Open(%s) = %+v, want %+v", smp.name, *got, want)
		}
		if err := s.Verify(f.SHA256); err != nil {
			t.Errorf("Verify(%s): %v", smp.name, err)
		}
	}
	if files := stored(t, s); len(files) != len(samples(t)) {
		t.Errorf("Walk listed %d files, want %d", len(files), len(samples(t)))
	}
}

func TestPutSameTwice(t *testing.T) {
	s := mustOpen(t)
	data := samples(t)[0].data
	f1, err := s.Put(bytes.NewReader(data), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	f2, err := s.Put(bytes.NewReader(data), 1<<20)
	if err != nil || *f2 != *f1 {
		t.Fatalf("second Put = %+v, %v, want %+v", f2, err, f1)
	}
	if ok, err := s.Has(f1.SHA256); !ok || err != nil {
		t.Errorf("Has = %v, %v, want true", ok, err)
	}
	if files := stored(t, s); len(files) != 1 || files[f1.SHA256] != int64(len(data)) {
		t.Errorf("stored %v, want one file", files)
	}
	if tmp := tmpFiles(t, s); len(tmp) != 0 {
		t.Errorf("tmp holds %v", tmp)
	}
}

func TestPutConcurrent(t *testing.T) {
	s := mustOpen(t)
	all := samples(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8*len(all))
	for range 8 {
		for _, smp := range all {
			wg.Go(func() {
				f, err := s.Put(bytes.NewReader(smp.data), 1<<20)
				if err == nil && f.SHA256 != sum(smp.data) {
					err = errors.New("wrong hash for " + smp.name)
				}
				errs <- err
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if files := stored(t, s); len(files) != len(all) {
		t.Errorf("stored %d files, want %d", len(files), len(all))
	}
	if tmp := tmpFiles(t, s); len(tmp) != 0 {
		t.Errorf("tmp holds %v", tmp)
	}
}

func TestPutLimit(t *testing.T) {
	data := []byte("%PDF-1.7\n" + strings.Repeat("x", 1000))
	max := int64(len(data))
	s := mustOpen(t)
	if _, err := s.Put(bytes.NewReader(data), max); err != nil {
		t.Fatalf("Put of exactly max bytes: %v", err)
	}

	s = mustOpen(t)
	_, err := s.Put(bytes.NewReader(data), max-1)
	if truce.ErrorCode(err) != truce.ETOOLARGE || !strings.Contains(truce.ErrorMessage(err), "1008 bytes") {
		t.Fatalf("Put of max+1 bytes: %v, want %s naming the limit", err, truce.ETOOLARGE)
	}
	if files := stored(t, s); len(files) != 0 {
		t.Errorf("stored %v after a refused Put", files)
	}
	if tmp := tmpFiles(t, s); len(tmp) != 0 {
		t.Errorf("tmp holds %v after a refused Put", tmp)
	}
}

// endless is a stream that never ends, counting what is read of it.
type endless struct {
	head []byte
	read int64
}

func (e *endless) Read(p []byte) (int, error) {
	n := copy(p, e.head)
	e.head = e.head[n:]
	clear(p[n:])
	e.read += int64(len(p))
	return len(p), nil
}

func TestPutRefused(t *testing.T) {
	s := mustOpen(t)
	_, err := s.Put(strings.NewReader(""), 100)
	if truce.ErrorCode(err) != truce.EINVALID || truce.ErrorField(err) != "file" {
		t.Errorf("Put(empty) = %v, want %s on file", err, truce.EINVALID)
	}

	// A ZIP is refused once its first bytes are known, not after 1 GiB.
	zip := &endless{head: []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00")}
	_, err = s.PutNamed(zip, 1<<30, "evidence.csv")
	if truce.ErrorCode(err) != truce.EUNSUPPORTED || !strings.Contains(truce.ErrorMessage(err), "video/webm") {
		t.Errorf("Put(zip) = %v, want %s listing the accepted types", err, truce.EUNSUPPORTED)
	}
	if zip.read > 1<<20 {
		t.Errorf("Put(zip) read %d bytes before refusing", zip.read)
	}

	hangUp := iotest.ErrReader(io.ErrClosedPipe)
	_, err = s.Put(io.MultiReader(strings.NewReader("%PDF-1.7\n"), hangUp), 100)
	if err == nil || truce.ErrorCode(err) != truce.EINTERNAL {
		t.Errorf("Put(failing reader) = %v, want an internal error", err)
	}
	if files, tmp := stored(t, s), tmpFiles(t, s); len(files) != 0 || len(tmp) != 0 {
		t.Errorf("stored %v, tmp %v after refused Puts", files, tmp)
	}
}

func TestOpenRemovesStaleUploads(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "evidence")
	if _, err := evidence.Open(dir); err != nil {
		t.Fatal(err)
	}
	stale, live := filepath.Join(dir, "tmp", "put-1"), filepath.Join(dir, "tmp", "put-2")
	for _, name := range []string{stale, live} {
		if err := os.WriteFile(name, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	if _, err := evidence.Open(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale upload: stat = %v, want removed", err)
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("live upload: %v, want kept", err)
	}
}
