package main

import (
	"encoding/binary"
	"math"
	"testing"

	"truce/geo"
)

func pt(lon, lat float64) geo.Point { return geo.Point{Lon: lon, Lat: lat} }

func TestDiff(t *testing.T) {
	square := geo.MultiPolygon{{{pt(0, 0), pt(1, 0), pt(1, 1), pt(0, 1), pt(0, 0)}}}
	polys := []geo.MultiPolygon{square, square}
	pts := []geo.Point{
		pt(0.5, 0.5),      // inside: both sides agree
		pt(2, 2),          // far outside: only one side claims it
		pt(0.5, -1e-13),   // next to an edge: a boundary-tolerance difference
		pt(0.25, 0.75),    // inside, answers agree
		pt(0.5, 1+0.5e-6), // near, but beyond the tolerance
	}
	goPairs := []pair{{0, 0}, {2, 0}, {3, 0}, {3, 1}, {4, 1}}
	pgPairs := []pair{{0, 0}, {1, 1}, {3, 0}, {3, 1}}
	real, boundary := diff("test", goPairs, pgPairs, pts, polys, 1e-12)
	if real != 2 || boundary != 1 {
		t.Errorf("diff = %d real, %d boundary; want 2, 1", real, boundary)
	}
	if real, boundary := diff("test", goPairs, goPairs, pts, polys, 1e-12); real != 0 || boundary != 0 {
		t.Errorf("diff of equal sets = %d, %d; want 0, 0", real, boundary)
	}
}

func TestWKB(t *testing.T) {
	mp := geo.MultiPolygon{{{pt(35, 30), pt(36, 30), pt(36, 31), pt(35, 30)}}}
	b := wkb(mp)
	if want := 1 + 4 + 4 + (1 + 4 + 4 + 4 + 4*16); len(b) != want {
		t.Fatalf("len(wkb) = %d, want %d", len(b), want)
	}
	le := binary.LittleEndian
	if b[0] != 1 || le.Uint32(b[1:]) != 6 || le.Uint32(b[5:]) != 1 || b[9] != 1 || le.Uint32(b[10:]) != 3 ||
		le.Uint32(b[14:]) != 1 || le.Uint32(b[18:]) != 4 {
		t.Fatalf("wkb header = % x", b[:22])
	}
	if x, y := math.Float64frombits(le.Uint64(b[22+16:])), math.Float64frombits(le.Uint64(b[30+16:])); x != 36 || y != 30 {
		t.Errorf("second vertex = (%v, %v), want (36, 30)", x, y)
	}
}
