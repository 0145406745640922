package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	tlogpkg "truce/log"
)

// tileClient reads a served log's tiles as a standard tlog client does
// (golang.org/x/mod/sumdb/tlog): TileHashReader checks every tile it
// reads against the tree it is given, so what it accepts is the tree.
type tileClient struct {
	tb    testing.TB
	s     *testServer
	token string
}

func (c *tileClient) Height() int { return tlogpkg.TileHeight }

func (c *tileClient) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		path := "/log/" + tlogpkg.Tile{Level: t.L, Index: t.N, Width: t.W}.Path()
		resp := authzSend(c.tb, c.s, "GET", path, "", "", nil)
		if resp.status != http.StatusOK {
			return nil, fmt.Errorf("GET %s: %d %s", path, resp.status, resp.body)
		}
		out[i] = resp.body
	}
	return out, nil
}

func (c *tileClient) SaveTiles([]tlog.Tile, [][]byte) {}

// get fetches path with the client's token and Accept-Encoding.
func (c *tileClient) get(path, encoding string) (*http.Response, []byte) {
	c.tb.Helper()
	req, _ := http.NewRequest("GET", c.s.URL()+path, nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept-Encoding", encoding) // set: the transport leaves the body as sent
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

// TestTiles serves a log of 300 entries and more as c2sp.org/tlog-tiles
// and reads it as a standard client: the tiles give the checkpoint's
// root and proofs that check, and the entry bundles hash to the level-0
// tiles. A bundle with an entry too long for the format names it.
func TestTiles(t *testing.T) {
	s := mustRunServer(t)
	w := authzNewWorld(t, s)
	for range 300 {
		w.fileReport(t, w.ru, "Syrian Arab Army")
	}
	ctx := context.Background()
	if _, err := s.Service.IssueCheckpoint(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := s.Service.LatestCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.Size <= 300 || c.Size > 511 {
		t.Fatalf("a tree of %d entries: want one full level-0 tile and one partial", c.Size)
	}
	client := &tileClient{tb: t, s: s, token: w.ru}
	tree := tlog.Tree{N: c.Size, Hash: c.Root}
	hr := tlog.TileHashReader(tree, client)
	root, err := tlog.TreeHash(c.Size, hr)
	if err != nil || root != c.Root {
		t.Fatalf("the root from tiles = %v, %v; want the checkpoint's %v", root, err, c.Root)
	}
	for _, i := range []int64{0, 1, 255, 256, c.Size - 1} {
		_, data := client.get(fmt.Sprintf("/log/entries/%d", i), "identity")
		p, err := tlog.ProveRecord(c.Size, i, hr)
		if err != nil {
			t.Fatalf("proof of %d from tiles: %v", i, err)
		}
		if err := tlog.CheckRecord(p, c.Size, c.Root, i, tlog.RecordHash(data)); err != nil {
			t.Errorf("proof of entry %d from tiles does not check: %v", i, err)
		}
	}
	old := c.Size - 40
	p, err := tlog.ProveTree(c.Size, old, hr)
	if err != nil {
		t.Fatal(err)
	}
	oldRoot, err := tlog.TreeHash(old, hr)
	if err != nil || tlog.CheckTree(p, c.Size, c.Root, old, oldRoot) != nil {
		t.Errorf("consistency of %d with %d from tiles does not check: %v", old, c.Size, err)
	}

	// Entry bundles hash to the level-0 tiles, gzipped or not.
	for _, b := range []struct {
		tile     tlogpkg.Tile
		encoding string
	}{
		{tlogpkg.Tile{Level: -1, Index: 0, Width: 256}, "gzip"},
		{tlogpkg.Tile{Level: -1, Index: 1, Width: int(c.Size - 256)}, "identity"},
		{tlogpkg.Tile{Level: -1, Index: 1, Width: 3}, "gzip;q=0"},
	} {
		resp, body := client.get("/log/"+b.tile.Path(), b.encoding)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", b.tile.Path(), resp.StatusCode, body)
		}
		if gz := resp.Header.Get("Content-Encoding") == "gzip"; gz != (b.encoding == "gzip") {
			t.Errorf("GET %s with Accept-Encoding %q: Content-Encoding %q", b.tile.Path(), b.encoding, resp.Header.Get("Content-Encoding"))
		} else if gz {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(zr)
		}
		entries, err := tlogpkg.ParseBundle(body)
		if err != nil || len(entries) != b.tile.Width {
			t.Fatalf("bundle %s: %d entries, %v; want %d", b.tile.Path(), len(entries), err, b.tile.Width)
		}
		hashes := client.tile(t, tlogpkg.Tile{Level: 0, Index: b.tile.Index, Width: b.tile.Width})
		for i, e := range entries {
			if h := tlog.RecordHash(e); !bytes.Equal(h[:], hashes[32*i:32*i+32]) {
				t.Errorf("bundle %s: entry %d does not hash to its tile's hash", b.tile.Path(), i)
			}
		}
	}
	// Beyond the checkpoint's tree, malformed, or not a tile: 404.
	for _, path := range []string{
		fmt.Sprintf("/log/tile/0/001.p/%d", c.Size-256+1), "/log/tile/0/002", "/log/tile/1/000", "/log/tile/8/000.p/1",
		"/log/tile/0/001.p/0", "/log/tile/0/1", "/log/tile/00/000", "/log/tile/entries/002", "/log/tile/x/000",
		"/log/tile/entries/x001", "/log/tile/" + strings.Repeat("x001/", 30) + "000",
	} {
		if resp, body := client.get(path, "identity"); resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), `"not_found"`) {
			t.Errorf("GET %s = %d %s, want 404", path, resp.StatusCode, body)
		}
	}
	// The first level-1 tile is partial, of width 1.
	if h := client.tile(t, tlogpkg.Tile{Level: 1, Index: 0, Width: 1}); len(h) != 32 {
		t.Errorf("level-1 tile of width 1: %d bytes", len(h))
	}

	// A zone of 5,000 vertices makes an entry over 65,535 bytes, which no
	// bundle can hold: its bundle names it; its tiles are still served.
	ring := make([][2]float64, 0, 5001)
	for i := range 5000 {
		a := 2 * math.Pi * float64(i) / 5000
		ring = append(ring, [2]float64{37.0 + 0.05*math.Cos(a), 35.0 + 0.05*math.Sin(a)})
	}
	ring = append(ring, ring[0])
	zone := map[string]any{"type": "FeatureCollection", "features": []any{map[string]any{
		"type":       "Feature",
		"properties": map[string]any{"kind": "control", "controller": "SYG", "valid_from": "2017-07-01"},
		"geometry":   map[string]any{"type": "Polygon", "coordinates": [][][2]float64{ring}},
	}}}
	w.must(t, http.StatusCreated, "POST", "/api/v1/zones", w.ru, "application/json", authzJSON(t, zone), nil)
	if _, err := s.Service.IssueCheckpoint(ctx); err != nil {
		t.Fatal(err)
	}
	big := c.Size // the zone's entry, the first after the last checkpoint
	if d, _ := client.get(fmt.Sprintf("/log/entries/%d", big), "identity"); d.StatusCode != http.StatusOK {
		t.Fatalf("entry %d: %d", big, d.StatusCode)
	}
	path := "/log/" + tlogpkg.Tile{Level: -1, Index: 1, Width: int(big - 256 + 1)}.Path()
	resp, body := client.get(path, "identity")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), fmt.Sprintf("/log/entries/%d", big)) {
		t.Errorf("GET %s = %d %s, want 400 naming entry %d", path, resp.StatusCode, body, big)
	}
	if h := client.tile(t, tlogpkg.Tile{Level: 0, Index: 1, Width: int(big - 256 + 1)}); len(h) != 32*int(big-256+1) {
		t.Errorf("level-0 tile with the zone's hash: %d bytes", len(h))
	}
}

// tile fetches a hash tile without a token, as anyone may.
func (c *tileClient) tile(tb testing.TB, t tlogpkg.Tile) []byte {
	tb.Helper()
	path := "/log/" + t.Path()
	resp := authzSend(tb, c.s, "GET", path, "", "", nil)
	if resp.status != http.StatusOK {
		tb.Fatalf("GET %s: %d %s", path, resp.status, resp.body)
	}
	return resp.body
}
