package storetest

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"testing"
	"time"

	"truce"
)

var checkpointTests = []test{
	one("None", testCheckpointNone),
	one("AddAndRead", testCheckpoints),
	one("SizesOnlyGrow", testCheckpointSizesGrow),
}

var settingTests = []test{
	one("PutAndRead", testSettings),
	one("Fixed", testSettingsFixed),
}

var credentialTests = []test{
	one("MemberByCredential", testCredentials),
	one("Unknown", testCredentialUnknown),
}

// checkpoint returns a checkpoint of the given size, with a note of several
// lines and an issue time in a zone other than UTC, to the nanosecond.
func checkpoint(size int64) *truce.Checkpoint {
	root := sha256.Sum256(fmt.Appendf(nil, "root %d", size))
	return &truce.Checkpoint{
		Size:     size,
		Root:     root,
		Note:     fmt.Sprintf("truce.example/log\n%d\nGFn0dTx8=\n\n— truce.example/log AbCdEf+gh/==\n", size),
		IssuedAt: time.Date(2017, 1, 5, 14, 30, 0, int(size)*1000+7, time.FixedZone("EET", 2*60*60)),
	}
}

// checkCheckpoint requires got to be want; times compare as instants.
func checkCheckpoint(t *testing.T, what string, got, want *truce.Checkpoint) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = nil, want size %d", what, want.Size)
		return
	}
	if got.Size != want.Size || got.Root != want.Root || got.Note != want.Note || !got.IssuedAt.Equal(want.IssuedAt) {
		t.Errorf("%s = {%d %x %q %s}, want {%d %x %q %s}", what,
			got.Size, got.Root, got.Note, got.IssuedAt, want.Size, want.Root, want.Note, want.IssuedAt)
	}
}

func testCheckpointNone(t *testing.T, s truce.Store) {
	mustView(t, s, func(tx truce.Tx) error {
		c, err := tx.LatestCheckpoint()
		if err == nil {
			t.Errorf("LatestCheckpoint() = %+v, nil; want ENOTFOUND", c)
		}
		checkCode(t, "LatestCheckpoint()", err, truce.ENOTFOUND)
		return tx.ScanCheckpoints(func(c *truce.Checkpoint) error {
			t.Errorf("ScanCheckpoints on none gave size %d", c.Size)
			return nil
		})
	})
}

// scanCheckpoints returns every checkpoint, read with ScanCheckpoints.
func scanCheckpoints(t *testing.T, s truce.Store) []*truce.Checkpoint {
	t.Helper()
	var cs []*truce.Checkpoint
	mustView(t, s, func(tx truce.Tx) error {
		return tx.ScanCheckpoints(func(c *truce.Checkpoint) error { cs = append(cs, c); return nil })
	})
	return cs
}

func testCheckpoints(t *testing.T, s truce.Store) {
	sizes := []int64{1, 2, 7, 300}
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.AddCheckpoint(checkpoint(sizes[0])) })
	mustUpdate(t, s, func(tx truce.Tx) error {
		for _, n := range sizes[1:3] {
			if err := tx.AddCheckpoint(checkpoint(n)); err != nil {
				return err
			}
		}
		return nil
	})
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.AddCheckpoint(checkpoint(sizes[3])) })

	mustView(t, s, func(tx truce.Tx) error {
		c, err := tx.LatestCheckpoint()
		if err != nil {
			t.Fatalf("LatestCheckpoint(): %v", err)
		}
		checkCheckpoint(t, "LatestCheckpoint()", c, checkpoint(300))
		return nil
	})
	cs := scanCheckpoints(t, s)
	if len(cs) != len(sizes) {
		t.Fatalf("ScanCheckpoints gave %d checkpoints, want %d", len(cs), len(sizes))
	}
	for i, n := range sizes {
		checkCheckpoint(t, fmt.Sprintf("ScanCheckpoints[%d]", i), cs[i], checkpoint(n))
	}

	calls := 0
	err := s.View(t.Context(), func(tx truce.Tx) error {
		return tx.ScanCheckpoints(func(*truce.Checkpoint) error { calls++; return errStop })
	})
	if !errors.Is(err, errStop) || calls != 1 {
		t.Errorf("ScanCheckpoints with fn failing: %d calls, error %v; want 1 call, %v", calls, err, errStop)
	}
}

func testCheckpointSizesGrow(t *testing.T, s truce.Store) {
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.AddCheckpoint(checkpoint(5)) })
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.AddCheckpoint(checkpoint(9)) })
	for _, n := range []int64{9, 8, 5, 1, 0} {
		c := checkpoint(n)
		c.Note = "forged"
		mustFail(t, s, fmt.Sprintf("AddCheckpoint(size %d) after size 9", n), func(tx truce.Tx) error {
			return tx.AddCheckpoint(c)
		})
	}
	cs := scanCheckpoints(t, s)
	if len(cs) != 2 {
		t.Fatalf("ScanCheckpoints gave %d checkpoints after failed adds, want 2", len(cs))
	}
	checkCheckpoint(t, "ScanCheckpoints[0]", cs[0], checkpoint(5))
	checkCheckpoint(t, "ScanCheckpoints[1]", cs[1], checkpoint(9))
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.AddCheckpoint(checkpoint(10)) })
}

func testSettings(t *testing.T, s truce.Store) {
	want := map[string]string{
		"origin":   "truce.example/log",
		"verifier": "truce.example/log+e1f2a3b4+AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=",
		"note":     "two\nlines — and ünïcode",
	}
	mustUpdate(t, s, func(tx truce.Tx) error {
		for _, k := range []string{"origin", "verifier"} {
			if err := tx.PutSetting(k, want[k]); err != nil {
				return err
			}
		}
		return nil
	})
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.PutSetting("note", want["note"]) })
	mustView(t, s, func(tx truce.Tx) error {
		for k, w := range want {
			if got, err := tx.Setting(k); err != nil || got != w {
				t.Errorf("Setting(%q) = %q, %v; want %q, nil", k, got, err, w)
			}
		}
		got, err := tx.Setting("missing")
		if err == nil {
			t.Errorf("Setting(%q) = %q, nil; want ENOTFOUND", "missing", got)
		}
		checkCode(t, `Setting("missing")`, err, truce.ENOTFOUND)
		return nil
	})
}

func testSettingsFixed(t *testing.T, s truce.Store) {
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.PutSetting("origin", "a.example/log") })
	mustFail(t, s, "PutSetting(origin) a second time", func(tx truce.Tx) error {
		return tx.PutSetting("origin", "b.example/log")
	})
	mustFail(t, s, "PutSetting(origin) to empty", func(tx truce.Tx) error {
		return tx.PutSetting("origin", "")
	})
	mustView(t, s, func(tx truce.Tx) error {
		if got, err := tx.Setting("origin"); err != nil || got != "a.example/log" {
			t.Errorf("Setting(origin) = %q, %v; want %q, nil", got, err, "a.example/log")
		}
		return nil
	})
}

func testCredentials(t *testing.T, s truce.Store) {
	m0, m1 := member(0, 3), member(1, 4)
	h0, h0b, h1 := sha256.Sum256([]byte("tok0")), sha256.Sum256([]byte("tok0b")), sha256.Sum256([]byte("tok1"))
	mustUpdate(t, s, func(tx truce.Tx) error {
		return errors.Join(tx.InsertMember(m0), tx.InsertMember(m1))
	})
	mustUpdate(t, s, func(tx truce.Tx) error {
		created := time.Date(2017, 1, 6, 9, 0, 0, 0, time.UTC)
		return errors.Join(
			tx.AddCredential(h0, m0.ID, created),
			tx.AddCredential(h0b, m0.ID, created.Add(time.Hour)), // a member may hold several
			tx.AddCredential(h1, m1.ID, created))
	})
	mustView(t, s, func(tx truce.Tx) error {
		for _, c := range []struct {
			hash [32]byte
			want *truce.Member
		}{{h0, m0}, {h0b, m0}, {h1, m1}} {
			got, err := tx.MemberByCredential(c.hash)
			if err != nil {
				t.Errorf("MemberByCredential(%x): %v", c.hash[:4], err)
				continue
			}
			checkMember(t, fmt.Sprintf("MemberByCredential(%x)", c.hash[:4]), got, c.want)
		}
		return nil
	})
}

func testCredentialUnknown(t *testing.T, s truce.Store) {
	m := member(0, 1)
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.InsertMember(m) })
	mustUpdate(t, s, func(tx truce.Tx) error {
		return tx.AddCredential(sha256.Sum256([]byte("tok")), m.ID, time.Now())
	})
	mustView(t, s, func(tx truce.Tx) error {
		for _, h := range [][32]byte{{}, sha256.Sum256([]byte("other"))} {
			got, err := tx.MemberByCredential(h)
			if err == nil {
				t.Errorf("MemberByCredential(%x) = %v, nil; want EUNAUTHORIZED", h[:4], got.ID)
			}
			checkCode(t, fmt.Sprintf("MemberByCredential(%x)", h[:4]), err, truce.EUNAUTHORIZED)
		}
		return nil
	})
}
