package storetest

import (
	"errors"
	"testing"

	"truce"
)

func init() {
	cosignatureTests = append(cosignatureTests, one("Scan", testScanCosignatures))
}

// testScanCosignatures checks that ScanCosignatures gives every
// cosignature, by size and witness, and stops at fn's error.
func testScanCosignatures(t *testing.T, s truce.Store) {
	mustView(t, s, func(tx truce.Tx) error {
		return tx.ScanCosignatures(func(c *truce.Cosignature) error {
			t.Errorf("ScanCosignatures on an empty store gave %+v", *c)
			return nil
		})
	})
	mustUpdate(t, s, func(tx truce.Tx) error {
		for _, n := range []int64{3, 8} {
			if err := tx.AddCheckpoint(checkpoint(n)); err != nil {
				return err
			}
		}
		for _, c := range []*truce.Cosignature{cosignature(8, "w.test/RU"), cosignature(3, "w.test/TR"), cosignature(3, "w.test/IR")} {
			if err := tx.AddCosignature(c); err != nil {
				return err
			}
		}
		return nil
	})
	mustView(t, s, func(tx truce.Tx) error {
		var got []truce.Cosignature
		err := tx.ScanCosignatures(func(c *truce.Cosignature) error {
			got = append(got, *c)
			return nil
		})
		if err != nil {
			t.Fatalf("ScanCosignatures: %v", err)
		}
		checkCosignatures(t, "ScanCosignatures", got, cosignature(3, "w.test/IR"), cosignature(3, "w.test/TR"), cosignature(8, "w.test/RU"))
		stop := errStopScan
		n := 0
		if err := tx.ScanCosignatures(func(*truce.Cosignature) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
			t.Errorf("ScanCosignatures with fn failing = %v after %d calls, want fn's error after 1", err, n)
		}
		return nil
	})
}

var errStopScan = truce.Errorf(truce.EINTERNAL, "stop")
