package storetest

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"truce"
)

var txTests = []test{
	one("UpdateErrorKeepsNothing", testUpdateError),
	one("UpdatePanicKeepsNothing", testUpdatePanic),
	one("ViewSeesCommitted", testViewSeesCommitted),
	one("ViewCannotWrite", testViewCannotWrite),
	one("ViewSnapshot", testViewSnapshot),
	one("ConcurrentUpdates", testConcurrentUpdates),
}

// writeEverything writes one row of every kind the store keeps.
func writeEverything(tx truce.Tx) error {
	r, st := report(0, 3)
	return errors.Join(
		tx.AppendEntry(0, entryData(0), hashesOf(0), nil),
		tx.AddCheckpoint(checkpoint(1)),
		tx.PutSetting("origin", "truce.example/log"),
		tx.PutAgreement(testAgreement(), 0),
		tx.InsertMember(member(0, 1)),
		tx.AddCredential(sha256.Sum256([]byte("tok")), memberID(0), t0),
		tx.InsertReport(r, st),
		tx.InsertAssessment(assessment(r.ID, 0, 4, truce.Confirm)),
	)
}

// checkEmpty requires the store to hold nothing at all.
func checkEmpty(t *testing.T, s truce.Store) {
	t.Helper()
	mustView(t, s, func(tx truce.Tx) error {
		if n, err := tx.LogSize(); n != 0 || err != nil {
			t.Errorf("LogSize() = %d, %v; want 0, nil", n, err)
		}
		if n, err := tx.HashCount(); n != 0 || err != nil {
			t.Errorf("HashCount() = %d, %v; want 0, nil", n, err)
		}
		_, err := tx.LatestCheckpoint()
		checkCode(t, "LatestCheckpoint()", err, truce.ENOTFOUND)
		_, err = tx.Setting("origin")
		checkCode(t, "Setting(origin)", err, truce.ENOTFOUND)
		_, err = tx.MemberByCredential(sha256.Sum256([]byte("tok")))
		checkCode(t, "MemberByCredential", err, truce.EUNAUTHORIZED)
		_, err = tx.Agreement()
		checkCode(t, "Agreement()", err, truce.ENOTFOUND)
		_, err = tx.Member(memberID(0))
		checkCode(t, "Member()", err, truce.ENOTFOUND)
		_, _, err = tx.Report(reportID(0))
		checkCode(t, "Report()", err, truce.ENOTFOUND)
		if as, err := tx.Assessments(reportID(0)); len(as) != 0 || err != nil {
			t.Errorf("Assessments() = %d assessments, %v; want none", len(as), err)
		}
		return tx.DumpProjections(func(table string, row []byte) error {
			t.Errorf("DumpProjections gave %s row %s, want none", table, row)
			return nil
		})
	})
}

func testUpdateError(t *testing.T, s truce.Store) {
	fail := truce.Errorf(truce.ECONFLICT, "abandoned")
	err := s.Update(t.Context(), func(tx truce.Tx) error {
		if err := writeEverything(tx); err != nil {
			t.Fatalf("writing: %v", err)
		}
		return fail
	})
	if !errors.Is(err, fail) {
		t.Errorf("Update = %v, want the error fn returned, %v", err, fail)
	}
	checkEmpty(t, s)
	// Nothing was kept, so the same writes succeed now.
	mustUpdate(t, s, writeEverything)
}

func testUpdatePanic(t *testing.T, s truce.Store) {
	type boom struct{}
	func() {
		defer func() {
			if r := recover(); r != (boom{}) {
				t.Errorf("recovered %v, want the value fn panicked with", r)
			}
		}()
		s.Update(t.Context(), func(tx truce.Tx) error {
			if err := writeEverything(tx); err != nil {
				t.Fatalf("writing: %v", err)
			}
			panic(boom{})
		})
		t.Errorf("Update returned after fn panicked")
	}()
	checkEmpty(t, s)
	// The store is still usable: the panic released the transaction.
	mustUpdate(t, s, writeEverything)
}

func testViewSeesCommitted(t *testing.T, s truce.Store) {
	mustUpdate(t, s, writeEverything)
	mustView(t, s, func(tx truce.Tx) error {
		if n, err := tx.LogSize(); n != 1 || err != nil {
			t.Errorf("LogSize() = %d, %v; want 1, nil", n, err)
		}
		if _, err := tx.EntryData(0); err != nil {
			t.Errorf("EntryData(0): %v", err)
		}
		if _, err := tx.Member(memberID(0)); err != nil {
			t.Errorf("Member(): %v", err)
		}
		if _, _, err := tx.Report(reportID(0)); err != nil {
			t.Errorf("Report(): %v", err)
		}
		return nil
	})
}

func testViewCannotWrite(t *testing.T, s truce.Store) {
	writes := []struct {
		name string
		fn   func(truce.Tx) error
	}{
		{"AppendEntry", func(tx truce.Tx) error { return tx.AppendEntry(0, entryData(0), hashesOf(0), nil) }},
		{"AddCheckpoint", func(tx truce.Tx) error { return tx.AddCheckpoint(checkpoint(1)) }},
		{"PutSetting", func(tx truce.Tx) error { return tx.PutSetting("origin", "x") }},
		{"AddCredential", func(tx truce.Tx) error { return tx.AddCredential([32]byte{1}, memberID(0), t0) }},
		{"PutAgreement", func(tx truce.Tx) error { return tx.PutAgreement(testAgreement(), 0) }},
		{"InsertMember", func(tx truce.Tx) error { return tx.InsertMember(member(0, 1)) }},
		{"InsertReport", func(tx truce.Tx) error { r, st := report(0, 2); return tx.InsertReport(r, st) }},
	}
	for _, w := range writes {
		// fn swallows the error and returns nil: View must still keep nothing.
		var err error
		mustView(t, s, func(tx truce.Tx) error { err = w.fn(tx); return nil })
		if err == nil {
			t.Errorf("%s in View = nil error, want an error", w.name)
		}
	}
	checkEmpty(t, s)
}

// testViewSnapshot checks that a View sees one snapshot: an Update that
// commits while the View is open is not seen by it.
func testViewSnapshot(t *testing.T, s truce.Store) {
	appendEntries(t, s, entryData(0))
	done := make(chan error, 1)
	mustView(t, s, func(tx truce.Tx) error {
		if n, err := tx.LogSize(); n != 1 || err != nil {
			t.Fatalf("LogSize() = %d, %v; want 1, nil", n, err)
		}
		go func() {
			done <- s.Update(t.Context(), func(tx truce.Tx) error { return tx.AppendEntry(1, entryData(1), hashesOf(1), nil) })
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Update during a View: %v", err)
			}
			done <- nil
		case <-time.After(10 * time.Second):
			t.Errorf("an Update waited 10s for an open View to end")
		}
		if n, err := tx.LogSize(); n != 1 || err != nil {
			t.Errorf("LogSize() in a View after a concurrent Update = %d, %v; want 1, nil", n, err)
		}
		if data, err := tx.EntryData(1); err == nil {
			t.Errorf("EntryData(1) in a View after a concurrent Update = %.20q, want ENOTFOUND", data)
		}
		return nil
	})
	<-done
	if got := logSize(t, s); got != 2 {
		t.Errorf("LogSize() after the View = %d, want 2", got)
	}
}

// testConcurrentUpdates appends from several goroutines, each reading the
// log size and appending at it: serialisable writes leave no gap and lose
// no entry.
func testConcurrentUpdates(t *testing.T, s truce.Store) {
	const writers, each = 8, 20
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				err := s.Update(t.Context(), func(tx truce.Tx) error {
					n, err := tx.LogSize()
					if err != nil {
						return err
					}
					return tx.AppendEntry(n, fmt.Appendf(nil, "writer %d append %d", w, i), hashesOf(n), nil)
				})
				if err != nil {
					t.Errorf("writer %d append %d: %v", w, i, err)
				}
			}
		})
	}
	wg.Wait()
	all := entries(t, s)
	if len(all) != writers*each {
		t.Fatalf("log has %d entries, want %d", len(all), writers*each)
	}
	seen := map[string]bool{}
	for _, e := range all {
		seen[string(e)] = true
	}
	for w := range writers {
		for i := range each {
			if k := fmt.Sprintf("writer %d append %d", w, i); !seen[k] {
				t.Errorf("entry %q is missing", k)
			}
		}
	}
}
