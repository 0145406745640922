package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// sharedData finds ../shared/data beside the module root, or skips.
func sharedData(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("module root not found")
		}
		dir = parent
	}
	data := filepath.Join(dir, "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(data, srcCommunities)); err != nil {
		t.Skipf("no shared data beside the module (%v)", err)
	}
	return data
}

// TestCommittedFilesAreGenerated checks that places/data holds exactly what
// the generator writes from ../shared/data.
func TestCommittedFilesAreGenerated(t *testing.T) {
	files, report, err := generate(sharedData(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range report {
		t.Log(line)
	}
	if len(files) != 4 {
		t.Errorf("generated %d files, want 4", len(files))
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join("..", "..", "data", name))
		if err != nil {
			t.Errorf("%s: %v (run: go run ./places/internal/gen -shared ../shared)", name, err)
			continue
		}
		if bytes.Equal(got, want) {
			continue
		}
		if bytes.Equal(gunzip(t, got), gunzip(t, want)) {
			t.Errorf("%s: same content, different compressed bytes (a new compress/flate?); regenerate with go run ./places/internal/gen -shared ../shared", name)
		} else {
			t.Errorf("%s: content differs from what the sources give; regenerate with go run ./places/internal/gen -shared ../shared", name)
		}
	}
}

// TestGenerateIsDeterministic runs the generator twice.
func TestGenerateIsDeterministic(t *testing.T) {
	dir := sharedData(t)
	a, _, err := generate(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := generate(dir)
	if err != nil {
		t.Fatal(err)
	}
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		return nil
	}
	return out
}
