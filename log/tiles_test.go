package log

import (
	"bytes"
	"strings"
	"testing"
)

func TestTilePath(t *testing.T) {
	for _, tc := range []struct {
		tile Tile
		path string
	}{
		{Tile{0, 0, 256}, "tile/0/000"},
		{Tile{0, 1234067, 256}, "tile/0/x001/x234/067"}, // the spec's example
		{Tile{1, 5, 17}, "tile/1/005.p/17"},
		{Tile{-1, 1000, 256}, "tile/entries/x001/000"},
		{Tile{-1, 2, 112}, "tile/entries/002.p/112"},
		{Tile{63, 0, 1}, "tile/63/000.p/1"},
	} {
		if got := tc.tile.Path(); got != tc.path {
			t.Errorf("%+v.Path() = %q, want %q", tc.tile, got, tc.path)
		}
		got, err := ParseTilePath(tc.path)
		if err != nil || got != tc.tile {
			t.Errorf("ParseTilePath(%q) = %+v, %v; want %+v", tc.path, got, err, tc.tile)
		}
	}
	for _, bad := range []string{
		"", "tile/", "tile/0", "tile/0/", "tile/00/000", "tile/64/000", "tile/-1/000", "tile/a/000",
		"tile/0/0", "tile/0/0000", "tile/0/001/002", "tile/0/x000/001", "tile/0/x001", "tile/0/y001/002",
		"tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/07", "tile/0/000.p/", "tile/0/000.p/x",
		"tile/entries/000.p/1/2", "tiles/0/000", "tile/0/x009/x223/x372/x036/x854/x775/808",
		"tile/0/x001/x001/x001/x001/x001/x001/x001/001", "tile/0/+01", "tile/0/ 01",
	} {
		if tile, err := ParseTilePath(bad); err == nil {
			t.Errorf("ParseTilePath(%q) = %+v, want an error", bad, tile)
		}
	}
}

func TestTileLeaves(t *testing.T) {
	// The spec's example: a tree of 70,000 leaves.
	for _, tc := range []struct {
		tile       Tile
		start, end int64
		ok         bool
	}{
		{Tile{0, 272, 256}, 272 * 256, 273 * 256, true},
		{Tile{0, 273, 256}, 273 * 256, 274 * 256, false},
		{Tile{0, 273, 112}, 273 * 256, 70000, true},
		{Tile{0, 273, 113}, 273 * 256, 70001, false},
		{Tile{1, 0, 256}, 0, 65536, true},
		{Tile{1, 1, 17}, 65536, 65536 + 17*256, true},
		{Tile{1, 1, 18}, 65536, 65536 + 18*256, false},
		{Tile{2, 0, 1}, 0, 65536, true},
		{Tile{2, 0, 2}, 0, 2 * 65536, false},
		{Tile{-1, 273, 112}, 273 * 256, 70000, true},
	} {
		start, end, ok := tc.tile.Leaves(70000)
		if ok != tc.ok || ok && (start != tc.start || end != tc.end) {
			t.Errorf("%+v.Leaves(70000) = %d, %d, %v; want %d, %d, %v", tc.tile, start, end, ok, tc.start, tc.end, tc.ok)
		}
	}
	for _, far := range []Tile{{0, 1 << 62, 256}, {7, 1 << 40, 1}, {8, 0, 1}, {63, 0, 1}} {
		if _, _, ok := far.Leaves(1<<63 - 1); ok && far.Level >= 8 {
			t.Errorf("%+v.Leaves(max) = ok", far)
		}
		if _, _, ok := far.Leaves(70000); ok {
			t.Errorf("%+v.Leaves(70000) = ok", far)
		}
	}
}

func TestBundle(t *testing.T) {
	entries := [][]byte{[]byte("a"), {}, bytes.Repeat([]byte("z"), MaxBundledEntry)}
	var b []byte
	for _, e := range entries {
		var err error
		if b, err = AppendBundled(b, e); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ParseBundle(b)
	if err != nil || len(got) != 3 || !bytes.Equal(got[0], entries[0]) || len(got[1]) != 0 || !bytes.Equal(got[2], entries[2]) {
		t.Errorf("ParseBundle = %d entries, %v", len(got), err)
	}
	if _, err := AppendBundled(nil, make([]byte, MaxBundledEntry+1)); err == nil || !strings.Contains(err.Error(), "65535") {
		t.Errorf("AppendBundled(65,536 bytes) = %v, want an error naming the limit", err)
	}
	for _, bad := range [][]byte{{0}, {0, 2, 'a'}} {
		if _, err := ParseBundle(bad); err == nil {
			t.Errorf("ParseBundle(%q) = nil error", bad)
		}
	}
}

// FuzzParseTilePath: a path is read as a tile only when it is that
// tile's one path, and nothing in it panics, however far out the tile.
func FuzzParseTilePath(f *testing.F) {
	for _, s := range []string{"tile/0/000", "tile/0/x001/x234/067", "tile/1/005.p/17", "tile/entries/x001/000",
		"tile/entries/002.p/112", "tile/63/000.p/1", "tile/0/000.p/256", "tile/00/000", "tile/0/x999/x999/x999/x999/x999/x999/999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		tile, err := ParseTilePath(path)
		if err != nil {
			return
		}
		if tile.Path() != path || tile.Level < -1 || tile.Level > 63 || tile.Width < 1 || tile.Width > TileWidth || tile.Index < 0 {
			t.Fatalf("ParseTilePath(%q) = %+v, whose path is %q", path, tile, tile.Path())
		}
		for _, size := range []int64{0, 1, 70000, 1<<63 - 1} {
			if start, end, ok := tile.Leaves(size); ok && (start < 0 || end > size || end <= start) {
				t.Fatalf("%+v.Leaves(%d) = %d, %d, ok", tile, size, start, end)
			}
		}
	})
}
