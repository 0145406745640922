package storetest

import (
	"fmt"
	"testing"
	"time"

	"truce"
)

var cosignatureTests = []test{
	one("None", testCosignaturesNone),
	one("AddAndRead", testCosignatures),
	one("OncePerWitness", testCosignatureOnce),
	one("NeedsCheckpoint", testCosignatureNeedsCheckpoint),
}

// cosignature returns a cosignature of size by witness, received in a
// zone other than UTC, to the nanosecond.
func cosignature(size int64, witness string) *truce.Cosignature {
	return &truce.Cosignature{
		Size:       size,
		Witness:    witness,
		Line:       fmt.Sprintf("— %s AbCd%dEf+gh/==\n", witness, size),
		ReceivedAt: time.Date(2017, 1, 5, 14, 30, 1, int(size)*1000+9, time.FixedZone("EET", 2*60*60)),
	}
}

func checkCosignatures(t *testing.T, what string, got []truce.Cosignature, want ...*truce.Cosignature) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s gave %d cosignatures, want %d", what, len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Size != w.Size || g.Witness != w.Witness || g.Line != w.Line || !g.ReceivedAt.Equal(w.ReceivedAt) {
			t.Errorf("%s[%d] = %+v, want %+v", what, i, g, *w)
		}
	}
}

func testCosignaturesNone(t *testing.T, s truce.Store) {
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.AddCheckpoint(checkpoint(3)) })
	mustView(t, s, func(tx truce.Tx) error {
		cs, err := tx.Cosignatures(3)
		if err != nil || len(cs) != 0 {
			t.Errorf("Cosignatures(3) = %v, %v; want none, nil", cs, err)
		}
		n, err := tx.LatestCosigned()
		if err == nil {
			t.Errorf("LatestCosigned() = %d, nil; want ENOTFOUND", n)
		}
		checkCode(t, "LatestCosigned()", err, truce.ENOTFOUND)
		return nil
	})
}

func testCosignatures(t *testing.T, s truce.Store) {
	mustUpdate(t, s, func(tx truce.Tx) error {
		for _, n := range []int64{3, 8, 12} {
			if err := tx.AddCheckpoint(checkpoint(n)); err != nil {
				return err
			}
		}
		return nil
	})
	// Witnesses in one transaction, out of name order; another later.
	mustUpdate(t, s, func(tx truce.Tx) error {
		for _, c := range []*truce.Cosignature{cosignature(3, "w.test/TR"), cosignature(3, "w.test/IR"), cosignature(8, "w.test/RU")} {
			if err := tx.AddCosignature(c); err != nil {
				return err
			}
		}
		return nil
	})
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.AddCosignature(cosignature(3, "w.test/RU")) })
	mustView(t, s, func(tx truce.Tx) error {
		cs, err := tx.Cosignatures(3)
		if err != nil {
			t.Fatalf("Cosignatures(3): %v", err)
		}
		checkCosignatures(t, "Cosignatures(3)", cs, cosignature(3, "w.test/IR"), cosignature(3, "w.test/RU"), cosignature(3, "w.test/TR"))
		cs, err = tx.Cosignatures(8)
		if err != nil {
			t.Fatalf("Cosignatures(8): %v", err)
		}
		checkCosignatures(t, "Cosignatures(8)", cs, cosignature(8, "w.test/RU"))
		if cs, err := tx.Cosignatures(12); err != nil || len(cs) != 0 {
			t.Errorf("Cosignatures(12) = %v, %v; want none", cs, err)
		}
		if n, err := tx.LatestCosigned(); err != nil || n != 8 {
			t.Errorf("LatestCosigned() = %d, %v; want 8, nil", n, err)
		}
		// 3 has three cosignatures, 8 one.
		for _, c := range []struct {
			witnesses   []string
			size        int64
			count       int
			notFound    bool
			description string
		}{
			{[]string{"w.test/RU", "w.test/IR", "w.test/TR"}, 3, 3, false, "all three"},
			{[]string{"w.test/RU", "w.test/RU"}, 8, 1, false, "RU, named twice: its latest"},
			{[]string{"w.test/RU", "w.test/UN"}, 8, 1, false, "RU and one that never cosigned"},
			{[]string{"w.test/IR", "w.test/TR"}, 3, 2, false, "IR and TR, who cosigned 3 only"},
			{[]string{"w.test/UN"}, 0, 0, true, "one that never cosigned"},
			{nil, 0, 0, true, "none"},
		} {
			size, n, err := tx.LatestCosignedBy(c.witnesses)
			if c.notFound {
				checkCode(t, "LatestCosignedBy("+c.description+")", err, truce.ENOTFOUND)
			} else if err != nil || size != c.size || n != c.count {
				t.Errorf("LatestCosignedBy(%s) = %d, %d, %v; want %d, %d", c.description, size, n, err, c.size, c.count)
			}
		}
		return nil
	})
}

func testCosignatureOnce(t *testing.T, s truce.Store) {
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.AddCheckpoint(checkpoint(5)) })
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.AddCosignature(cosignature(5, "w.test/RU")) })
	again := cosignature(5, "w.test/RU")
	again.Line = "— w.test/RU Zm9yZ2Vk\n"
	mustFail(t, s, "AddCosignature by the same witness of the same size", func(tx truce.Tx) error {
		return tx.AddCosignature(again)
	})
	mustFail(t, s, "AddCosignature without a witness", func(tx truce.Tx) error {
		return tx.AddCosignature(&truce.Cosignature{Size: 5, Line: "— x y\n", ReceivedAt: time.Now()})
	})
	mustView(t, s, func(tx truce.Tx) error {
		cs, err := tx.Cosignatures(5)
		if err != nil {
			t.Fatalf("Cosignatures(5): %v", err)
		}
		checkCosignatures(t, "Cosignatures(5) after refused adds", cs, cosignature(5, "w.test/RU"))
		return nil
	})
}

func testCosignatureNeedsCheckpoint(t *testing.T, s truce.Store) {
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.AddCheckpoint(checkpoint(5)) })
	err := mustFail(t, s, "AddCosignature of a size without a checkpoint", func(tx truce.Tx) error {
		return tx.AddCosignature(cosignature(6, "w.test/RU"))
	})
	checkCode(t, "AddCosignature(size 6)", err, truce.ENOTFOUND)
}
