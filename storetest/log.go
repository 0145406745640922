package storetest

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"truce"
)

var logTests = []test{
	one("Empty", testLogEmpty),
	one("AppendAndRead", testAppendAndRead),
	one("AppendAtWrongIndex", testAppendAtWrongIndex),
	one("EntryDataMissing", testEntryDataMissing),
	one("ScanEntries", testScanEntries),
	one("Hashes", testHashes),
}

var appendOnlyTests = []test{
	one("Entries", testEntriesAppendOnly),
	one("HashCount", testHashCountChecked),
}

// entryData returns distinct bytes for entry i, with bytes that text
// encodings mangle (NUL, invalid UTF-8, CR LF) so that exactness is tested.
func entryData(i int) []byte {
	return fmt.Appendf(nil, "truce-entry v1\n{\"index\":%d}\x00\xff\xfe\r\n", i)
}

// hashOf returns a distinct hash for stored-hash index i.
func hashOf(i int64) [32]byte { return sha256.Sum256(fmt.Appendf(nil, "hash %d", i)) }

func testLogEmpty(t *testing.T, s truce.Store) {
	mustView(t, s, func(tx truce.Tx) error {
		if n, err := tx.LogSize(); err != nil || n != 0 {
			t.Errorf("LogSize() = %d, %v, want 0, nil", n, err)
		}
		if n, err := tx.HashCount(); err != nil || n != 0 {
			t.Errorf("HashCount() = %d, %v, want 0, nil", n, err)
		}
		err := tx.ScanEntries(0, 10, func(i int64, _, _ []byte) error {
			t.Errorf("ScanEntries(0, 10) on an empty log gave entry %d", i)
			return nil
		})
		if err != nil {
			t.Errorf("ScanEntries(0, 10) = %v, want nil", err)
		}
		return nil
	})
}

func testAppendAndRead(t *testing.T, s truce.Store) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<13) // 128 KiB
	want := [][]byte{entryData(0), entryData(1), big, entryData(3)}
	appendEntries(t, s, want[:2]...)
	appendEntries(t, s, want[2])
	buf := entryData(3)
	appendEntries(t, s, buf)
	buf[0] = 'X' // the store must have kept a copy, not the caller's slice

	if got := logSize(t, s); got != int64(len(want)) {
		t.Fatalf("LogSize() = %d, want %d", got, len(want))
	}
	mustView(t, s, func(tx truce.Tx) error {
		for i, w := range want {
			got, err := tx.EntryData(int64(i))
			if err != nil {
				t.Errorf("EntryData(%d): %v", i, err)
			} else if !bytes.Equal(got, w) {
				t.Errorf("EntryData(%d) = %d bytes %.40q, want %d bytes %.40q", i, len(got), got, len(w), w)
			}
		}
		return nil
	})
	if got := entries(t, s); !slices.EqualFunc(got, want, bytes.Equal) {
		t.Errorf("ScanEntries gave %d entries not equal to the %d appended", len(got), len(want))
	}
}

func testAppendAtWrongIndex(t *testing.T, s truce.Store) {
	for _, i := range []int64{-1, 1, 5} {
		mustFail(t, s, fmt.Sprintf("AppendEntry(%d) on an empty log", i), func(tx truce.Tx) error {
			return tx.AppendEntry(i, entryData(int(i)), hashesOf(i), nil)
		})
	}
	if got := logSize(t, s); got != 0 {
		t.Fatalf("LogSize() after failed appends = %d, want 0", got)
	}
	want := [][]byte{entryData(0), entryData(1), entryData(2)}
	appendEntries(t, s, want...)
	for _, i := range []int64{-1, 0, 2, 4, 100} {
		mustFail(t, s, fmt.Sprintf("AppendEntry(%d) on a log of 3", i), func(tx truce.Tx) error {
			return tx.AppendEntry(i, []byte("forged"), hashesOf(i), nil)
		})
	}
	if got := entries(t, s); !slices.EqualFunc(got, want, bytes.Equal) {
		t.Errorf("entries after failed appends = %q, want %q", got, want)
	}
	// The failures must not have wedged the store.
	appendEntries(t, s, entryData(3))
	if got := logSize(t, s); got != 4 {
		t.Errorf("LogSize() = %d, want 4", got)
	}
}

func testEntryDataMissing(t *testing.T, s truce.Store) {
	appendEntries(t, s, entryData(0), entryData(1))
	mustView(t, s, func(tx truce.Tx) error {
		for _, i := range []int64{-1, 2, 3, 1 << 40} {
			data, err := tx.EntryData(i)
			if err == nil {
				t.Errorf("EntryData(%d) = %q, nil; want an error", i, data)
			}
			checkCode(t, fmt.Sprintf("EntryData(%d)", i), err, truce.ENOTFOUND)
		}
		return nil
	})
}

func testScanEntries(t *testing.T, s truce.Store) {
	const n = 6
	var all [][]byte
	for i := range n {
		all = append(all, entryData(i))
	}
	appendEntries(t, s, all...)
	for _, r := range []struct{ from, to, wantFrom, wantTo int64 }{
		{0, n, 0, n},
		{1, 4, 1, 4},
		{5, 6, 5, 6},
		{3, 100, 3, n}, // to beyond the end stops at the end
		{2, 2, 2, 2},   // empty range
		{4, 2, 4, 4},   // reversed range is empty
		{n, n + 5, n, n},
	} {
		var got []int64
		mustView(t, s, func(tx truce.Tx) error {
			return tx.ScanEntries(r.from, r.to, func(i int64, data, _ []byte) error {
				got = append(got, i)
				if i < 0 || i >= n || !bytes.Equal(data, all[i]) {
					t.Errorf("ScanEntries(%d, %d) gave entry %d = %.40q", r.from, r.to, i, data)
				}
				return nil
			})
		})
		var want []int64
		for i := r.wantFrom; i < r.wantTo; i++ {
			want = append(want, i)
		}
		if !slices.Equal(got, want) {
			t.Errorf("ScanEntries(%d, %d) gave indexes %v, want %v", r.from, r.to, got, want)
		}
	}

	// An error from fn stops the scan and is returned.
	calls := 0
	err := s.View(t.Context(), func(tx truce.Tx) error {
		return tx.ScanEntries(0, n, func(int64, []byte, []byte) error { calls++; return errStop })
	})
	if !errors.Is(err, errStop) || calls != 1 {
		t.Errorf("ScanEntries with fn failing: %d calls, error %v; want 1 call, %v", calls, err, errStop)
	}
}

// hashesOf returns distinct hashes for the stored-hash indexes that entry
// leaf adds.
func hashesOf(leaf int64) [][32]byte {
	hs := make([][32]byte, max(1, truce.HashesAdded(leaf)))
	for i := range hs {
		hs[i] = hashOf(tlog.StoredHashIndex(0, leaf) + int64(i))
	}
	return hs
}

func testHashes(t *testing.T, s truce.Store) {
	appendEntries(t, s, entryData(0), entryData(1), entryData(2))
	appendEntries(t, s, entryData(3))
	appendEntries(t, s, entryData(4), entryData(5), entryData(6), entryData(7))
	n := tlog.StoredHashCount(8) // 15
	if got := hashCount(t, s); got != n {
		t.Errorf("HashCount() = %d, want %d", got, n)
	}
	all := make([]int64, n)
	for i := range all {
		all[i] = int64(i)
	}
	mustView(t, s, func(tx truce.Tx) error {
		for _, idx := range [][]int64{
			all,
			{14, 0, 3},      // unordered
			{2, 2, 5, 2, 5}, // duplicates
			{13, 12, 11},    // kept by one entry
			{6},             // one
			{}, nil,         // none
		} {
			got, err := tx.ReadHashes(idx)
			if err != nil {
				t.Errorf("ReadHashes(%v): %v", idx, err)
				continue
			}
			want := make([][32]byte, len(idx))
			for i, x := range idx {
				want[i] = hashOf(x)
			}
			if !slices.Equal(got, want) {
				t.Errorf("ReadHashes(%v) = %x, want %x", idx, got, want)
			}
		}
		for _, idx := range [][]int64{{n}, {0, n}, {3, 100, 3}, {-1}} {
			got, err := tx.ReadHashes(idx)
			if err == nil {
				t.Errorf("ReadHashes(%v) = %d hashes, nil; want an error", idx, len(got))
			}
			checkCode(t, fmt.Sprintf("ReadHashes(%v)", idx), err, truce.ENOTFOUND)
		}
		return nil
	})
}

func testEntriesAppendOnly(t *testing.T, s truce.Store) {
	want := [][]byte{entryData(0), entryData(1)}
	appendEntries(t, s, want...)
	for i := range want {
		mustFail(t, s, fmt.Sprintf("AppendEntry(%d) over a stored entry", i), func(tx truce.Tx) error {
			return tx.AppendEntry(int64(i), []byte("rewritten"), hashesOf(int64(i)), nil)
		})
	}
	if got := entries(t, s); !slices.EqualFunc(got, want, bytes.Equal) {
		t.Errorf("entries after rewrites = %q, want %q", got, want)
	}
}

// testHashCountChecked appends entries with the wrong number of hashes:
// each must be refused and leave nothing behind.
func testHashCountChecked(t *testing.T, s truce.Store) {
	appendEntries(t, s, entryData(0)) // leaf 1 adds two hashes
	for _, hs := range [][][32]byte{nil, hashesOf(0), append(hashesOf(1), hashOf(99))} {
		mustFail(t, s, fmt.Sprintf("AppendEntry(1) with %d hashes", len(hs)), func(tx truce.Tx) error {
			return tx.AppendEntry(1, entryData(1), hs, nil)
		})
	}
	if got := hashCount(t, s); got != 1 {
		t.Errorf("HashCount() after refused appends = %d, want 1", got)
	}
	if got := entries(t, s); len(got) != 1 {
		t.Errorf("log has %d entries after refused appends, want 1", len(got))
	}
}
