package workflow_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"truce"
	"truce/agreements"
	"truce/bulletin"
	tlog "truce/log"
	"truce/sqlite"
	"truce/workflow"
)

// copyLog copies the first n entries of src's log (all when n is 0), with
// its settings and, when checkpoints is set, its checkpoints over them,
// into a new store, and rebuilds the projections there: another data
// directory holding the same log. It signs with signer (nil: it cannot).
func copyLog(t *testing.T, src *workflow.Service, n int64, checkpoints bool, signer bool) *workflow.Service {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "mirror.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	type entry struct {
		data, sidecar []byte
		hashes        [][32]byte
	}
	var entries []entry
	var settings [2]string
	var cps []*truce.Checkpoint
	err = src.Store.View(ftCtx, func(tx truce.Tx) error {
		for i, k := range []string{workflow.SettingOrigin, workflow.SettingVerifier} {
			var err error
			if settings[i], err = tx.Setting(k); err != nil {
				return err
			}
		}
		if n == 0 {
			var err error
			if n, err = tx.LogSize(); err != nil {
				return err
			}
		}
		err := tx.ScanEntries(0, n, func(i int64, data, sidecar []byte) error {
			idx := make([]int64, truce.HashesAdded(i))
			for k := range idx {
				idx[k] = tlog.StoredHashIndex(0, i) + int64(k)
			}
			hs, err := tx.ReadHashes(idx)
			entries = append(entries, entry{bytes.Clone(data), bytes.Clone(sidecar), hs})
			return err
		})
		if err != nil || !checkpoints {
			return err
		}
		return tx.ScanCheckpoints(func(c *truce.Checkpoint) error {
			if c.Size <= n {
				cps = append(cps, c)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(ftCtx, func(tx truce.Tx) error {
		for i, k := range []string{workflow.SettingOrigin, workflow.SettingVerifier} {
			if err := tx.PutSetting(k, settings[i]); err != nil {
				return err
			}
		}
		for i, e := range entries {
			if err := tx.AppendEntry(int64(i), e.data, e.hashes, e.sidecar); err != nil {
				return err
			}
		}
		for _, c := range cps {
			if err := tx.AddCheckpoint(c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	svc := workflow.New(db, nil)
	if signer {
		svc.Signer = src.Signer
	}
	if err := svc.Rebuild(ftCtx, nil); err != nil {
		t.Fatal(err)
	}
	return svc
}

// TestBulletinSameBytesElsewhere: another data directory holding the same
// log gives the same bytes, in every format and language, signature
// included.
func TestBulletinSameBytesElsewhere(t *testing.T) {
	w := newBulletinWorld(t)
	mirror := copyLog(t, w.svc, 0, true, true)
	for _, lang := range []string{"en", "ar", "ru", "tr", "fa"} {
		for _, day := range []string{"2017-01-04", bulletinDay} {
			here := mustBulletin(t, w.svc, day, workflow.BulletinOptions{Lang: lang})
			there := mustBulletin(t, mirror, day, workflow.BulletinOptions{Lang: lang})
			for _, f := range bulletin.Formats {
				a, err := bulletin.Bytes(here, f)
				if err != nil {
					t.Fatal(err)
				}
				if b, _ := bulletin.Bytes(there, f); !bytes.Equal(a, b) {
					t.Errorf("%s %s bulletin of %s differs on a copy of the log", lang, f, day)
				}
			}
		}
	}
}

// verify checks a file and fails unless the outcome's match is want and
// its problems mention each of mention.
func verify(t *testing.T, svc *workflow.Service, what string, file []byte, want bool, mention ...string) *workflow.BulletinCheck {
	t.Helper()
	c, err := svc.VerifyBulletin(ftCtx, file)
	if err != nil {
		t.Fatalf("%s: VerifyBulletin = %v", what, err)
	}
	if c.Match != want {
		t.Errorf("%s: match %t, want %t; problems: %q", what, c.Match, want, c.Problems)
	}
	all := strings.Join(c.Problems, "\n")
	for _, m := range mention {
		if !strings.Contains(all, m) {
			t.Errorf("%s: problems %q do not mention %q", what, c.Problems, m)
		}
	}
	return c
}

func TestVerifyBulletin(t *testing.T) {
	w := newBulletinWorld(t)
	files := map[string][]byte{}
	for _, lang := range []string{"en", "ar"} {
		b := mustBulletin(t, w.svc, bulletinDay, workflow.BulletinOptions{Lang: lang})
		for _, f := range bulletin.Formats {
			data, err := bulletin.Bytes(b, f)
			if err != nil {
				t.Fatal(err)
			}
			files[lang+"."+string(f)] = data
		}
	}
	// The log grows after the bulletins: they still match, at their
	// checkpoint, here and on a copy of the log that has no checkpoints
	// (it checks the one the file carries) and cannot sign.
	w.file(t, "late", w.ru, idlibCity, bulletinDay+"T20:00:00Z", "OPP", "")
	w.checkpoint(t)
	bare := copyLog(t, w.svc, 0, false, false)
	for name, data := range files {
		c := verify(t, w.svc, name, data, true)
		if c.Date != bulletinDay || c.TreeSize != w.size || c.Format != bulletin.Format(strings.Split(name, ".")[1]) {
			t.Errorf("%s: checked %+v", name, c)
		}
		verify(t, bare, name+" on a copy without checkpoints", data, true)
	}

	// JSON compares as canonical JSON: indentation does not matter.
	compact, err := tlog.Canonicalize(files["en.json"])
	if err != nil {
		t.Fatal(err)
	}
	verify(t, w.svc, "compact JSON", compact, true)

	// Edits are found and named.
	var doc map[string]any
	json.Unmarshal(files["en.json"], &doc)
	doc["governorates"].([]any)[6].(map[string]any)["reports"] = 9
	edited, _ := json.MarshalIndent(doc, "", "  ")
	verify(t, w.svc, "JSON with a count changed", edited, false, "governorates[6].reports: file 9, log 2")
	md := bytes.Replace(files["en.md"], []byte("| Idleb | 2 |"), []byte("| Idleb | 3 |"), 1)
	verify(t, w.svc, "Markdown with a count changed", md, false, `line 16: file "| Idleb | 3 |`)
	page := bytes.Replace(files["ar.html"], []byte("إدلب"), []byte("حلب"), 1)
	verify(t, w.svc, "HTML with a name changed", page, false, "line ")
	table := bytes.Replace(files["en.csv"], []byte("SY07,Idleb,2,"), []byte("SY07,Idleb,4,"), 1)
	verify(t, w.svc, "CSV with a count changed", table, false, "SY07,Idleb,4,")

	// A signature altered, removed, or another log's.
	json.Unmarshal(files["en.json"], &doc)
	doc["signature"] = strings.Replace(doc["signature"].(string), "\n2017-01-05\n", "\n2017-01-04\n", 1)
	forged, _ := json.MarshalIndent(doc, "", "  ")
	verify(t, w.svc, "signature altered", forged, false, "signature: ")
	delete(doc, "signature")
	unsigned, _ := json.MarshalIndent(doc, "", "  ")
	verify(t, w.svc, "unsigned", unsigned, false, "no signature")
	other := newBulletinWorld(t)
	verify(t, other.svc, "another log's bulletin", files["en.json"], false, "signature: ")

	// A copy of the log that stops short of the checkpoint, and a log with
	// the same key that forked from this one.
	short := copyLog(t, w.svc, w.size-1, true, false)
	verify(t, short, "a shorter log", files["en.md"], false, "this log has")
	fork := forkedLog(t, w.svc, w.size)
	verify(t, fork, "a forked log", files["en.json"], false, "the logs differ")
}

// forkedLog returns a log with src's key and origin, and as many entries
// as src had at size but other ones.
func forkedLog(t *testing.T, src *workflow.Service, size int64) *workflow.Service {
	t.Helper()
	a, _, err := agreements.Load("astana-2017")
	if err != nil {
		t.Fatal(err)
	}
	vkey, err := src.VerifierKey(ftCtx)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "fork.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := workflow.New(db, src.Signer)
	op, _, err := svc.Init(ftCtx, workflow.InitOptions{Agreement: a, Origin: src.Signer.Name(), Verifier: vkey})
	if err != nil {
		t.Fatal(err)
	}
	for ftLogSize(t, svc) < size {
		mustMember(t, svc, op, "UN", truce.RoleObserver)
	}
	if _, err := svc.IssueCheckpoint(ftCtx); err != nil {
		t.Fatal(err)
	}
	return svc
}
