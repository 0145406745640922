package storetest

import (
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"truce"
)

var sessionTests = []test{
	one("PutAndRead", testSessions),
	one("TouchAndDelete", testSessionTouchDelete),
	one("Expire", testSessionsExpire),
	one("Trim", testSessionsTrim),
	one("NotAProjection", testSessionsNotProjections),
}

// session returns a session of member m started at minute min.
func session(id string, m truce.MemberID, min int) *truce.StoredSession {
	at := time.Date(2017, 1, 23, 10, min, 0, 987654321, time.FixedZone("AST", 3*3600))
	return &truce.StoredSession{IDHash: sha256.Sum256([]byte(id)), Member: m, CSRF: "csrf-" + id, Created: at, Seen: at}
}

func putSessions(t *testing.T, s truce.Store, ss ...*truce.StoredSession) {
	t.Helper()
	mustUpdate(t, s, func(tx truce.Tx) error {
		for _, x := range ss {
			if err := tx.PutSession(x); err != nil {
				return err
			}
		}
		return nil
	})
}

// liveSessions says which of ids have a session.
func liveSessions(t *testing.T, s truce.Store, ids ...string) string {
	t.Helper()
	var out []string
	mustView(t, s, func(tx truce.Tx) error {
		for _, id := range ids {
			_, err := tx.Session(sha256.Sum256([]byte(id)))
			switch truce.ErrorCode(err) {
			case "":
				out = append(out, id)
			case truce.ENOTFOUND:
			default:
				return err
			}
		}
		return nil
	})
	return fmt.Sprint(out)
}

func testSessions(t *testing.T, s truce.Store) {
	a, b := session("a", "mbr_a", 1), session("b", "mbr_b", 2)
	putSessions(t, s, a, b)
	mustView(t, s, func(tx truce.Tx) error {
		for _, want := range []*truce.StoredSession{a, b} {
			got, err := tx.Session(want.IDHash)
			if err != nil {
				t.Errorf("Session(%s): %v", want.CSRF, err)
				continue
			}
			if got.IDHash != want.IDHash || got.Member != want.Member || got.CSRF != want.CSRF ||
				!got.Created.Equal(want.Created) || !got.Seen.Equal(want.Seen) {
				t.Errorf("Session = %+v, want %+v", got, want)
			}
		}
		_, err := tx.Session(sha256.Sum256([]byte("c")))
		checkCode(t, "Session of an unknown id", err, truce.ENOTFOUND)
		return nil
	})
	err := s.Update(t.Context(), func(tx truce.Tx) error { return tx.PutSession(session("a", "mbr_b", 3)) })
	if err == nil {
		t.Errorf("PutSession of an id hash already stored succeeded")
	}
}

func testSessionTouchDelete(t *testing.T, s truce.Store) {
	a := session("a", "mbr_a", 1)
	putSessions(t, s, a)
	later := a.Seen.Add(90 * time.Minute)
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.TouchSession(a.IDHash, later) })
	mustView(t, s, func(tx truce.Tx) error {
		got, err := tx.Session(a.IDHash)
		if err == nil && (!got.Seen.Equal(later) || !got.Created.Equal(a.Created)) {
			t.Errorf("after TouchSession, session = %+v, want seen %v, created %v", got, later, a.Created)
		}
		return err
	})
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.DeleteSession(a.IDHash) })
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.DeleteSession(a.IDHash) }) // gone: no error
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.TouchSession(a.IDHash, later) })
	if got := liveSessions(t, s, "a"); got != "[]" {
		t.Errorf("after DeleteSession, sessions %s, want none", got)
	}
}

func testSessionsExpire(t *testing.T, s truce.Store) {
	idle, old, fresh := session("idle", "m", 0), session("old", "m", 0), session("fresh", "m", 30)
	old.Seen = old.Seen.Add(time.Hour) // used lately, but started long ago
	putSessions(t, s, idle, old, fresh)
	var n int64
	mustUpdate(t, s, func(tx truce.Tx) (err error) {
		// Unused for 10 minutes, or started over 20 minutes ago, at 10:31.
		n, err = tx.ExpireSessions(fresh.Seen.Add(-29*time.Minute), fresh.Created.Add(-29*time.Minute))
		return err
	})
	if got := liveSessions(t, s, "idle", "old", "fresh"); n != 2 || got != "[fresh]" {
		t.Errorf("ExpireSessions = %d, left %s; want 2, [fresh]", n, got)
	}
}

func testSessionsTrim(t *testing.T, s truce.Store) {
	putSessions(t, s, session("a1", "a", 1), session("a2", "a", 2), session("a3", "a", 3), session("b1", "b", 0))
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.TrimSessions("a", 2) })
	if got := liveSessions(t, s, "a1", "a2", "a3", "b1"); got != "[a2 a3 b1]" {
		t.Errorf("after TrimSessions(a, 2), sessions %s, want [a2 a3 b1]", got)
	}
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.TrimSessions("a", 0) })
	if got := liveSessions(t, s, "a1", "a2", "a3", "b1"); got != "[b1]" {
		t.Errorf("after TrimSessions(a, 0), sessions %s, want [b1]", got)
	}
}

func testSessionsNotProjections(t *testing.T, s truce.Store) {
	putSessions(t, s, session("a", "m", 0))
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.ResetProjections() })
	if got := liveSessions(t, s, "a"); got != "[a]" {
		t.Errorf("after ResetProjections, sessions %s, want [a]", got)
	}
	if rows := dump(t, s); len(rows) != 0 {
		t.Errorf("DumpProjections of a store holding only a session = %v, want nothing", rows)
	}
}
