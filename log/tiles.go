package log

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// Tiles (c2sp.org/tlog-tiles): the tree served as static resources, so
// that standard clients can mirror the log and compute any proof
// themselves. A tile is 256 hashes of one level of tiles (height 8), or
// fewer in a partial tile; an entry bundle is the entries a level-0 tile
// hashes, each after its length as a big-endian uint16.

// TileHeight is the height of a tile: 2^8 = 256 hashes wide.
const TileHeight = 8

// TileWidth is the width of a full tile.
const TileWidth = 1 << TileHeight

// MaxBundledEntry is the longest entry an entry bundle can hold.
const MaxBundledEntry = 1<<16 - 1

// Tile is a tile of the tree, or with Level -1 an entry bundle: its index
// in its level, and its width, TileWidth when full.
type Tile struct {
	Level int
	Index int64
	Width int
}

// Path returns the tile's path below the log's prefix: "tile/L/N[.p/W]",
// or "tile/entries/N[.p/W]" for a bundle, N in 3-digit elements all but
// the last starting with "x".
func (t Tile) Path() string {
	level := strconv.Itoa(t.Level)
	if t.Level < 0 {
		level = "entries"
	}
	n := fmt.Sprintf("%03d", t.Index%1000)
	for i := t.Index / 1000; i > 0; i /= 1000 {
		n = fmt.Sprintf("x%03d/", i%1000) + n
	}
	p := "tile/" + level + "/" + n
	if t.Width < TileWidth {
		p += ".p/" + strconv.Itoa(t.Width)
	}
	return p
}

// ParseTilePath reads a tile's path below the prefix ("tile/…"), as Path
// writes it; any other spelling of the same tile is refused, so that
// each tile has one path.
func ParseTilePath(path string) (Tile, error) {
	rest, ok := strings.CutPrefix(path, "tile/")
	if !ok {
		return Tile{}, errors.New(`a tile's path starts with "tile/"`)
	}
	level, rest, ok := strings.Cut(rest, "/")
	if !ok {
		return Tile{}, errors.New("a tile's path names a level and an index")
	}
	t := Tile{Width: TileWidth}
	if level == "entries" {
		t.Level = -1
	} else {
		l, err := strconv.Atoi(level)
		if err != nil || l < 0 || l > 63 || strconv.Itoa(l) != level {
			return Tile{}, fmt.Errorf("level %q is not a number from 0 to 63", clip(level))
		}
		t.Level = l
	}
	if n, w, partial := strings.Cut(rest, ".p/"); partial {
		width, err := strconv.Atoi(w)
		if err != nil || width < 1 || width >= TileWidth || strconv.Itoa(width) != w {
			return Tile{}, fmt.Errorf("width %q is not a number from 1 to %d", clip(w), TileWidth-1)
		}
		t.Width, rest = width, n
	}
	elems := strings.Split(rest, "/")
	if len(elems) > 7 { // 999 999 999 999 999 999 999 is past any int64 index
		return Tile{}, errors.New("the index has too many elements")
	}
	for i, e := range elems {
		if i < len(elems)-1 {
			var ok bool
			if e, ok = strings.CutPrefix(e, "x"); !ok {
				return Tile{}, fmt.Errorf("index element %q: all but the last start with x", clip(elems[i]))
			}
		}
		if len(e) != 3 || strings.Trim(e, "0123456789") != "" {
			return Tile{}, fmt.Errorf("index element %q is not 3 digits", clip(elems[i]))
		}
		d, _ := strconv.ParseInt(e, 10, 64)
		if t.Index > (1<<63-1-d)/1000 {
			return Tile{}, errors.New("the index is too large")
		}
		t.Index = t.Index*1000 + d
	}
	if t.Path() != path {
		return Tile{}, fmt.Errorf("not the tile's path: %q is", t.Path())
	}
	return t, nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// Leaves returns the range of entries [start, end) the tile spans, and
// whether it fits in a tree of size entries (it is there to serve);
// false also for a tile so far out that its range overflows.
func (t Tile) Leaves(size int64) (start, end int64, ok bool) {
	level := max(t.Level, 0)
	if level*TileHeight >= 62 {
		return 0, 0, false
	}
	span := int64(1) << (level * TileHeight) // leaves under one hash of the tile
	if t.Index > (size/span)/TileWidth {
		return 0, 0, false
	}
	start = t.Index * TileWidth * span
	if int64(t.Width) > (1<<63-1-start)/span {
		return 0, 0, false // its end is past any tree's size
	}
	end = start + int64(t.Width)*span
	return start, end, end <= size
}

// TileData returns the hashes of tile t (Level ≥ 0), read from r, which
// must hold the hashes of a tree that spans the tile.
func TileData(t Tile, r HashReader) ([]byte, error) {
	if t.Level < 0 {
		return nil, errors.New("an entry bundle holds entries, not hashes")
	}
	return tlog.ReadTileData(tlog.Tile{H: TileHeight, L: t.Level, N: t.Index, W: t.Width}, r)
}

// AppendBundled appends entry to an entry bundle.
func AppendBundled(bundle, entry []byte) ([]byte, error) {
	if len(entry) > MaxBundledEntry {
		return nil, fmt.Errorf("an entry of %d bytes is longer than the %d an entry bundle holds", len(entry), MaxBundledEntry)
	}
	bundle = binary.BigEndian.AppendUint16(bundle, uint16(len(entry)))
	return append(bundle, entry...), nil
}

// ParseBundle returns the entries of an entry bundle.
func ParseBundle(bundle []byte) ([][]byte, error) {
	var out [][]byte
	for len(bundle) > 0 {
		if len(bundle) < 2 {
			return nil, errors.New("entry bundle: a length cut short")
		}
		n := int(binary.BigEndian.Uint16(bundle))
		if len(bundle) < 2+n {
			return nil, fmt.Errorf("entry bundle: entry %d is cut short", len(out))
		}
		out = append(out, bundle[2:2+n])
		bundle = bundle[2+n:]
	}
	return out, nil
}
