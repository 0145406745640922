// Package storetest is the conformance suite of truce.Store: the one set of
// tests that every store (sqlite, and postgres later) must pass, so that the
// rules written once in package workflow hold on every backend.
//
// A store's own tests call Run with a function that opens a new, empty,
// migrated store:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) truce.Store { return mustOpen(t) })
//	}
//
// The suite checks what store.go documents, and nothing a store may choose.
// Every call that must fail runs in its own Update, which returns its error:
// in PostgreSQL a failed statement aborts the transaction around it, so the
// suite never goes on using a transaction after an error.
package storetest

import (
	"errors"
	"testing"

	"truce"
)

// Run runs every conformance test as a subtest of t. open returns a new,
// empty, migrated store; each subtest opens its own, and open's caller
// closes it (with t.Cleanup).
func Run(t *testing.T, open func(t *testing.T) truce.Store) {
	groups := []struct {
		name  string
		tests []test
	}{
		{"Log", logTests},
		{"AppendOnly", appendOnlyTests},
		{"Checkpoints", checkpointTests},
		{"Cosignatures", cosignatureTests},
		{"Settings", settingTests},
		{"Credentials", credentialTests},
		{"Drafts", draftTests},
		{"Sessions", sessionTests},
		{"Parts", partsTests},
		{"Tx", txTests},
		{"Projections", projectionTests},
		{"FindReports", findTests},
		{"Dump", dumpTests},
		{"AsOf", asOfTests},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, tc := range g.tests {
				t.Run(tc.name, func(t *testing.T) { tc.fn(t, open) })
			}
		})
	}
}

// test is one conformance test. Most open one store; a few compare two.
type test struct {
	name string
	fn   func(t *testing.T, open func(t *testing.T) truce.Store)
}

// one adapts a test of one fresh store.
func one(name string, fn func(t *testing.T, s truce.Store)) test {
	return test{name, func(t *testing.T, open func(t *testing.T) truce.Store) { fn(t, open(t)) }}
}

// errStop is returned by callbacks to stop a scan or abandon a transaction.
var errStop = errors.New("storetest: stop")

// mustUpdate runs fn in an Update and fails the test if it returns an error.
func mustUpdate(t *testing.T, s truce.Store, fn func(truce.Tx) error) {
	t.Helper()
	if err := s.Update(t.Context(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// mustView runs fn in a View and fails the test if it returns an error.
func mustView(t *testing.T, s truce.Store, fn func(truce.Tx) error) {
	t.Helper()
	if err := s.View(t.Context(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// mustFail runs fn alone in an Update and requires it to fail. It returns
// the error, for checking its code.
func mustFail(t *testing.T, s truce.Store, what string, fn func(truce.Tx) error) error {
	t.Helper()
	err := s.Update(t.Context(), fn)
	if err == nil {
		t.Errorf("%s = nil error, want an error", what)
	}
	return err
}

// checkCode requires err to carry the truce error code want.
func checkCode(t *testing.T, what string, err error, want string) {
	t.Helper()
	if got := truce.ErrorCode(err); got != want {
		t.Errorf("%s: error %v has code %q, want %q", what, err, got, want)
	}
}

// logSize returns the store's LogSize, read in a View.
func logSize(t *testing.T, s truce.Store) int64 {
	t.Helper()
	var n int64
	mustView(t, s, func(tx truce.Tx) (err error) { n, err = tx.LogSize(); return err })
	return n
}

// hashCount returns the store's HashCount, read in a View.
func hashCount(t *testing.T, s truce.Store) int64 {
	t.Helper()
	var n int64
	mustView(t, s, func(tx truce.Tx) (err error) { n, err = tx.HashCount(); return err })
	return n
}

// entries returns every entry of the log, read with ScanEntries.
func entries(t *testing.T, s truce.Store) [][]byte {
	t.Helper()
	var all [][]byte
	mustView(t, s, func(tx truce.Tx) error {
		n, err := tx.LogSize()
		if err != nil {
			return err
		}
		return tx.ScanEntries(0, n, func(i int64, data, _ []byte) error {
			if i != int64(len(all)) {
				t.Errorf("ScanEntries(0, %d) gave index %d at position %d", n, i, len(all))
			}
			all = append(all, append([]byte(nil), data...))
			return nil
		})
	})
	return all
}

// appendEntries appends data to the log, one entry each, in one Update.
func appendEntries(t *testing.T, s truce.Store, data ...[]byte) {
	t.Helper()
	mustUpdate(t, s, func(tx truce.Tx) error {
		n, err := tx.LogSize()
		if err != nil {
			return err
		}
		for i, d := range data {
			if err := tx.AppendEntry(n+int64(i), d, hashesOf(n+int64(i)), nil); err != nil {
				return err
			}
		}
		return nil
	})
}
