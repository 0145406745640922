package mapgen

import (
	"encoding/json"
	"fmt"
	"io"
)

// OutlineFile is Syria's outline, relative to the shared directory: the
// Natural Earth 10 m country polygon (v4.1.0, public domain), one ring of
// 572 vertices. It is the de facto outline — the Golan Heights held by
// Israel are outside it, the UNDOF area of separation inside — which is
// what a control map needs; OCHA's governorates follow the de jure line
// and would hand the occupied Golan to whoever holds the nearest Syrian
// village. It is also light: the OCHA layers have 26,000–29,000 vertices
// and would need a union of fourteen polygons first.
const OutlineFile = "data/admin_boundaries/syr_adm0_naturalearth_10m.geojson"

// ReadOutline reads the outline: a FeatureCollection with one Polygon
// feature without holes. The ring is returned counter-clockwise, without
// the closing point.
func ReadOutline(r io.Reader) ([]pt, error) {
	var fc struct {
		Features []struct {
			Geometry struct {
				Type        string         `json:"type"`
				Coordinates [][][2]float64 `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.NewDecoder(r).Decode(&fc); err != nil {
		return nil, fmt.Errorf("mapgen: outline: %w", err)
	}
	if len(fc.Features) != 1 || fc.Features[0].Geometry.Type != "Polygon" || len(fc.Features[0].Geometry.Coordinates) != 1 {
		return nil, fmt.Errorf("mapgen: outline: want one Polygon feature with one ring")
	}
	raw := fc.Features[0].Geometry.Coordinates[0]
	if len(raw) < 4 || raw[0] != raw[len(raw)-1] {
		return nil, fmt.Errorf("mapgen: outline: ring is not closed")
	}
	ring := make([]pt, 0, len(raw)-1)
	for _, c := range raw[:len(raw)-1] {
		p := snap(pt{c[0], c[1]})
		if len(ring) > 0 && ring[len(ring)-1] == p {
			continue
		}
		ring = append(ring, p)
	}
	if signedArea(ring) < 0 {
		for i, j := 0, len(ring)-1; i < j; i, j = i+1, j-1 {
			ring[i], ring[j] = ring[j], ring[i]
		}
	}
	// The overlay needs a simple ring: check every pair of edges.
	n := len(ring)
	for i := range n {
		for j := i + 1; j < n; j++ {
			if j == i+1 || (i == 0 && j == n-1) {
				continue
			}
			if segmentsMeet(ring[i], ring[(i+1)%n], ring[j], ring[(j+1)%n]) {
				return nil, fmt.Errorf("mapgen: outline: edges %d and %d meet", i, j)
			}
		}
	}
	return ring, nil
}

// signedArea is the ring's area in square degrees, positive if it runs
// counter-clockwise.
func signedArea(ring []pt) float64 {
	var s float64
	o := ring[0]
	for i := 1; i+1 < len(ring); i++ {
		a, b := ring[i], ring[i+1]
		s += float64((a.X-o.X)*(b.Y-o.Y)) - float64((b.X-o.X)*(a.Y-o.Y))
	}
	return s / 2
}

// segmentsMeet reports whether segments ab and cd share a point.
func segmentsMeet(a, b, c, d pt) bool {
	if max(a.X, b.X) < min(c.X, d.X) || max(c.X, d.X) < min(a.X, b.X) ||
		max(a.Y, b.Y) < min(c.Y, d.Y) || max(c.Y, d.Y) < min(a.Y, b.Y) {
		return false
	}
	o1, o2 := orient(a, b, c), orient(a, b, d)
	o3, o4 := orient(c, d, a), orient(c, d, b)
	if o1*o2 < 0 && o3*o4 < 0 {
		return true
	}
	on := func(p, q, r pt, o int) bool { // r on segment pq, given orient(p,q,r) = o
		return o == 0 && min(p.X, q.X) <= r.X && r.X <= max(p.X, q.X) && min(p.Y, q.Y) <= r.Y && r.Y <= max(p.Y, q.Y)
	}
	return on(a, b, c, o1) || on(a, b, d, o2) || on(c, d, a, o3) || on(c, d, b, o4)
}
