package log_test

import (
	"encoding/base64"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tlog "truce/log"
)

// vectorsDir holds the RFC 6962 vectors of transparency-dev/merkle, beside
// the checkout.
const vectorsDir = "../../shared/vectors/merkle"

func vectorFiles(t *testing.T, kind string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(filepath.Join(vectorsDir, kind), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".json") {
			files = append(files, path)
		}
		if os.IsNotExist(err) {
			return nil
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		if _, err := os.Stat(vectorsDir); os.IsNotExist(err) {
			t.Skipf("no vectors at %s", vectorsDir)
		}
		t.Fatalf("no %s vectors under %s", kind, vectorsDir)
	}
	return files
}

// b64 decodes a base64 string; a vector whose strings do not decode is
// one the verifier must reject, so an undecodable string becomes nil.
func b64(s string) []byte {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil
	}
	return b
}

func b64s(ss []string) [][]byte {
	var out [][]byte
	for _, s := range ss {
		out = append(out, b64(s))
	}
	return out
}

// TestInclusionVectors runs every RFC 6962 inclusion vector through
// VerifyInclusion: valid proofs verify, every wantErr case is rejected.
func TestInclusionVectors(t *testing.T) {
	for _, file := range vectorFiles(t, "inclusion") {
		var v struct {
			LeafIdx  uint64   `json:"leafIdx"`
			TreeSize uint64   `json:"treeSize"`
			Root     string   `json:"root"`
			LeafHash string   `json:"leafHash"`
			Proof    []string `json:"proof"`
			Desc     string   `json:"desc"`
			WantErr  bool     `json:"wantErr"`
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		name, _ := filepath.Rel(vectorsDir, file)
		t.Run(name, func(t *testing.T) {
			err := tlog.VerifyInclusion(v.LeafIdx, v.TreeSize, b64(v.LeafHash), b64s(v.Proof), b64(v.Root))
			failed := err != nil
			if failed != v.WantErr {
				t.Errorf("%s: VerifyInclusion(%d, %d) err = %v, want error: %v", v.Desc, v.LeafIdx, v.TreeSize, err, v.WantErr)
			}
		})
	}
}

// TestConsistencyVectors runs every RFC 6962 consistency vector through
// VerifyConsistency.
func TestConsistencyVectors(t *testing.T) {
	for _, file := range vectorFiles(t, "consistency") {
		var v struct {
			Size1   uint64   `json:"size1"`
			Size2   uint64   `json:"size2"`
			Root1   string   `json:"root1"`
			Root2   string   `json:"root2"`
			Proof   []string `json:"proof"`
			Desc    string   `json:"desc"`
			WantErr bool     `json:"wantErr"`
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		name, _ := filepath.Rel(vectorsDir, file)
		t.Run(name, func(t *testing.T) {
			err := tlog.VerifyConsistency(v.Size1, v.Size2, b64(v.Root1), b64(v.Root2), b64s(v.Proof))
			failed := err != nil
			if failed != v.WantErr {
				t.Errorf("%s: VerifyConsistency(%d, %d) err = %v, want error: %v", v.Desc, v.Size1, v.Size2, err, v.WantErr)
			}
		})
	}
}
